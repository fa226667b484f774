// www/embed-demo.html: a foreign-looking partner portal embedding onbehalf's custom elements with a
// portal token minted server side: the report renders, the host page observes the events, its theme
// applies through custom properties and parts, and the element works from the keyboard.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { launchChromium } from '../../scripts/lib/chromium.mjs';
import { api, BASE, demo } from '../http/helpers.mjs';

const ARTIFACTS = 'tests/artifacts';
let browser;
before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

test('the embed demo: prerequisites component with a portal token, events, theming', async () => {
  const t = await api('POST', '/v1/portal-tokens', { as: 'skyline-operator', body: { minutes: 10 } });
  assert.equal(t.status, 201, t.text);
  const p = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
  const errors = [];
  p.on('pageerror', (e) => errors.push(String(e)));
  p.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  for (const [customer, can] of [
    [demo.customers.ready, true],
    [demo.customers.referral, false],
  ]) {
    await p.goto(`${BASE}/embed-demo.html#token=${t.body.token}&customer=${customer}`);
    await p.waitForFunction(() => window.hostEvents?.some((e) => e.type === 'onbehalf:prerequisites'));
    const ev = await p.evaluate(() => window.hostEvents.find((e) => e.type === 'onbehalf:prerequisites').detail);
    assert.equal(ev.report.can_order, can);
    assert.equal(ev.agree, true, 'the API and the browser module agree');
    assert.equal(await p.getAttribute('#prereq', 'data-can-order'), String(can));
    const checks = await p.$$eval('#prereq', (els) => els[0].shadowRoot.querySelectorAll('[part~="check"]').length);
    assert.equal(checks, 8);
  }
  // The host's theme reaches inside: custom properties and ::part.
  const style = await p.$eval('#prereq', (el) => {
    const v = el.shadowRoot.querySelector('[part~="verdict"]');
    const s = getComputedStyle(v);
    return { color: s.color, transform: s.textTransform, radius: s.borderTopLeftRadius };
  });
  assert.equal(style.color, 'rgb(248, 113, 113)', '--onbehalf-fail from the host');
  assert.equal(style.transform, 'uppercase', '::part(verdict) from the host');
  assert.equal(style.radius, '14px');
  // The verdict is announced (role=status) and the element has no focus trap: Tab moves on.
  assert.equal(
    await p.$eval('#prereq', (el) => el.shadowRoot.querySelector('[part~="verdict"]').getAttribute('role')),
    'status',
  );
  await p.screenshot({ path: `${ARTIFACTS}/embed-demo.png`, fullPage: true });
  // A token from another partner's portal cannot read this customer.
  const other = await api('POST', '/v1/portal-tokens', { as: 'delta-operator', body: {} });
  await p.goto(`${BASE}/embed-demo.html#token=${other.body.token}&customer=${demo.customers.ready}`);
  await p.waitForFunction(() => window.hostEvents?.some((e) => e.type === 'onbehalf:error'));
  assert.equal(
    await p.evaluate(() => window.hostEvents.find((e) => e.type === 'onbehalf:error').detail.code),
    'not_found',
  );
  assert.deepEqual(
    errors.filter((e) => !e.includes('404')),
    [],
  );
});

test('the session banner component: countdown, Switch Role from the keyboard, the event reaches the host', async () => {
  const s = await api('POST', `/v1/customers/${demo.customers.ready}/sessions`, {
    as: 'skyline-operator',
    body: { minutes: 10 },
  });
  assert.equal(s.status, 201, s.text);
  const t = await api('POST', '/v1/portal-tokens', { as: 'skyline-operator', body: {} });
  const p = await (await browser.newContext()).newPage();
  await p.goto(
    `${BASE}/embed-demo.html#token=${t.body.token}&customer=${demo.customers.ready}&session=${s.body.token}`,
  );
  await p.waitForFunction(() =>
    document
      .querySelector('#banner')
      .shadowRoot.querySelector('[part~="countdown"]')
      ?.textContent.match(/^(09|10):\d\d$/),
  );
  assert.match(await p.$eval('#banner', (el) => el.shadowRoot.textContent), /Acting as this customer · ends in/);
  // Keyboard only: Tab reaches the Switch Role button inside the shadow root; Enter presses it.
  let focused = '';
  for (let i = 0; i < 10 && focused !== 'Switch Role'; i += 1) {
    await p.keyboard.press('Tab');
    focused = await p.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.textContent ?? '');
  }
  assert.equal(focused, 'Switch Role');
  await p.keyboard.press('Enter');
  await p.waitForFunction(() => window.hostEvents.some((e) => e.type === 'onbehalf:session-ended'));
  assert.equal(
    await p.evaluate(() => window.hostEvents.find((e) => e.type === 'onbehalf:session-ended').detail.reason),
    'switch_role',
  );
  const after = await fetch(`${BASE}/v1/sessions/current`, { headers: { Authorization: `Bearer ${s.body.token}` } });
  assert.equal(after.status, 401);
});

test('the order form component from the keyboard alone: EVS, placed, the host sees onbehalf:order-placed', async () => {
  const s = await api('POST', `/v1/customers/${demo.customers.ready}/sessions`, {
    as: 'skyline-operator',
    body: { minutes: 10 },
  });
  const t = await api('POST', '/v1/portal-tokens', { as: 'skyline-operator', body: {} });
  const p = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
  await p.goto(
    `${BASE}/embed-demo.html#token=${t.body.token}&customer=${demo.customers.ready}&session=${s.body.token}`,
  );
  await p.waitForSelector('#order-form[data-ready="true"]');
  const deep = () =>
    p.evaluate(() => {
      let a = document.activeElement;
      while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
      return { id: a?.id ?? '', name: a?.getAttribute?.('name') ?? '', value: a?.value ?? '' };
    });
  // Tab to the product radios, then the arrow key picks EVS.
  for (let i = 0; i < 60; i += 1) {
    await p.keyboard.press('Tab');
    if ((await deep()).name === 'service') break;
  }
  assert.equal((await deep()).name, 'service');
  await p.keyboard.press('ArrowRight');
  assert.equal((await deep()).value, 'evs');
  // On to Place order, and Enter.
  for (let i = 0; i < 80; i += 1) {
    await p.keyboard.press('Tab');
    if ((await deep()).id === 'place-order') break;
  }
  assert.equal((await deep()).id, 'place-order');
  await p.keyboard.press('Enter');
  await p.waitForFunction(() => window.hostEvents.some((e) => e.type === 'onbehalf:order-placed'));
  const placed = await p.evaluate(() => window.hostEvents.find((e) => e.type === 'onbehalf:order-placed').detail);
  assert.equal(placed.order.status, 5);
  assert.equal(placed.resources[0].resource_type_code, 'hws.resource.type.volume');
  // Theming reached the part.
  assert.equal(
    await p.$eval('#order-form', (el) => getComputedStyle(el.shadowRoot.querySelector('#place-order')).textTransform),
    'uppercase',
  );
  // Labels: every visible form control has an accessible name.
  const unnamed = await p.$eval('#order-form', (el) =>
    [...el.shadowRoot.querySelectorAll('input, select, button')]
      .filter(
        (c) => c.offsetParent !== null && !(c.labels?.length || c.getAttribute('aria-label') || c.textContent.trim()),
      )
      .map((c) => c.id || c.outerHTML.slice(0, 60)),
  );
  assert.deepEqual(unnamed, []);
  await p.screenshot({ path: `${ARTIFACTS}/embed-order-form.png`, fullPage: true });
});

test('the whole journey through the components in the foreign portal: table, place order, banner, order, Switch Role', async () => {
  const t = await api('POST', '/v1/portal-tokens', { as: 'skyline-operator', body: { minutes: 15 } });
  const p = await (await browser.newContext({ viewport: { width: 1300, height: 1000 } })).newPage();
  const errors = [];
  p.on('pageerror', (e) => errors.push(String(e)));
  await p.goto(`${BASE}/embed-demo.html#token=${t.body.token}`);
  await p.waitForFunction(() => window.hostEvents?.some((e) => e.type === 'onbehalf:loaded'));
  const C = demo.customers.ready;
  await p.fill('#f-id', C);
  await p.click('#filters button[type="submit"]');
  await p.waitForSelector(`tr[data-customer-id="${C}"]`);
  await p.waitForFunction(
    () => document.querySelector('#table').shadowRoot.querySelector('#total').dataset.total === '1',
  );
  // Table cells stay masked in the host page too.
  assert.match(await p.textContent(`tr[data-customer-id="${C}"] td[data-field="real_name"]`), /\*\*\*/);
  await p.click(`tr[data-customer-id="${C}"] details.more summary`);
  await p.click(`tr[data-customer-id="${C}"] details.more button:has-text("Place order on customer's behalf")`);
  // The confirm step is the component's own: nothing starts before OK.
  await p.waitForSelector('#switch-dialog[open]');
  assert.match(await p.textContent('#switch-who'), new RegExp(C), 'the customer is named by its full id');
  assert.ok(!(await p.evaluate(() => window.hostEvents.some((e) => e.type === 'onbehalf:place-order'))));
  await p.click('#switch-ok');
  await p.waitForFunction(() => window.hostEvents.some((e) => e.type === 'onbehalf:place-order'));
  await p.waitForFunction(() => document.querySelector('#banner').shadowRoot.textContent.includes('Acting as'));
  await p.waitForSelector('#order-form[data-ready="true"]');
  await p.check('input[name="service"][value="eip"]');
  await p.selectOption('#mode', 'pay_per_use');
  await p.click('#place-order');
  await p.waitForFunction(() => window.hostEvents.some((e) => e.type === 'onbehalf:order-placed'));
  const placed = await p.evaluate(() => window.hostEvents.find((e) => e.type === 'onbehalf:order-placed').detail);
  assert.equal(placed.order, null, 'pay-per-use: no order');
  assert.equal(placed.resources[0].resource_type_code, 'hws.resource.type.ip');
  // The result says where the new EIP answers.
  await p.waitForSelector('#eip-address');
  assert.match(await p.textContent('#eip-address'), /Public IP address: \d+\.\d+\.\d+\.\d+/);
  await p.screenshot({ path: `${ARTIFACTS}/embed-journey.png`, fullPage: true });
  // More > Orders and More > View resources reach the host, which lists them.
  await p.click(`tr[data-customer-id="${C}"] details.more summary`);
  await p.click(`tr[data-customer-id="${C}"] details.more button:has-text("View resources")`);
  await p.waitForSelector('#follow-up:not([hidden]) li');
  assert.match(await p.textContent('#follow-up h2'), /Resources of customer/);
  assert.match(await p.textContent('#follow-up ul'), new RegExp(placed.resources[0].resource_id));
  await p.click('#banner >> text=Switch Role');
  await p.waitForFunction(() => window.hostEvents.some((e) => e.type === 'onbehalf:session-ended'));
  // Without a session the form can no longer place orders.
  await p.waitForFunction(
    () => document.querySelector('#order-form').shadowRoot.querySelector('#place-order').disabled === true,
  );
  // Every visible control of the table has an accessible name.
  const unnamed = await p.$eval('#table', (el) =>
    [...el.shadowRoot.querySelectorAll('input, select, button')]
      .filter(
        (c) =>
          c.offsetParent !== null &&
          !(
            c.labels?.length ||
            c.getAttribute('aria-label') ||
            c.getAttribute('aria-labelledby') ||
            c.textContent.trim()
          ),
      )
      .map((c) => c.id || c.outerHTML.slice(0, 80)),
  );
  assert.deepEqual(unnamed, []);
  assert.deepEqual(errors, []);
});

test('the customer table with an expired or bad portal token says so instead of showing an empty table', async () => {
  const p = await (await browser.newContext({ viewport: { width: 1300, height: 900 } })).newPage();
  await p.goto(`${BASE}/embed-demo.html#token=obp_${'0'.repeat(40)}`);
  await p.waitForSelector('#fatal:not([hidden])');
  assert.match(await p.textContent('#fatal'), /sign-in is not valid or has expired/);
  assert.equal(await p.isVisible('#customer-table'), false, 'no empty table under the message');
});
