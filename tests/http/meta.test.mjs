// Health, authentication, routing and identity.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, assertError, demo, user } from './helpers.mjs';

test('health answers without a key and every response has a request id', async () => {
  const r = await api('GET', '/v1/health');
  assert.equal(r.status, 200);
  assert.equal(r.body.status, 'ok');
  assert.equal(r.body.mode, 'development');
  assert.match(r.headers.get('x-request-id'), /^req_[0-9a-f]{32}$/);
  const r2 = await api('GET', '/v1/health');
  assert.notEqual(r.headers.get('x-request-id'), r2.headers.get('x-request-id'));
  assert.equal(r.headers.get('cache-control'), 'no-store');
});

test('no key, malformed key, unknown key: 401 with a code', async () => {
  const C = demo.customers.ready;
  assertError(await api('GET', `/v1/customers/${C}`), 401, 'unauthenticated');
  assertError(await api('GET', `/v1/customers/${C}`, { rawKey: 'not-a-key' }), 401, 'unauthenticated');
  assertError(await api('GET', `/v1/customers/${C}`, { rawKey: `obk_${'0'.repeat(40)}` }), 401, 'unauthenticated');
  assertError(await api('GET', '/v1/me', { headers: { Authorization: 'Basic Zm9vOmJhcg==' } }), 401, 'unauthenticated');
});

test('unknown routes are 404 and wrong methods 405, both as JSON errors', async () => {
  assertError(await api('GET', '/v1/nope'), 404, 'route_not_found');
  assertError(await api('DELETE', '/v1/health'), 405, 'method_not_allowed');
  assertError(
    await api('PUT', `/v1/customers/${demo.customers.ready}`, { as: 'skyline-admin', body: {} }),
    405,
    'method_not_allowed',
  );
});

test('me tells each role what it may do', async () => {
  const expect = {
    'northwind-admin': {
      role: 'admin',
      kind: 'distributor',
      manage_permissions: true,
      place_order: true,
      manage_api_keys: true,
    },
    'northwind-viewer': {
      role: 'viewer',
      kind: 'distributor',
      manage_permissions: false,
      place_order: false,
      manage_api_keys: false,
    },
    'skyline-admin': {
      role: 'admin',
      kind: 'reseller',
      manage_permissions: false,
      place_order: true,
      manage_api_keys: true,
    },
    'skyline-operator': {
      role: 'operator',
      kind: 'reseller',
      manage_permissions: false,
      place_order: true,
      manage_api_keys: false,
    },
  };
  for (const [handle, e] of Object.entries(expect)) {
    const r = await api('GET', '/v1/me', { as: handle });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.role, e.role, handle);
    assert.equal(r.body.partner.kind, e.kind, handle);
    assert.equal(r.body.user.id, user(handle).user_id);
    for (const a of ['manage_permissions', 'place_order', 'manage_api_keys'])
      assert.equal(r.body.abilities[a], e[a], `${handle} ${a}`);
  }
});
