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

test('a reseller asks its distributor; the distributor sees it; a covering grant answers it, decline and withdraw close it', async () => {
  const c = await healthyCustomer('skyline-operator', R, 21);
  const before = await tables();
  // Who may ask: a reseller's admin or operator, for its own reseller-mode customers; bodies by path.
  assertError(
    await api('POST', '/v1/permission-requests', { as: 'skyline-viewer', body: { capabilities: ['order'] } }),
    403,
    'forbidden_role',
  );
  assertError(
    await api('POST', '/v1/permission-requests', { as: 'northwind-admin', body: { capabilities: ['order'] } }),
    403,
    'forbidden_partner_kind',
  );
  assertError(
    await api('POST', '/v1/permission-requests', {
      as: 'harbor-operator',
      body: { customer_id: c.id, capabilities: ['order'] },
    }),
    404,
    'not_found',
  );
  assertError(
    await api('POST', '/v1/permission-requests', {
      as: 'skyline-operator',
      body: { customer_id: demo.customers.referral, capabilities: ['order'] },
    }),
    422,
    'customer_not_reseller_mode',
  );
  assertError(
    await api('POST', '/v1/permission-requests', {
      as: 'skyline-operator',
      body: { customer_id: 'x', capabilities: [], note: '', extra: 1 },
    }),
    400,
    'validation_failed',
    [['customer_id'], ['capabilities'], ['note'], ['extra']],
  );
  assert.deepEqual(await tables(), before, 'refused requests change nothing');

  // Two asks at once for the same customer: one request, one 409.
  const body = { customer_id: c.id, capabilities: ['order'], note: 'Acme wants two servers this week.' };
  const both = await Promise.all(
    [1, 2].map(() => api('POST', '/v1/permission-requests', { as: 'skyline-operator', body })),
  );
  assert.deepEqual(both.map((r) => r.status).sort(), [201, 409], both.map((r) => r.text).join(' | '));
  const asked = both.find((r) => r.status === 201).body;
  assert.equal(both.find((r) => r.status === 409).body.error.code, 'permission_request_open');
  assert.equal(asked.status, 'open');
  assert.equal(asked.distributor_id, demo.partners.distributor);

  // The distributor's inbox has it, open first; another distributor's and another reseller's do not.
  const inbox = await api('GET', '/v1/permission-requests?status=open', { as: 'northwind-viewer' });
  assert.equal(inbox.status, 200, inbox.text);
  assert.ok(inbox.body.requests.some((r) => r.id === asked.id));
  const foreign = await api('GET', '/v1/permission-requests', { as: 'southgate-admin' });
  assert.ok(!foreign.body.requests.some((r) => r.id === asked.id));
  const harbor = await api('GET', '/v1/permission-requests', { as: 'harbor-operator' });
  assert.ok(!harbor.body.requests.some((r) => r.id === asked.id));
  assertError(
    await api('GET', '/v1/permission-requests?status=maybe', { as: 'northwind-viewer' }),
    400,
    'validation_failed',
    [['status']],
  );

  // A grant of O&M only does not answer a request for order placement; one for order does.
  const om = await api('POST', '/v1/distributor-permissions', {
    as: 'northwind-admin',
    body: { reseller_id: R, customer_id: c.id, capabilities: ['om'] },
  });
  assert.equal(om.status, 201, om.text);
  let mine = await api('GET', '/v1/permission-requests', { as: 'skyline-viewer' });
  assert.equal(mine.body.requests.find((r) => r.id === asked.id).status, 'open');
  const grant = await api('POST', '/v1/distributor-permissions', {
    as: 'northwind-admin',
    body: { reseller_id: R, customer_id: c.id, capabilities: ['order'] },
  });
  assert.equal(grant.status, 201, grant.text);
  mine = await api('GET', '/v1/permission-requests', { as: 'skyline-viewer' });
  const answered = mine.body.requests.find((r) => r.id === asked.id);
  assert.equal(answered.status, 'granted');
  assert.equal(answered.permission_id, grant.body.id);
  assertError(
    await api('POST', `/v1/permission-requests/${asked.id}/decline`, { as: 'northwind-admin' }),
    409,
    'permission_request_not_open',
  );
  await api('POST', `/v1/distributor-permissions/${om.body.id}/revoke`, { as: 'northwind-admin', body: {} });
  await api('POST', `/v1/distributor-permissions/${grant.body.id}/revoke`, { as: 'northwind-admin', body: {} });

  // Declined by the distributor (who else: not another distributor, not the reseller, not an operator).
  const all = await api('POST', '/v1/permission-requests', {
    as: 'harbor-operator',
    body: { capabilities: ['order', 'om'] },
  });
  assert.equal(all.status, 201, all.text);
  assert.equal(all.body.customer_id, null);
  const decline = `/v1/permission-requests/${all.body.id}/decline`;
  assertError(await api('POST', decline, { as: 'southgate-admin' }), 404, 'not_found');
  assertError(await api('POST', decline, { as: 'harbor-operator' }), 404, 'not_found');
  assertError(await api('POST', decline, { as: 'northwind-operator' }), 403, 'forbidden_role');
  const declined = await api('POST', decline, { as: 'northwind-admin', body: { reason: 'Not this quarter.' } });
  assert.equal(declined.status, 200, declined.text);
  assert.equal(declined.body.status, 'declined');
  assert.equal(declined.body.reason, 'Not this quarter.');
  // Withdrawn by the reseller; a withdrawn request no longer blocks a new one.
  const again = await api('POST', '/v1/permission-requests', {
    as: 'harbor-operator',
    body: { capabilities: ['order'] },
  });
  assert.equal(again.status, 201, again.text);
  const withdrawn = await api('POST', `/v1/permission-requests/${again.body.id}/withdraw`, {
    as: 'harbor-operator',
    body: {},
  });
  assert.equal(withdrawn.body.status, 'withdrawn');
  assertError(
    await api('POST', `/v1/permission-requests/${again.body.id}/withdraw`, { as: 'harbor-operator' }),
    409,
    'permission_request_not_open',
  );
});

test('a decline and a covering grant at once: the request ends declined or granted, never both, answered once', async () => {
  const c = await healthyCustomer('skyline-operator', R, 0);
  for (let round = 0; round < 4; round += 1) {
    const ask = await api('POST', '/v1/permission-requests', {
      as: 'skyline-operator',
      body: { customer_id: c.id, capabilities: ['om'] },
    });
    assert.equal(ask.status, 201, ask.text);
    const [decline, grant] = await Promise.all([
      api('POST', `/v1/permission-requests/${ask.body.id}/decline`, { as: 'northwind-admin', body: {} }),
      api('POST', '/v1/distributor-permissions', {
        as: 'northwind-admin',
        body: { reseller_id: R, customer_id: c.id, capabilities: ['om'] },
      }),
    ]);
    assert.equal(grant.status, 201, grant.text);
    const mine = await api('GET', '/v1/permission-requests', { as: 'skyline-viewer' });
    const r = mine.body.requests.find((x) => x.id === ask.body.id);
    if (decline.status === 200) {
      assert.equal(r.status, 'declined', 'declined first: the grant does not answer it afterwards');
      assert.equal(r.permission_id, null);
    } else {
      assertError(decline, 409, 'permission_request_not_open');
      assert.equal(r.status, 'granted');
      assert.equal(r.permission_id, grant.body.id);
    }
    await api('POST', `/v1/distributor-permissions/${grant.body.id}/revoke`, { as: 'northwind-admin', body: {} });
  }
});
