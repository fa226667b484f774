// Accessibility held by axe-core: Customer Management (list, More menu open, an operation dialog),
// Customer Orders and the consent page, at 1440 px, with no serious or critical WCAG 2 A/AA
// violation. (Issue 14 extends this to every page state at 390, 1024 and 1440 px.)

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchChromium } from '../../scripts/lib/chromium.mjs';
import { api, BASE, demo, key, latestConsent } from '../http/helpers.mjs';
import { violations } from './axe.mjs';

let browser;
before(async () => {
  browser = await launchChromium({ resend: true });
});
after(async () => {
  await browser?.close();
});

async function open(path) {
  // The portal's CSP forbids inline scripts; axe is injected by the test, so this context bypasses it.
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
  const p = await ctx.newPage();
  await p.goto(`${BASE}${path}`);
  return p;
}

const clean = async (p, state) => assert.deepEqual(await violations(p), [], `${state}: serious or critical violations`);

test('Customer Management: the list, the More menu open, the Set budget dialog', async () => {
  const p = await open(`/#key=${key('skyline-operator')}`);
  await p.waitForSelector('body[data-ready="true"]');
  await clean(p, 'list');
  const id = demo.customers.ready;
  await p.fill('#f-id', id);
  await p.press('#f-id', 'Enter');
  await p.waitForSelector(`tr[data-customer-id="${id}"]`);
  await p.click(`tr[data-customer-id="${id}"] details.more summary`);
  await clean(p, 'More menu open');
  await p.click(`tr[data-customer-id="${id}"] details.more button:has-text("Set budget")`);
  await p.waitForSelector('#op-dialog[open]');
  await clean(p, 'Set budget dialog');
});

test('Customer Orders', async () => {
  const p = await open(`/#key=${key('skyline-viewer')}`);
  await p.waitForSelector('body[data-ready="true"]');
  await p.goto(`${BASE}/orders.html?customer=${demo.customers.ready}`);
  await p.waitForSelector('body[data-ready="true"]');
  await clean(p, 'Customer Orders');
});

/** Whether every item of the open More menu of row `id` is on screen and is what a click there hits. */
async function menuReachable(p, id) {
  await p.waitForFunction(
    (rowId) =>
      document
        .querySelector('onbehalf-customer-table')
        .shadowRoot.querySelector(`tr[data-customer-id="${rowId}"] details.more[open] .menu`)?.style.top,
    id,
  );
  return p.evaluate((rowId) => {
    const root = document.querySelector('onbehalf-customer-table').shadowRoot;
    const items = [...root.querySelectorAll(`tr[data-customer-id="${rowId}"] details.more[open] .menu button`)];
    return (
      items.length > 0 &&
      items.every((b) => {
        const r = b.getBoundingClientRect();
        const x = r.left + r.width / 2;
        const y = r.top + r.height / 2;
        const hit = root.elementFromPoint(x, y);
        return y > 0 && y < window.innerHeight && x > 0 && x < window.innerWidth && (hit === b || b.contains(hit));
      })
    );
  }, id);
}

for (const width of [1024, 1440]) {
  test(`at ${width} px: no sideways page scroll; the More menu opens fully after a one-row search and on the last row`, async () => {
    const ctx = await browser.newContext({ viewport: { width, height: 800 } });
    const p = await ctx.newPage();
    await p.goto(`${BASE}/#key=${key('skyline-operator')}`);
    await p.waitForSelector('body[data-ready="true"]');
    const sideways = () => p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok((await sideways()) <= 0, `the page scrolls sideways by ${await sideways()} px`);
    assert.equal(await p.isVisible('#f-frozen'), true, 'every filter shows on a wide screen');
    assert.equal(await p.isVisible('#filters-toggle'), false);
    // The operation column is always in view: every row's More button inside the window and the table's box.
    const offscreen = await p.evaluate(() => {
      const root = document.querySelector('onbehalf-customer-table').shadowRoot;
      const box = root.querySelector('.tablewrap').getBoundingClientRect();
      return [...root.querySelectorAll('tbody details.more summary')].filter((s) => {
        const r = s.getBoundingClientRect();
        return r.right > Math.min(window.innerWidth, box.right) + 1 || r.left < box.left - 1;
      }).length;
    });
    assert.equal(offscreen, 0, 'More buttons out of view');
    // The last row of a full page.
    const last = await p.evaluate(() => {
      const rows = document.querySelector('onbehalf-customer-table').shadowRoot.querySelectorAll('tbody tr');
      return rows[rows.length - 1].dataset.customerId;
    });
    await p.click(`tr[data-customer-id="${last}"] details.more summary`);
    assert.ok(await menuReachable(p, last), 'every item of the last row menu is reachable');
    await p.click(`tr[data-customer-id="${last}"] details.more summary`);
    // After a search that finds one customer.
    const id = demo.customers.ready;
    await p.fill('#f-id', id);
    await p.press('#f-id', 'Enter');
    await p.waitForFunction(
      () => document.querySelector('onbehalf-customer-table').shadowRoot.querySelector('#total').dataset.total === '1',
    );
    await p.click(`tr[data-customer-id="${id}"] details.more summary`);
    assert.ok(await menuReachable(p, id), 'every item of the only row menu is reachable');
    await p.click(`tr[data-customer-id="${id}"] details.more button:has-text("Prerequisites")`);
    await p.waitForSelector('#detail:not([hidden])');
    await ctx.close();
  });
}

test('at 390 px no page scrolls sideways: Customer Management, Select Products (one column), Customer Orders, Permissions', async () => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true });
  const p = await ctx.newPage();
  await p.goto(`${BASE}/#key=${key('skyline-operator')}`);
  await p.waitForSelector('body[data-ready="true"]');
  // On a phone the list comes first: name, id and mobile, the other filters behind "All filters".
  assert.equal(await p.isVisible('#f-id'), true);
  assert.equal(await p.isVisible('#f-frozen'), false, 'the other filters are folded at 390 px');
  await p.click('#filters-toggle');
  assert.equal(await p.isVisible('#f-frozen'), true);
  assert.equal(await p.getAttribute('#filters-toggle', 'aria-expanded'), 'true');
  assert.deepEqual(await violations(p), [], 'all filters open at 390 px');
  for (const path of ['/', `/order.html?customer=${demo.customers.ready}`, '/orders.html', '/permissions.html']) {
    await p.goto(`${BASE}${path}`);
    await p.waitForSelector('body[data-ready="true"]');
    const over = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(over <= 0, `${path} scrolls sideways by ${over} px at 390 px`);
  }
  await ctx.close();
});

// Every state a user meets, at each width: 0 serious or critical violations.
for (const width of [390, 1024, 1440]) {
  test(`at ${width} px axe finds nothing serious on any state: list, filter error, reveal, confirm, prerequisites, Select Products (ECS, EVS, EIP), orders, consent, embed demo, permissions`, async () => {
    const ctx = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true });
    const p = await ctx.newPage();
    const at = (s) => `${s} at ${width} px`;
    await p.goto(`${BASE}/#key=${key('skyline-operator')}`);
    await p.waitForSelector('body[data-ready="true"]');
    await clean(p, at('list'));
    await p.fill('#f-id', 'zz');
    await p.press('#f-id', 'Enter');
    await p.waitForFunction(
      () =>
        document.querySelector('onbehalf-customer-table').shadowRoot.querySelector('#filter-error').textContent !== '',
    );
    assert.equal(await p.locator('#customer-table tbody tr').count(), 0, 'no stale rows under a filter error');
    await clean(p, at('filter error'));
    const id = demo.customers.ready;
    await p.fill('#f-id', id);
    await p.press('#f-id', 'Enter');
    await p.waitForSelector(`tr[data-customer-id="${id}"]`);
    await p.click('th button.eye[data-field="account_name"]');
    await p.waitForSelector('#reveal-dialog[open]');
    await clean(p, at('reveal dialog'));
    await p.click('#reveal-cancel');
    await p.click(`tr[data-customer-id="${id}"] details.more summary`);
    await p.click(`tr[data-customer-id="${id}"] details.more button[role="menuitem"]:text-is("Prerequisites")`);
    await p.waitForSelector('#api-checks li');
    await clean(p, at('prerequisites'));
    await p.click(`tr[data-customer-id="${id}"] details.more summary`);
    await p.click(`tr[data-customer-id="${id}"] details.more button:has-text("Place order on customer's behalf")`);
    await p.waitForSelector('#switch-dialog[open]');
    await clean(p, at('confirm step'));
    await p.click('#switch-cancel');
    await p.goto(`${BASE}/order.html?customer=${id}`);
    await p.waitForSelector('body[data-ready="true"]');
    for (const service of ['ecs', 'evs', 'eip']) {
      await p.check(`input[name="service"][value="${service}"]`);
      await clean(p, at(`Select Products (${service})`));
    }
    await p.goto(`${BASE}/orders.html?customer=${id}#resources`);
    await p.waitForSelector('body[data-ready="true"]');
    await clean(p, at('Customer Orders and View Resources'));
    await p.goto(`${BASE}/consent.html#token=${demo.consent[0].token}`);
    await p.waitForFunction(
      () => document.querySelector('onbehalf-consent')?.shadowRoot.querySelector('#consent-state').textContent !== '…',
    );
    await clean(p, at('consent page'));
    const t = await api('POST', '/v1/portal-tokens', { as: 'skyline-operator', body: { minutes: 15 } });
    await p.goto(`${BASE}/embed-demo.html#token=${t.body.token}`);
    await p.waitForFunction(() => window.hostEvents?.some((e) => e.type === 'onbehalf:loaded'));
    await clean(p, at('embed demo'));
    await p.goto(`${BASE}/#key=${key('northwind-admin')}`);
    await p.waitForSelector('body[data-ready="true"]');
    await p.goto(`${BASE}/permissions.html`);
    await p.waitForSelector('body[data-ready="true"]');
    await clean(p, at('Permissions'));
    await ctx.close();
  });
}

test('the consent page after approval (what was granted, until when), at 390 and 1440 px', async () => {
  const list = await api('GET', '/v1/customers?authorization=none&association_type=3&limit=100', {
    as: 'skyline-operator',
  });
  const c = list.body.customers.findLast((x) => x.association.partner_id === demo.partners.reseller);
  const req = await api('POST', `/v1/customers/${c.id}/authorizations`, {
    as: 'skyline-operator',
    body: { capabilities: ['om'], valid_days: 30 },
  });
  assert.equal(req.status, 201, req.text);
  const { token, code } = await latestConsent(c.id);
  const ok = await api('POST', `/v1/consent/${token}/approve`, { body: { code } });
  assert.equal(ok.status, 200, ok.text);
  for (const width of [390, 1440]) {
    const ctx = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true });
    const p = await ctx.newPage();
    await p.goto(`${BASE}/consent.html#token=${token}`);
    await p.waitForFunction(
      () =>
        document.querySelector('onbehalf-consent')?.shadowRoot.querySelector('#consent-state').textContent === 'active',
    );
    assert.match(await p.textContent('#consent-message'), /You authorized Skyline Cloud/);
    await clean(p, `consent page after approval at ${width} px`);
    await ctx.close();
  }
});
