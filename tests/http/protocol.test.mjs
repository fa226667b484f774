// The protocol edges: authentication before anything else, visibility before role, bodies of
// bodiless actions, duplicate keys, 405 with Allow, HEAD, and one Content-Type for every JSON answer.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, asSession, assertError, demo, healthyCustomer, idem, tables } from './helpers.mjs';

const C = demo.customers.ready;

test('authentication comes first: no credential is 401 whatever else is wrong', async () => {
  assertError(await api('POST', '/v1/orders', { body: { draft: {} } }), 401, 'session_invalid');
  assertError(
    await api('POST', '/v1/orders', { rawBody: 'x'.repeat(70_000), headers: { 'Content-Type': 'text/plain' } }),
    401,
    'session_invalid',
  );
  assertError(
    await api('POST', '/v1/customers/reveal', { rawBody: '{', headers: { 'Content-Type': 'application/json' } }),
    401,
    'unauthenticated',
  );
  assertError(
    await api('POST', `/v1/consent/ct_${'0'.repeat(64)}/approve`, {
      rawBody: 'not json',
      headers: { 'Content-Type': 'application/json' },
    }),
    404,
    'not_found',
  );
  // With a session, a missing Idempotency-Key is the next thing said.
  const s = await api('POST', `/v1/customers/${C}/sessions`, { as: 'skyline-operator', body: {} });
  assertError(
    await asSession(s.body.token, 'POST', '/v1/orders', { body: { draft: {} } }),
    400,
    'idempotency_key_required',
  );
  await asSession(s.body.token, 'DELETE', '/v1/sessions/current');
});

test('visibility before role: what the caller cannot see is 404, whatever its role', async () => {
  const c = await healthyCustomer('skyline-operator', demo.partners.reseller, 5);
  const req = await api('POST', `/v1/customers/${c.id}/authorizations`, {
    as: 'skyline-operator',
    body: { capabilities: ['order'] },
  });
  assert.equal(req.status, 201, req.text);
  // Another partner's request: 404 for every role of every other partner.
  for (const as of ['harbor-operator', 'delta-operator', 'southgate-admin', 'northwind-viewer']) {
    assertError(await api('POST', `/v1/authorizations/${req.body.id}/withdraw`, { as }), 404, 'not_found');
  }
  assertError(
    await api('POST', `/v1/authorizations/${req.body.id}/withdraw`, { as: 'skyline-viewer' }),
    403,
    'forbidden_role',
  );
  assertError(
    await api('POST', `/v1/authorizations/auth_${'0'.repeat(24)}/withdraw`, { as: 'skyline-viewer' }),
    404,
    'not_found',
  );
  assert.equal(
    (await api('POST', `/v1/authorizations/${req.body.id}/withdraw`, { as: 'skyline-operator' })).status,
    200,
  );
  // Another distributor's permission: 404 for Southgate whatever its role; the reseller that received it may see it but not revoke it.
  const perm = await api('POST', '/v1/distributor-permissions', {
    as: 'northwind-admin',
    body: { reseller_id: demo.partners.reseller, customer_id: c.id, capabilities: ['om'] },
  });
  assert.equal(perm.status, 201, perm.text);
  assertError(
    await api('POST', `/v1/distributor-permissions/${perm.body.id}/revoke`, { as: 'southgate-admin' }),
    404,
    'not_found',
  );
  assertError(
    await api('POST', `/v1/distributor-permissions/${perm.body.id}/revoke`, { as: 'delta-operator' }),
    404,
    'not_found',
  );
  assertError(
    await api('POST', `/v1/distributor-permissions/${perm.body.id}/revoke`, { as: 'skyline-admin' }),
    403,
    'forbidden_partner_kind',
  );
  assertError(
    await api('POST', `/v1/distributor-permissions/${perm.body.id}/revoke`, { as: 'northwind-viewer' }),
    403,
    'forbidden_role',
  );
  // Another partner's customer and API key.
  assertError(
    await api('POST', `/v1/customers/${demo.customers.foreign}/authorizations`, {
      as: 'skyline-viewer',
      body: { capabilities: ['order'] },
    }),
    404,
    'not_found',
  );
  const key = demo.users.find((u) => u.handle === 'delta-operator').api_key_id;
  assertError(await api('POST', `/v1/api-keys/${key}/revoke`, { as: 'skyline-admin' }), 404, 'not_found');
});

test('actions without a body take nothing else: a foreign body is refused and changes nothing', async () => {
  const s = await api('POST', `/v1/customers/${C}/sessions`, { as: 'skyline-operator', body: {} });
  const token = s.body.token;
  const fixtures = JSON.parse((await import('node:fs')).readFileSync('tests/fixtures/drafts.json', 'utf8')).fixtures;
  const draft = structuredClone(fixtures.find((f) => f.name === 'evs-monthly').draft);
  draft.billing.auto_pay = false;
  const o = await asSession(token, 'POST', '/v1/orders', { body: { draft }, idem: idem() });
  assert.equal(o.status, 201, o.text);
  const id = o.body.order.order_id;
  const before = await tables();
  for (const path of [`/v1/orders/${id}/pay`, `/v1/orders/${id}/cancel`]) {
    assertError(await asSession(token, 'POST', path, { body: 'hello' }), 400, 'validation_failed', [[]]);
    assertError(await asSession(token, 'POST', path, { body: { amount: 1 } }), 400, 'validation_failed', [['amount']]);
    assertError(
      await asSession(token, 'POST', path, { rawBody: 'hello', headers: { 'Content-Type': 'text/plain' } }),
      415,
      'unsupported_media_type',
    );
  }
  assertError(await asSession(token, 'DELETE', '/v1/sessions/current', { body: [1] }), 400, 'validation_failed');
  const keyId = demo.users.find((u) => u.handle === 'skyline-viewer').api_key_id;
  assertError(
    await api('POST', `/v1/api-keys/${keyId}/revoke`, { as: 'skyline-admin', body: { now: true } }),
    400,
    'validation_failed',
    [['now']],
  );
  const consent = demo.consent[0].token;
  assertError(await api('POST', `/v1/consent/${consent}/code`, { body: 'hello' }), 400, 'validation_failed');
  assert.deepEqual(await tables(), before, 'nothing changed');
  assert.equal(
    (await asSession(token, 'POST', `/v1/orders/${id}/cancel`, { body: {} })).status,
    200,
    'an empty object is fine',
  );
  assert.equal((await asSession(token, 'DELETE', '/v1/sessions/current')).status, 200, 'and so is no body');
});

test('duplicate keys in a JSON object are refused with their path', async () => {
  const r = await api('POST', `/v1/customers/${C}/reveal`, {
    as: 'skyline-operator',
    rawBody: '{"fields": ["mobile"], "reason": "customer called", "reason": "x"}',
    headers: { 'Content-Type': 'application/json' },
  });
  assertError(r, 400, 'validation_failed', [['reason']]);
  assert.equal(r.body.error.details[0].code, 'duplicate');
  const nested = await api('POST', '/v1/drafts/validate', {
    as: 'skyline-operator',
    rawBody: '{"customer_id": "x", "ecs": {"name": "a", "name": "b"}}',
    headers: { 'Content-Type': 'application/json' },
  });
  assertError(nested, 400, 'validation_failed', [['ecs', 'name']]);
});

test('405 names the allowed methods; HEAD answers like GET without a body', async () => {
  const r = await api('PATCH', '/v1/customers', { as: 'skyline-viewer' });
  assertError(r, 405, 'method_not_allowed');
  assert.equal(r.headers.get('allow'), 'GET, HEAD');
  const o = await api('PUT', '/v1/orders', { as: 'skyline-viewer' });
  assert.equal(o.headers.get('allow'), 'GET, HEAD, POST');
  const d = await api('GET', `/v1/orders/CS1/pay`, { as: 'skyline-viewer' });
  assert.equal(d.headers.get('allow'), 'POST');
  const head = await api('HEAD', '/v1/customers?limit=1', { as: 'skyline-viewer' });
  assert.equal(head.status, 200);
  assert.equal(head.text, '');
  assert.equal(head.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal((await api('HEAD', '/v1/customers', {})).status, 401);
  assert.equal((await api('HEAD', '/v1/health')).status, 200);
});
