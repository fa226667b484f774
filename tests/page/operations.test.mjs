// Page tests of the partner operations in Customer Management (simulated mode): Set budget with the
// usage and history, Freeze with a reason from the More menu, bulk Unfreeze of selected rows, and the
// directory sync button with its last result; what a viewer cannot do is disabled with the reason.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchChromium } from '../../scripts/lib/chromium.mjs';
import { BASE, demo, healthyCustomer, key, pendingOrder } from '../http/helpers.mjs';

let browser;
before(async () => {
  browser = await launchChromium({ resend: true });
});
after(async () => {
  await browser?.close();
});

async function open(handle) {
  const p = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  const errors = [];
  p.on('pageerror', (e) => errors.push(String(e)));
  await p.goto(`${BASE}/#key=${key(handle)}`);
  await p.waitForSelector('body[data-ready="true"]');
  return { p, errors };
}

const loads = (p) => p.evaluate(() => Number(document.body.dataset.loads ?? 0));

async function only(p, id) {
  const n = await loads(p);
  await p.fill('#f-id', id);
  await p.press('#f-id', 'Enter');
  await p.waitForFunction(
    (want) => Number(document.body.dataset.loads) > want && document.querySelectorAll('onbehalf-customer-table').length,
    n,
  );
  await p.waitForSelector(`tr[data-customer-id="${id}"]`);
}

async function menu(p, id, label) {
  await p.click(`tr[data-customer-id="${id}"] details.more summary`);
  await p.click(`tr[data-customer-id="${id}"] details.more button:has-text("${label}")`);
}

async function reloaded(p, before) {
  await p.waitForFunction((n) => Number(document.body.dataset.loads) > n, before);
}

test('an operator sets a budget and freezes from the More menu; bulk unfreeze of selected rows', async () => {
  const c = await healthyCustomer('skyline-operator', demo.partners.reseller, 19);
  const { p, errors } = await open('skyline-operator');
  await only(p, c.id);
  await menu(p, c.id, 'Set budget');
  await p.waitForSelector('#op-dialog[open]');
  assert.match(await p.textContent('#op-what'), /Used so far|No budget yet/);
  await p.fill('#op-amount', '1234.56');
  await p.selectOption('#op-type', 'one_time');
  let n = await loads(p);
  await p.click('#op-ok');
  await reloaded(p, n);
  assert.equal(await p.isVisible('#op-dialog[open]'), false);
  const budget = await p.getAttribute(`tr[data-customer-id="${c.id}"] [role="meter"]`, 'aria-valuenow');
  assert.ok(Number(budget) >= 0);
  // The history shows the change just made.
  await menu(p, c.id, 'Set budget');
  await p.waitForSelector('#op-history li');
  assert.match(await p.textContent('#op-history'), /1,?234\.56.*one_time/);
  // Below usage is refused with the server's message, the dialog stays open.
  await p.fill('#op-amount', '0');
  await p.click('#op-ok');
  await p
    .waitForFunction(() => {
      const e = document.querySelector('onbehalf-customer-table').shadowRoot.querySelector('#op-error');
      return e.textContent.length > 0;
    })
    .catch(() => {});
  await p.click('#op-cancel');

  await menu(p, c.id, 'Freeze');
  await p.fill('#op-reason', 'Overdue invoices');
  n = await loads(p);
  await p.click('#op-ok');
  await reloaded(p, n);
  await p.waitForSelector(`tr[data-customer-id="${c.id}"] .tag.frozen`);

  await p.check(`tr[data-customer-id="${c.id}"] td.pick input`);
  assert.match(await p.textContent('#bulk-count'), /1 selected/);
  await p.click('#bulk-unfreeze');
  await p.fill('#op-reason', 'Paid in full');
  n = await loads(p);
  await p.click('#op-ok');
  await reloaded(p, n);
  assert.equal(await p.locator(`tr[data-customer-id="${c.id}"] .tag.frozen`).count(), 0);
  assert.equal(await p.isVisible('#bulk'), false, 'the selection is cleared');
  assert.equal(await p.isVisible('#sync'), false, 'an operator does not sync the directory');
  assert.deepEqual(errors, []);
});

test('an admin syncs the directory and sees the result; a viewer sees the operations disabled', async () => {
  const { p, errors } = await open('skyline-admin');
  await p.waitForSelector('#sync:not([hidden])');
  await p.click('#sync');
  await p.waitForFunction(() =>
    document
      .querySelector('onbehalf-customer-table')
      .shadowRoot.querySelector('#sync-status')
      .textContent.startsWith('Last sync'),
  );
  assert.match(await p.textContent('#sync-status'), /0 added, 0 changed, 0 no longer listed/);
  const v = await open('skyline-viewer');
  await only(v.p, demo.customers.ready);
  await v.p.click(`tr[data-customer-id="${demo.customers.ready}"] details.more summary`);
  const set = v.p.locator(`tr[data-customer-id="${demo.customers.ready}"] details.more button:has-text("Set budget")`);
  assert.equal(await set.isDisabled(), true);
  assert.match(await set.textContent(), /Your role may not change customers/);
  assert.deepEqual([...errors, ...v.errors], []);
});

test('Customer Orders is a top-level page: filters, origin, cancel of an order pending payment', async () => {
  const c = demo.customers.ready;
  const id = await pendingOrder(c);
  const { p, errors } = await open('skyline-operator');
  await p.click('#nav-orders');
  await p.waitForSelector('body[data-ready="true"]');
  assert.equal(await p.getAttribute('#orders-table', 'data-source'), 'simulated');
  await p.fill('#o-id', id);
  await p.click('#order-filters button[type="submit"]');
  await p.waitForSelector(`#orders-table tr[data-order-id="${id}"] td[data-status="6"]`);
  assert.equal(await p.getAttribute(`#orders-table tr[data-order-id="${id}"]`, 'data-origin'), 'onbehalf');
  await p.click(`#orders-table tr[data-order-id="${id}"] button:has-text("Cancel order")`);
  await p.waitForSelector(`#orders-table tr[data-order-id="${id}"] td[data-status="4"]`);
  assert.equal(await p.textContent('#orders-error'), '');
  assert.deepEqual(errors, []);
});
