// The whole journey in Chromium: Customer Management > More > Place order on customer's behalf >
// confirm > the acting-as banner > Select Products > place an order > pay a pending one > Customer
// Orders and View Resources > Switch Role back to the partner view. Screenshots in tests/artifacts/.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { launchChromium } from '../../scripts/lib/chromium.mjs';
import { api, BASE, demo, key } from '../http/helpers.mjs';

const ARTIFACTS = 'tests/artifacts';
let browser;
before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchChromium({ resend: true });
});
after(async () => {
  await browser?.close();
});

test("order on a customer's behalf, end to end, and Switch Role", async () => {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const p = await ctx.newPage();
  const errors = [];
  p.on('pageerror', (e) => errors.push(String(e)));
  const C = demo.customers.ready;
  await p.goto(`${BASE}/#key=${key('skyline-operator')}`);
  await p.waitForSelector('body[data-ready="true"]');
  assert.equal(await p.isHidden('#session-banner'), true, 'no banner before switching');
  await p.fill('#f-id', C);
  await p.click('#filters button[type="submit"]');
  await p.waitForFunction(
    () => document.querySelector('onbehalf-customer-table').shadowRoot.querySelector('#total').dataset.total === '1',
  );
  await p.click(`tr[data-customer-id="${C}"] details.more summary`);
  await p.click(`tr[data-customer-id="${C}"] details.more button:has-text("Place order on customer's behalf")`);
  await p.waitForSelector('#switch-dialog[open]');
  // The customer is named by its full id (its name stays masked until revealed on purpose).
  assert.match(await p.textContent('#switch-who'), new RegExp(`customer ${C}`));
  assert.ok(!(await p.textContent('#switch-who')).includes('***'));
  await p.screenshot({ path: `${ARTIFACTS}/switch-confirm.png` });
  await p.click('#switch-ok');
  await p.waitForURL(/\/order(\.html)?\?customer=/);
  await p.waitForSelector('body[data-ready="true"]');
  await p.waitForSelector('#session-banner[data-state="live"]');
  assert.match(
    await p.textContent('#session-banner [part~="banner"]'),
    new RegExp(`Acting as customer ${C} · ends in (29|30):\\d\\d`),
  );
  assert.match(await p.textContent('#customer-label'), new RegExp(`for customer ${C}`));
  const token = await p.evaluate(() => JSON.parse(sessionStorage.getItem('onbehalf.session')).token);

  // Yearly/monthly with auto-pay: completed at once.
  await p.check('input[name="service"][value="evs"]');
  assert.equal(await p.getAttribute('#draft-form', 'data-valid'), 'true');
  const impact = () => p.textContent('[data-testid="budget-impact"]');
  const before = await impact();
  await p.click('#place-order');
  await p.waitForSelector('#order-result[data-status]');
  assert.equal(await p.getAttribute('#order-result', 'data-status'), '201', await p.textContent('#order-result'));
  assert.equal(await p.getAttribute('#order-result', 'data-order-status'), '5');
  assert.match(await p.textContent('#order-state'), / · Completed$/, 'the status in words');
  const first = await p.getAttribute('#order-result', 'data-order-id');
  // The budget impact of the same draft now starts from the customer's fresh usage, as a new page would.
  const fresh = (await api('GET', `/v1/customers/${C}`, { as: 'skyline-operator' })).body.budget;
  const left = fresh.amount.minor - fresh.used.minor;
  const want = `remaining now ${(left / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${fresh.amount.currency}`;
  await p.waitForFunction(
    (w) =>
      document
        .querySelector('onbehalf-order-form')
        .shadowRoot.querySelector('[data-testid="budget-impact"]')
        ?.textContent.includes(w),
    want,
  );
  assert.notEqual(await impact(), before, 'the order changed the figures');
  // The order sent upstream exactly the request the payload panel showed.
  const sent = await p.evaluate(() => window.onbehalfOrder.lastResponse.request);
  assert.equal(await p.textContent('#payload'), `${sent.method} ${sent.path}\n${JSON.stringify(sent.body, null, 2)}`);
  await p.screenshot({ path: `${ARTIFACTS}/order-placed.png`, fullPage: true });

  // Without auto-pay: pending payment, then paid.
  await p.uncheck('#auto-pay');
  await p.click('#place-order');
  await p.waitForFunction(
    (f) =>
      document.querySelector('onbehalf-order-form').shadowRoot.querySelector('#order-result').dataset.orderId !== f,
    first,
  );
  assert.equal(await p.getAttribute('#order-result', 'data-order-status'), '6');
  await p.click('#pay-order');
  await p.waitForFunction(
    () =>
      document.querySelector('onbehalf-order-form').shadowRoot.querySelector('#order-result').dataset.orderStatus ===
      '5',
  );
  const second = await p.getAttribute('#order-result', 'data-order-id');

  // Customer Orders and View Resources.
  await p.goto(`${BASE}/orders.html?customer=${C}#resources`);
  await p.waitForSelector('body[data-ready="true"]');
  for (const id of [first, second])
    assert.ok(await p.$(`#orders-table tr[data-order-id="${id}"]`), `order ${id} listed`);
  assert.ok(Number(await p.getAttribute('#resources-table', 'data-count')) >= 2);
  assert.equal(await p.getAttribute('#session-banner', 'data-state'), 'live', 'the banner follows every page');
  await p.screenshot({ path: `${ARTIFACTS}/customer-orders.png`, fullPage: true });

  // Switch Role: back to the partner view where the user left it (the one-customer search), with a
  // message; the token is refused from now on.
  await p.click('#switch-role');
  await p.waitForURL(new RegExp(`/\\?customer_id=${C}$`));
  await p.waitForSelector('body[data-ready="true"]');
  assert.match(
    await p.textContent('#session-banner [part~="banner"]'),
    new RegExp(`You switched back from customer ${C}`),
  );
  assert.equal(await p.inputValue('#f-id'), C, 'the filter is kept');
  await p.waitForSelector(`tr[data-customer-id="${C}"]`);
  const r = await fetch(`${BASE}/v1/sessions/current`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(r.status, 401);
  assert.equal((await r.json()).error.code, 'session_ended');
  await p.screenshot({ path: `${ARTIFACTS}/switched-back.png` });
  assert.deepEqual(errors, []);
});

test('a grant revoked mid-session: the portal says so and returns to the partner view', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const p = await ctx.newPage();
  const C = demo.customers.ready;
  await p.goto(`${BASE}/#key=${key('skyline-operator')}`);
  await p.waitForSelector('body[data-ready="true"]');
  await p.fill('#f-id', C);
  await p.click('#filters button[type="submit"]');
  await p.waitForFunction(
    () => document.querySelector('onbehalf-customer-table').shadowRoot.querySelector('#total').dataset.total === '1',
  );
  await p.click(`tr[data-customer-id="${C}"] details.more summary`);
  await p.click(`tr[data-customer-id="${C}"] details.more button:has-text("Place order on customer's behalf")`);
  await p.click('#switch-ok');
  await p.waitForURL(/\/order(\.html)?\?customer=/);
  await p.waitForSelector('#session-banner[data-state="live"]');
  // The distributor revokes its permission while the reseller acts for the customer.
  const admin = { Authorization: `Bearer ${key('northwind-admin')}`, 'Content-Type': 'application/json' };
  const perms = await (
    await fetch(`${BASE}/v1/distributor-permissions?reseller_id=${demo.partners.reseller}`, { headers: admin })
  ).json();
  const covering = perms.permissions.filter(
    (x) => x.state === 'active' && (x.customer_id === C || x.customer_id === null),
  );
  for (const x of covering)
    await fetch(`${BASE}/v1/distributor-permissions/${x.id}/revoke`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ reason: 'page test' }),
    });
  await p.check('input[name="service"][value="evs"]');
  await p.click('#place-order');
  await p.waitForSelector('#session-banner[data-state="ended"]');
  assert.match(await p.textContent('#session-banner [part~="banner"]'), /no longer act for this customer/);
  // Back where the user left the list (the one-customer search), saying why.
  await p.waitForURL(new RegExp(`/\\?customer_id=${C}$`));
  await p.waitForSelector('#session-banner[data-state="ended"]');
  assert.match(await p.textContent('#session-banner [part~="banner"]'), /back in the partner view/);
  await p.screenshot({ path: `${ARTIFACTS}/session-revoked.png` });
  // Grant again for whatever runs next.
  const g = await fetch(`${BASE}/v1/distributor-permissions`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify({ reseller_id: demo.partners.reseller, customer_id: C, capabilities: ['order', 'om'] }),
  });
  assert.equal(g.status, 201);
});
