// Partner operations on customers (simulated mode): set a budget, freeze and unfreeze. Who may, what
// is refused with which code, what the prerequisite check sees at once, and what the customer sees.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, assertError, demo, healthyCustomer, pendingOrder, sql } from './helpers.mjs';

const usd = (minor) => ({ minor, currency: 'USD' });

test('a budget: set by the associated partner, usage carried over, below usage only when confirmed', async () => {
  const c = await healthyCustomer('skyline-operator', demo.partners.reseller, 6);
  const before = (await api('GET', `/v1/customers/${c.id}`, { as: 'skyline-operator' })).body;
  const used = before.budget?.used.minor ?? 0;
  const body = { type: 'monthly', amount: usd(used + 50_000), auto_freeze: true };
  assertError(await api('PUT', `/v1/customers/${c.id}/budget`, { as: 'skyline-viewer', body }), 403, 'forbidden_role');
  // A distributor sees its reseller's customer but does not operate it.
  assertError(
    await api('PUT', `/v1/customers/${c.id}/budget`, { as: 'northwind-admin', body }),
    403,
    'customer_not_associated',
  );
  const set = await api('PUT', `/v1/customers/${c.id}/budget`, { as: 'skyline-operator', body });
  assert.equal(set.status, 200, set.text);
  assert.deepEqual([set.body.budget.amount, set.body.budget.used], [usd(used + 50_000), usd(used)]);
  if (used > 0) {
    const low = { type: 'monthly', amount: usd(used - 1), auto_freeze: true };
    const r = await api('PUT', `/v1/customers/${c.id}/budget`, { as: 'skyline-operator', body: low });
    assertError(r, 409, 'budget_below_usage');
    assert.equal(r.body.error.data.used.minor, used);
  }
  const eur = await api('PUT', `/v1/customers/${c.id}/budget`, {
    as: 'skyline-operator',
    body: { ...body, amount: { minor: 1, currency: 'EUR' } },
  });
  assertError(eur, 422, 'currency_mismatch');
  assert.equal(eur.body.error.data.currency, 'USD');
  const events = await api('GET', `/v1/audit?customer_id=${c.id}&limit=20`, { as: 'skyline-admin' });
  assert.ok(events.body.events.some((e) => e.action === 'customer.budget_set'));
  const shown = await api('GET', `/v1/customers/${c.id}/budget`, { as: 'skyline-viewer' });
  assert.equal(shown.status, 200, shown.text);
  assert.equal(shown.body.source, 'onbehalf');
  assert.deepEqual(shown.body.budget.amount, usd(used + 50_000));
  assert.deepEqual([shown.body.history[0].amount, shown.body.history[0].type], [usd(used + 50_000), 'monthly']);
});

test('freeze and unfreeze: the check reacts at once; retries are harmless; an exhausted automatic freeze needs a budget', async () => {
  const c = await healthyCustomer('skyline-operator', demo.partners.reseller, 7);
  const ids = { customer_ids: [c.id], reason: 'overdue invoices' };
  const f = await api('POST', '/v1/customers/freeze', { as: 'skyline-operator', body: ids });
  assert.equal(f.status, 200, f.text);
  assert.deepEqual(f.body.results, [{ customer_id: c.id, outcome: 'changed' }]);
  const again = await api('POST', '/v1/customers/freeze', { as: 'skyline-operator', body: ids });
  assert.deepEqual(again.body.results, [{ customer_id: c.id, outcome: 'unchanged' }]);
  const report = await api('GET', `/v1/customers/${c.id}/prerequisites`, { as: 'skyline-operator' });
  assert.ok(report.body.blocking.includes('customer_frozen'), report.body.blocking);
  const u = await api('POST', '/v1/customers/unfreeze', { as: 'skyline-operator', body: ids });
  assert.deepEqual(u.body.results, [{ customer_id: c.id, outcome: 'changed' }]);
  const after = await api('GET', `/v1/customers/${c.id}/prerequisites`, { as: 'skyline-operator' });
  assert.ok(!after.body.blocking.includes('customer_frozen'));
  assertError(
    await api('POST', '/v1/customers/freeze', {
      as: 'skyline-operator',
      body: { customer_ids: [c.id, c.id], reason: 'x' },
    }),
    400,
    'validation_failed',
  );
  assertError(
    await api('POST', '/v1/customers/freeze', {
      as: 'skyline-operator',
      body: { customer_ids: [demo.customers.foreign], reason: 'not mine' },
    }),
    404,
    'not_found',
  );

  // Use the budget up with auto-freeze on, frozen automatically (as an order would leave it):
  // unfreezing is refused with the remedy; raising the budget lifts the freeze.
  const cur = (await api('GET', `/v1/customers/${c.id}`, { as: 'skyline-operator' })).body.budget;
  const used = cur?.used ?? usd(0);
  const exhausted = { type: 'monthly', amount: used, auto_freeze: true, below_usage: true };
  assert.equal(
    (await api('PUT', `/v1/customers/${c.id}/budget`, { as: 'skyline-operator', body: exhausted })).status,
    200,
  );
  await sql(
    `UPDATE customers SET frozen = 1, auto_frozen = 1, frozen_reason = 'Budget used up (auto-freeze)' WHERE id = '${c.id}'`,
  );
  const refused = await api('POST', '/v1/customers/unfreeze', { as: 'skyline-operator', body: ids });
  assertError(refused, 409, 'unfreeze_needs_budget');
  assert.match(refused.body.error.data.remedy, /auto-freeze off/);
  const raised = await api('PUT', `/v1/customers/${c.id}/budget`, {
    as: 'skyline-operator',
    body: { type: 'monthly', amount: usd(used.minor + 10_000), auto_freeze: true },
  });
  assert.equal(raised.status, 200, raised.text);
  assert.deepEqual(
    [raised.body.frozen, raised.body.auto_frozen],
    [false, false],
    'room again: the automatic freeze lifts',
  );
  const consentEvents = await api('GET', `/v1/audit?customer_id=${c.id}&limit=50`, { as: 'skyline-admin' });
  const actions = consentEvents.body.events.map((e) => e.action);
  assert.ok(actions.includes('customer.frozen') && actions.includes('customer.unfrozen'));
});

test('tags: added and removed by the partner, found by the tag filter at once', async () => {
  const c = await healthyCustomer('skyline-operator', demo.partners.reseller, 8);
  const tag = `t${Date.now().toString(36)}`;
  const found = async () =>
    (await api('GET', `/v1/customers?tag=${tag}`, { as: 'skyline-operator' })).body.customers.map((x) => x.id);
  assertError(
    await api('PATCH', `/v1/customers/${c.id}/tags`, { as: 'skyline-viewer', body: { add: [tag] } }),
    403,
    'forbidden_role',
  );
  const add = await api('PATCH', `/v1/customers/${c.id}/tags`, { as: 'skyline-operator', body: { add: [tag] } });
  assert.equal(add.status, 200, add.text);
  assert.ok(add.body.tags.includes(tag));
  assert.deepEqual(await found(), [c.id]);
  const again = await api('PATCH', `/v1/customers/${c.id}/tags`, { as: 'skyline-operator', body: { add: [tag] } });
  assert.equal(again.body.tags.filter((t) => t === tag).length, 1, 'adding twice keeps one');
  const rm = await api('PATCH', `/v1/customers/${c.id}/tags`, { as: 'skyline-operator', body: { remove: [tag] } });
  assert.ok(!rm.body.tags.includes(tag));
  assert.deepEqual(await found(), []);
  assertError(
    await api('PATCH', `/v1/customers/${c.id}/tags`, { as: 'skyline-operator', body: {} }),
    400,
    'validation_failed',
  );
});

test('an account manager: assigned by the associated partner, filtered by at once, audited; null unassigns', async () => {
  const c = await healthyCustomer('skyline-operator', demo.partners.reseller, 16);
  const path = `/v1/customers/${c.id}/account-manager`;
  assertError(
    await api('PUT', path, { as: 'skyline-viewer', body: { account_manager: 'Ada Quinn' } }),
    403,
    'forbidden_role',
  );
  assertError(await api('PUT', path, { as: 'skyline-operator', body: {} }), 400, 'validation_failed', [
    ['account_manager'],
  ]);
  const set = await api('PUT', path, { as: 'skyline-operator', body: { account_manager: 'Ada Quinn' } });
  assert.equal(set.status, 200, set.text);
  assert.equal(set.body.account_manager, 'Ada Quinn');
  const found = await api('GET', '/v1/customers?account_manager=ada%20qu&limit=100', { as: 'skyline-operator' });
  assert.deepEqual(
    found.body.customers.map((x) => x.id),
    [c.id],
    'the filter finds the new manager (case-insensitive, contains)',
  );
  const events = await api('GET', `/v1/audit?customer_id=${c.id}&limit=20`, { as: 'skyline-admin' });
  const ev = events.body.events.find((e) => e.action === 'customer.manager_assigned');
  assert.equal(ev.detail.account_manager, 'Ada Quinn');
  const off = await api('PUT', path, { as: 'skyline-operator', body: { account_manager: null } });
  assert.equal(off.body.account_manager, null);
  const none = await api('GET', '/v1/customers?account_manager=ada%20qu&limit=100', { as: 'skyline-operator' });
  assert.equal(none.body.customers.length, 0);
});

test('a sync in simulated mode: the directory is the local data, done at once, admins only', async () => {
  assertError(await api('POST', '/v1/customers/sync', { as: 'skyline-operator', body: {} }), 403, 'forbidden_role');
  assertError(
    await api('POST', '/v1/customers/sync', { as: 'skyline-admin', body: { now: true } }),
    400,
    'validation_failed',
  );
  const r = await api('POST', '/v1/customers/sync', { as: 'skyline-admin', body: {} });
  assert.equal(r.status, 202, r.text);
  const list = await api('GET', '/v1/customers?limit=1', { as: 'skyline-operator' });
  const own = await sql(
    `SELECT count(*) AS n FROM customers WHERE partner_id = '${demo.partners.reseller}' AND gone_at IS NULL`,
  );
  assert.equal(r.body.sync.state, 'done');
  assert.equal(r.body.sync.counts.unchanged, Number(own[0].n));
  assert.deepEqual([r.body.sync.counts.added, r.body.sync.counts.marked], [0, 0]);
  assert.ok(list.body.total >= Number(own[0].n));
  const s = await api('GET', '/v1/customers/sync', { as: 'skyline-viewer' });
  assert.equal(s.status, 200, s.text);
  assert.equal(s.body.running, null);
  assert.equal(s.body.last_finished.id, r.body.sync.id);
});

test('Customer Orders and View Resources in simulated mode: the same lines, onbehalf as origin, cursor paging', async () => {
  const mine = await api('GET', '/v1/orders?limit=100', { as: 'skyline-viewer' });
  const lines = [];
  let cursor = null;
  do {
    const r = await api('GET', `/v1/customer-orders?limit=3${cursor ? `&cursor=${cursor}` : ''}`, {
      as: 'skyline-viewer',
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.source, 'simulated');
    lines.push(...r.body.orders);
    cursor = r.body.next_cursor;
  } while (cursor && lines.length < 100);
  assert.deepEqual(
    lines.map((o) => o.order_id),
    mine.body.orders.slice(0, lines.length).map((o) => o.order_id),
  );
  assert.ok(lines.every((o) => o.origin === 'onbehalf' && o.placed?.session_id));
  assertError(await api('GET', '/v1/customer-resources', { as: 'skyline-viewer' }), 400, 'validation_failed', [
    ['customer_id'],
  ]);
  const c = demo.customers.ready;
  const res = await api('GET', `/v1/customer-resources?customer_id=${c}`, { as: 'skyline-viewer' });
  assert.equal(res.status, 200, res.text);
  const local = await api('GET', `/v1/customers/${c}/resources?billing=pay_per_use`, { as: 'skyline-viewer' });
  assert.equal(res.body.total, local.body.resources.length);
});

test('Customer Orders cancels a pending order in simulated mode; not twice; not by a viewer', async () => {
  const c = demo.customers.ready;
  const id = await pendingOrder(c);
  const path = `/v1/customer-orders/${id}/cancel`;
  assertError(await api('POST', path, { as: 'skyline-viewer', body: { customer_id: c } }), 403, 'forbidden_role');
  assertError(await api('POST', path, { as: 'skyline-operator', body: {} }), 400, 'validation_failed', [
    ['customer_id'],
  ]);
  const r = await api('POST', path, { as: 'skyline-operator', body: { customer_id: c } });
  assert.equal(r.status, 200, r.text);
  const line = await api('GET', `/v1/customer-orders?order_id=${id}`, { as: 'skyline-viewer' });
  assert.equal(line.body.orders[0].status, 4);
  // Who placed it, by name (the portal's "Placed by").
  const placer = (await api('GET', '/v1/me', { as: 'skyline-operator' })).body.user;
  assert.equal(line.body.orders[0].placed.placed_by, placer.id);
  assert.equal(line.body.orders[0].placed.placed_by_name, placer.name);
  assertError(
    await api('POST', path, { as: 'skyline-operator', body: { customer_id: c } }),
    409,
    'order_not_pending_payment',
  );
  assertError(
    await api('POST', '/v1/customer-orders/CS000/cancel', { as: 'skyline-operator', body: { customer_id: c } }),
    404,
    'not_found',
  );
});
