// The D1 round-trip budget over the simulated suite (tests/http/budget.mjs), and the credential
// memo that makes a warm request spend nothing on its key.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkBudgets, HUAWEI_ONLY, PRODUCTION_ONLY } from './budget.mjs';
import { api, BASE, demo } from './helpers.mjs';

test('operations seen nowhere else in this suite', async () => {
  assert.equal((await api('GET', '/v1/resellers', { as: 'northwind-admin' })).status, 200);
  assert.equal((await api('GET', '/v1/openapi.json')).status, 200);
});

test('every operation answers within its D1 round-trip budget', (t) =>
  checkBudgets(t, (name) => name in HUAWEI_ONLY || name in PRODUCTION_ONLY || /huawei-(key|account)/.test(name)));

test('a warm request spends no round trip on its key: the credential is remembered for at most 5 s', async () => {
  const key = demo.users.find((u) => u.handle === 'skyline-viewer').api_key;
  const get = () => fetch(`${BASE}/v1/me`, { headers: { Authorization: `Bearer ${key}` } });
  await get();
  const warm = await get();
  assert.equal(warm.status, 200);
  assert.equal(warm.headers.get('x-onbehalf-d1-auth-calls'), '0', 'remembered');
  assert.equal(warm.headers.get('x-onbehalf-d1-calls'), '1', 'GET /v1/me is one round trip in all');
  await new Promise((r) => setTimeout(r, 5200));
  const later = await get();
  assert.equal(later.headers.get('x-onbehalf-d1-auth-calls'), '1', 'read again from D1 after 5 s');
  assert.equal(later.headers.get('x-onbehalf-d1-calls'), '2');
});

test('a key revoked through this worker stops working on the very next request, even while remembered', async () => {
  const user = (await api('GET', '/v1/me', { as: 'skyline-viewer' })).body.user.id;
  const made = await api('POST', '/v1/api-keys', { as: 'skyline-admin', body: { user_id: user, label: 'memo test' } });
  assert.equal(made.status, 201, made.text);
  const ok = await api('GET', '/v1/me', { rawKey: made.body.key });
  assert.equal(ok.status, 200);
  const revoked = await api('POST', `/v1/api-keys/${made.body.id}/revoke`, { as: 'skyline-admin' });
  assert.equal(revoked.status, 200, revoked.text);
  assert.equal((await api('GET', '/v1/me', { rawKey: made.body.key })).status, 401);
});
