// Embedding: portal tokens (minted server side, limited in the browser), per-partner CORS origins,
// and the browser security headers.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, assertError, BASE, demo, user } from './helpers.mjs';

test('a portal token acts for one user, briefly, and cannot mint tokens or manage keys', async () => {
  const t = await api('POST', '/v1/portal-tokens', { as: 'skyline-operator', body: {} });
  assert.equal(t.status, 201, t.text);
  assert.match(t.body.token, /^obp_[0-9a-f]{40}$/);
  assert.ok(Math.abs(Date.parse(t.body.expires_at) - Date.now() - 15 * 60 * 1000) < 60_000);
  const me = await api('GET', '/v1/me', { rawKey: t.body.token });
  assert.equal(me.status, 200, me.text);
  assert.equal(me.body.user.id, user('skyline-operator').user_id);
  assert.equal((await api('GET', `/v1/customers/${demo.customers.ready}`, { rawKey: t.body.token })).status, 200);
  assertError(await api('POST', '/v1/portal-tokens', { rawKey: t.body.token, body: {} }), 403, 'forbidden_credential');
  assertError(await api('GET', '/v1/api-keys', { rawKey: t.body.token }), 403, 'forbidden_credential');
  assertError(
    await api('PUT', '/v1/cors-origins', { rawKey: t.body.token, body: { origins: [] } }),
    403,
    'forbidden_credential',
  );
  // Minting for someone else: admins only, and only their own partner's users.
  assertError(
    await api('POST', '/v1/portal-tokens', {
      as: 'skyline-operator',
      body: { user_id: user('skyline-viewer').user_id },
    }),
    403,
    'forbidden_role',
  );
  const forViewer = await api('POST', '/v1/portal-tokens', {
    as: 'skyline-admin',
    body: { user_id: user('skyline-viewer').user_id, minutes: 5 },
  });
  assert.equal(forViewer.status, 201, forViewer.text);
  assertError(
    await api('POST', '/v1/portal-tokens', { as: 'skyline-admin', body: { user_id: user('delta-operator').user_id } }),
    404,
    'not_found',
  );
  assertError(
    await api('POST', '/v1/portal-tokens', { as: 'skyline-admin', body: { minutes: 61 } }),
    400,
    'validation_failed',
    [['minutes']],
  );
  assertError(await api('GET', '/v1/me', { rawKey: `obp_${'0'.repeat(40)}` }), 401, 'unauthenticated');
});

test('CORS: only the origins a partner lists, and only for that partner', async () => {
  const mine = 'https://portal.skyline.example';
  const theirs = 'https://portal.delta.example';
  assertError(
    await api('PUT', '/v1/cors-origins', { as: 'skyline-admin', body: { origins: ['not an origin'] } }),
    400,
    'validation_failed',
    [['origins', 0]],
  );
  assertError(
    await api('PUT', '/v1/cors-origins', { as: 'skyline-operator', body: { origins: [mine] } }),
    403,
    'forbidden_role',
  );
  const set = await api('PUT', '/v1/cors-origins', { as: 'skyline-admin', body: { origins: [mine, `${mine}/`] } });
  assert.deepEqual(set.body.origins, [mine]);
  assert.equal(
    (await api('PUT', '/v1/cors-origins', { as: 'delta-operator', body: { origins: [theirs] } })).status,
    403,
    'operators may not',
  );
  const pre = await fetch(`${BASE}/v1/customers`, {
    method: 'OPTIONS',
    headers: {
      Origin: mine,
      'Access-Control-Request-Method': 'GET',
      'Access-Control-Request-Headers': 'authorization',
    },
  });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get('access-control-allow-origin'), mine);
  assert.match(pre.headers.get('access-control-allow-headers'), /Authorization/);
  const unknown = await fetch(`${BASE}/v1/customers`, {
    method: 'OPTIONS',
    headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'GET' },
  });
  assert.equal(unknown.status, 403);
  assert.equal(unknown.headers.get('access-control-allow-origin'), null);
  const t = (await api('POST', '/v1/portal-tokens', { as: 'skyline-operator', body: {} })).body.token;
  const ok = await api('GET', '/v1/customers?limit=1', { rawKey: t, headers: { Origin: mine } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.headers.get('access-control-allow-origin'), mine);
  assertError(
    await api('GET', '/v1/customers?limit=1', { rawKey: t, headers: { Origin: 'https://evil.example' } }),
    403,
    'origin_not_allowed',
  );
  assert.equal((await api('GET', '/v1/cors-origins', { as: 'skyline-viewer' })).body.origins[0], mine);
  // Another partner's listed origin does not open Skyline's data.
  const d = await api('PUT', '/v1/cors-origins', { as: 'southgate-admin', body: { origins: [theirs] } });
  assert.equal(d.status, 200, d.text);
  assertError(
    await api('GET', '/v1/customers?limit=1', { rawKey: t, headers: { Origin: theirs } }),
    403,
    'origin_not_allowed',
  );
});

test('security headers: the API and the portal pages', async () => {
  const a = await fetch(`${BASE}/v1/health`);
  assert.equal(a.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(a.headers.get('referrer-policy'), 'no-referrer');
  for (const page of ['/', '/order.html', '/orders.html', '/consent.html']) {
    const r = await fetch(`${BASE}${page}`);
    const csp = r.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/, page);
    assert.doesNotMatch(csp, /unsafe-inline|'unsafe-eval'/, page);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', page);
    assert.equal(r.headers.get('referrer-policy'), 'no-referrer', page);
  }
});
