// Keyboard only: the reseller's journey (search, More, Place order, confirm, Select Products, Place
// order, Switch Role) and the distributor's (a reseller asks from Prerequisites; the distributor
// grants on Permissions) are completed with Tab, arrow keys and Enter; no click, no programmatic focus.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchChromium } from '../../scripts/lib/chromium.mjs';
import { api, BASE, demo, key } from '../http/helpers.mjs';

let browser;
before(async () => {
  browser = await launchChromium({ resend: true });
});
after(async () => {
  await browser?.close();
});

async function open(handle, path = '/') {
  const p = await (await browser.newContext({ viewport: { width: 1024, height: 800 } })).newPage();
  const errors = [];
  p.on('pageerror', (e) => errors.push(String(e)));
  await p.goto(`${BASE}/#key=${key(handle)}`);
  await p.waitForSelector('body[data-ready="true"]');
  if (path !== '/') {
    await p.goto(`${BASE}${path}`);
    await p.waitForSelector('body[data-ready="true"]');
  }
  return { p, errors };
}

/** The focused element, through shadow roots: what a keyboard user is on. */
const focused = (p) =>
  p.evaluate(() => {
    let a = document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    return {
      id: a?.id ?? '',
      tag: a?.tagName ?? '',
      text: (a?.textContent ?? '').trim().slice(0, 80),
      row: a?.closest?.('tr')?.dataset.customerId ?? a?.closest?.('tr')?.dataset.requestId ?? '',
      status: a?.closest?.('tr')?.dataset.status ?? '',
    };
  });

/** Presses Tab until `want(focused)` holds (at most `max` times); fails if it never does. */
async function tabTo(p, want, what, max = 150) {
  for (let i = 0; i < max; i += 1) {
    if (want(await focused(p))) return;
    await p.keyboard.press('Tab');
  }
  assert.fail(`${what} is not reachable with Tab (last: ${JSON.stringify(await focused(p))})`);
}

async function searchById(p, id) {
  await tabTo(p, (f) => f.id === 'f-id', 'the Customer ID filter');
  await p.keyboard.type(id);
  await p.keyboard.press('Enter');
  await p.waitForFunction(
    () => document.querySelector('onbehalf-customer-table').shadowRoot.querySelector('#total').dataset.total === '1',
  );
}

test("the reseller's journey with the keyboard alone", async () => {
  const C = demo.customers.ready;
  const { p, errors } = await open('skyline-operator');
  await searchById(p, C);
  await tabTo(p, (f) => f.tag === 'SUMMARY' && f.row === C, "the row's More button");
  await p.keyboard.press('Enter');
  await tabTo(p, (f) => f.text.startsWith("Place order on customer's behalf"), 'Place order in the menu');
  await p.keyboard.press('Enter');
  await p.waitForSelector('#switch-dialog[open]');
  await tabTo(p, (f) => f.id === 'switch-ok', 'OK in the confirm step');
  await p.keyboard.press('Enter');
  await p.waitForURL(/\/order(\.html)?\?customer=/);
  await p.waitForSelector('body[data-ready="true"]');
  await p.waitForSelector('#session-banner[data-state="live"]');
  await tabTo(p, (f) => f.id === 'place-order', 'Place order');
  await p.keyboard.press('Enter');
  await p.waitForSelector('#order-result[data-status]');
  assert.equal(await p.getAttribute('#order-result', 'data-status'), '201', await p.textContent('#order-result'));
  await tabTo(p, (f) => f.id === 'switch-role', 'Switch Role', 300);
  await p.keyboard.press('Enter');
  await p.waitForURL(/customer_id=/);
  await p.waitForSelector('body[data-ready="true"]');
  assert.deepEqual(errors, []);
});

test("the distributor's journey with the keyboard alone: asked from Prerequisites, granted on Permissions", async () => {
  const list = await api('GET', '/v1/customers?can_order=false&association_type=3&limit=100', {
    as: 'skyline-operator',
  });
  const c = list.body.customers.findLast(
    (x) =>
      x.association.partner_id === demo.partners.reseller &&
      x.blocking.some((b) => b.startsWith('distributor_permission_')),
  );
  assert.ok(c, 'a customer blocked by a missing, revoked or expired distributor permission');
  const reseller = await open('skyline-operator');
  let p = reseller.p;
  await searchById(p, c.id);
  await tabTo(p, (f) => f.tag === 'SUMMARY' && f.row === c.id, "the row's More button");
  await p.keyboard.press('Enter');
  await tabTo(p, (f) => f.text === 'Prerequisites', 'Prerequisites in the menu');
  await p.keyboard.press('Enter');
  await p.waitForSelector('#remedies button');
  await tabTo(p, (f) => f.text === 'Ask your distributor…', 'Ask your distributor');
  await p.keyboard.press('Enter');
  await p.waitForSelector('#op-dialog[open]');
  await tabTo(p, (f) => f.id === 'op-ok', 'Send request');
  await p.keyboard.press('Enter');
  await p.waitForFunction(() =>
    document
      .querySelector('onbehalf-customer-table')
      .shadowRoot.querySelector('#announce')
      .textContent.includes('distributor was asked'),
  );

  const dist = await open('northwind-admin', '/permissions.html');
  p = dist.p;
  const open_ = (await api('GET', '/v1/permission-requests?status=open', { as: 'northwind-admin' })).body.requests.find(
    (r) => r.customer_id === c.id,
  );
  assert.ok(open_, 'the request is open');
  await tabTo(p, (f) => f.text === 'Grant' && f.row === open_.id, "the request's Grant button");
  await p.keyboard.press('Enter');
  await p.waitForSelector(`#requests-table tr[data-request-id="${open_.id}"][data-status="granted"]`);
  const report = await api('GET', `/v1/customers/${c.id}/prerequisites`, { as: 'skyline-operator' });
  assert.equal(report.body.checks.find((x) => x.check === 'distributor_permission').status, 'pass');
  // Leave the demo data as it was for the other tests: revoke what this test granted.
  const perms = (await api('GET', '/v1/distributor-permissions', { as: 'northwind-admin' })).body.permissions;
  for (const perm of perms.filter((x) => x.customer_id === c.id && x.state === 'active'))
    await api('POST', `/v1/distributor-permissions/${perm.id}/revoke`, { as: 'northwind-admin', body: {} });
  assert.deepEqual([...reseller.errors, ...dist.errors], []);
});
