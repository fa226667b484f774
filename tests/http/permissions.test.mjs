// Distributor permissions: granted by a distributor admin to its own resellers, immutable, revocable.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, assertError, demo, healthyCustomer, tables } from './helpers.mjs';

const R = demo.partners.reseller;

test('grant for all customers, visible to the reseller, revoke takes effect on the next check', async () => {
  const c = await healthyCustomer('skyline-operator', R, 1);
  const grant = await api('POST', '/v1/distributor-permissions', {
    as: 'northwind-admin',
    body: { reseller_id: R, capabilities: ['order'], valid_until: '2099-01-01T00:00:00Z' },
  });
  assert.equal(grant.status, 201, grant.text);
  assert.equal(grant.body.scope, 'all_customers');
  assert.equal(grant.body.customer_id, null);

  const received = await api('GET', '/v1/distributor-permissions', { as: 'skyline-viewer' });
  assert.ok(
    received.body.permissions.some((p) => p.id === grant.body.id),
    'the reseller sees what it received',
  );
  const harbor = await api('GET', '/v1/distributor-permissions', { as: 'harbor-operator' });
  assert.ok(!harbor.body.permissions.some((p) => p.id === grant.body.id), 'another reseller does not');

  let report = (await api('GET', `/v1/customers/${c.id}/prerequisites`, { as: 'skyline-operator' })).body;
  assert.equal(report.checks.find((x) => x.check === 'distributor_permission').status, 'pass');

  const revoked = await api('POST', `/v1/distributor-permissions/${grant.body.id}/revoke`, {
    as: 'northwind-admin',
    body: { reason: 'contract ended' },
  });
  assert.equal(revoked.status, 200, revoked.text);
  assert.equal(revoked.body.state, 'revoked');
  report = (await api('GET', `/v1/customers/${c.id}/prerequisites`, { as: 'skyline-operator' })).body;
  assert.ok(report.blocking.includes('distributor_permission_revoked'), report.blocking);
  assertError(
    await api('POST', `/v1/distributor-permissions/${grant.body.id}/revoke`, { as: 'northwind-admin' }),
    409,
    'permission_already_revoked',
  );
});

test("who may grant: distributor admins only, for their own resellers and those resellers' customers", async () => {
  const before = await tables();
  const body = { reseller_id: R, capabilities: ['order'] };
  assertError(
    await api('POST', '/v1/distributor-permissions', { as: 'skyline-admin', body }),
    403,
    'forbidden_partner_kind',
  );
  assertError(
    await api('POST', '/v1/distributor-permissions', { as: 'northwind-operator', body }),
    403,
    'forbidden_role',
  );
  assertError(await api('POST', '/v1/distributor-permissions', { body }), 401, 'unauthenticated');
  assertError(
    await api('POST', '/v1/distributor-permissions', { as: 'southgate-admin', body }),
    422,
    'reseller_not_under_distributor',
  );
  assertError(
    await api('POST', '/v1/distributor-permissions', {
      as: 'northwind-admin',
      body: { ...body, reseller_id: demo.partners.distributor },
    }),
    422,
    'reseller_not_under_distributor',
  );
  // A customer of another reseller, or a referral customer, cannot be named.
  assertError(
    await api('POST', '/v1/distributor-permissions', {
      as: 'northwind-admin',
      body: { ...body, reseller_id: demo.partners.reseller2, customer_id: demo.customers.ready },
    }),
    422,
    'customer_not_of_reseller',
  );
  assertError(
    await api('POST', '/v1/distributor-permissions', {
      as: 'northwind-admin',
      body: { ...body, customer_id: demo.customers.referral },
    }),
    422,
    'customer_not_of_reseller',
  );
  assert.deepEqual(await tables(), before, 'refused grants write nothing');
});

test('bad grant bodies get every field error and change no row', async () => {
  const before = await tables();
  const as = 'northwind-admin';
  assertError(
    await api('POST', '/v1/distributor-permissions', {
      as,
      body: { reseller_id: 'nope', capabilities: ['order', 'order'], valid_until: '2001-01-01T00:00:00Z', extra: 1 },
    }),
    400,
    'validation_failed',
    [['reseller_id'], ['capabilities'], ['valid_until'], ['extra']],
  );
  assertError(
    await api('POST', '/v1/distributor-permissions', { as, body: { reseller_id: R, capabilities: 'order' } }),
    400,
    'validation_failed',
    [['capabilities']],
  );
  assertError(
    await api('POST', '/v1/distributor-permissions', { as, body: { reseller_id: R, capabilities: ['sell'] } }),
    400,
    'validation_failed',
    [['capabilities', 0]],
  );
  assertError(await api('POST', '/v1/distributor-permissions', { as, body: [1, 2] }), 400, 'validation_failed', [[]]);
  assertError(
    await api('POST', '/v1/distributor-permissions', {
      as,
      rawBody: '{"reseller_id":',
      headers: { 'Content-Type': 'application/json' },
    }),
    400,
    'malformed_json',
  );
  assertError(
    await api('POST', '/v1/distributor-permissions', {
      as,
      rawBody: 'reseller_id=x',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    }),
    415,
    'unsupported_media_type',
  );
  assertError(
    await api('POST', '/v1/distributor-permissions', {
      as,
      rawBody: JSON.stringify({ reseller_id: R, capabilities: ['order'], note: 'x'.repeat(70_000) }),
      headers: { 'Content-Type': 'application/json' },
    }),
    413,
    'payload_too_large',
  );
  assertError(await api('GET', '/v1/distributor-permissions?reseller_id=zz', { as }), 400, 'validation_failed', [
    ['reseller_id'],
  ]);
  assertError(await api('POST', '/v1/distributor-permissions/perm_nope/revoke', { as }), 404, 'not_found');
  assert.deepEqual(await tables(), before);
});
