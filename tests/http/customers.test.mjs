// Customers: masked by the server, visible only within the partner tree, and their prerequisite reports.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, assertError, customers, demo } from './helpers.mjs';

test('a customer is masked in detail and list responses', async () => {
  const r = await api('GET', `/v1/customers/${demo.customers.ready}`, { as: 'skyline-operator' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.real_name, 'A***');
  assert.equal(r.body.account_name, 'a***');
  assert.match(r.body.mobile.number, /^13\d\*{4}\d{4}$/);
  assert.equal(r.body.email, 'a***@mail.example');
  assert.deepEqual(r.body.masked, ['account_name', 'real_name', 'mobile', 'email']);
  // Clear values never appear anywhere in the body.
  for (const clear of ['Acme Trading Ltd.', 'acme_trading', 'acme_trading@mail.example'])
    assert.ok(!r.text.includes(clear), clear);

  const list = await customers('skyline-operator');
  assert.ok(list.length > 10);
  for (const c of list) {
    assert.ok(c.real_name.endsWith('***') || c.real_name === '', c.real_name);
    assert.match(c.mobile.number, /\*{4}/);
  }
  assert.ok(!JSON.stringify(list).includes('示例科技有限公司'));
});

test("customers of other partners are 404, existence not leaked; distributors see their resellers' customers", async () => {
  const foreign = demo.customers.foreign;
  const missing = '0'.repeat(32);
  for (const id of [foreign, missing]) {
    assertError(await api('GET', `/v1/customers/${id}`, { as: 'skyline-admin' }), 404, 'not_found');
    assertError(await api('GET', `/v1/customers/${id}/prerequisites`, { as: 'northwind-admin' }), 404, 'not_found');
    assertError(await api('GET', `/v1/customers/${id}/authorizations`, { as: 'skyline-operator' }), 404, 'not_found');
  }
  // Bad ids are 404 too, never 500.
  for (const id of ['XYZ', 'a'.repeat(33), '%27%20OR%201%3D1'])
    assertError(await api('GET', `/v1/customers/${id}`, { as: 'skyline-admin' }), 404, 'not_found');
  // Harbor (same distributor, other reseller) cannot see Skyline's customers.
  assertError(await api('GET', `/v1/customers/${demo.customers.ready}`, { as: 'harbor-operator' }), 404, 'not_found');
  // Northwind (the distributor) can.
  const dist = await api('GET', `/v1/customers/${demo.customers.ready}`, { as: 'northwind-viewer' });
  assert.equal(dist.status, 200);
  const list = await customers('northwind-viewer');
  const partners = new Set(list.map((c) => c.association.partner_id));
  assert.ok(partners.has(demo.partners.reseller) && partners.has(demo.partners.distributor));
  assert.ok(!partners.has(demo.partners.other_reseller));
  // Delta's operator sees its own customer and nothing of Northwind's tree.
  assert.equal((await api('GET', `/v1/customers/${foreign}`, { as: 'delta-operator' })).status, 200);
  assertError(await api('GET', `/v1/customers/${demo.customers.ready}`, { as: 'delta-operator' }), 404, 'not_found');
});

test('prerequisite reports name each unmet condition with its code', async () => {
  const referral = await api('GET', `/v1/customers/${demo.customers.referral}/prerequisites`, {
    as: 'skyline-operator',
  });
  assert.ok(referral.body.blocking.includes('association_not_reseller_mode'));
  const viewer = await api('GET', `/v1/customers/${demo.customers.ready}/prerequisites`, { as: 'skyline-viewer' });
  assert.deepEqual(viewer.body.blocking, ['role_cannot_order'], 'a viewer may read the report but not order');
  // A distributor acts for its reseller's customer with its own authorization, no distributor permission.
  const dist = await api('GET', `/v1/customers/${demo.customers.ready}/prerequisites`, { as: 'northwind-operator' });
  assert.equal(dist.body.checks.find((c) => c.check === 'distributor_permission').status, 'skip');
  assert.deepEqual(dist.body.blocking, ['authorization_missing']);

  // Generated customers in frozen / unverified / exhausted-budget states get their own codes.
  const list = await customers('skyline-operator');
  const pick = (pred) => list.find((c) => c.association.type === '3' && pred(c));
  const cases = [
    [(c) => c.frozen.auto, 'customer_auto_frozen'],
    [(c) => c.frozen.frozen && !c.frozen.auto, 'customer_frozen'],
    [(c) => c.verified_status !== 2, 'customer_not_verified'],
    [(c) => c.budget && c.budget.usage_percent >= 100, 'budget_exhausted'],
  ];
  let seen = 0;
  for (const [pred, code] of cases) {
    const c = pick(pred);
    if (!c) continue;
    seen += 1;
    const r = await api('GET', `/v1/customers/${c.id}/prerequisites`, { as: 'skyline-operator' });
    assert.ok(r.body.blocking.includes(code), `${code} in ${r.body.blocking}`);
  }
  assert.ok(seen >= 3, 'the demo data covers most blocked states');
  const warn = pick(
    (c) => c.budget && c.budget.usage_percent >= 75 && c.budget.usage_percent < 100 && !c.frozen.frozen,
  );
  if (warn) {
    const r = await api('GET', `/v1/customers/${warn.id}/prerequisites`, { as: 'skyline-operator' });
    const b = r.body.checks.find((c) => c.check === 'budget');
    assert.equal(b.status, 'warn');
    assert.ok([75, 90].includes(b.level));
  }
});
