// API keys: created by admins, shown once, stored only as a hash, revocable with immediate effect.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, assertError, tables, user } from './helpers.mjs';

test('an admin creates a key for a user, it works, and stops working once revoked', async () => {
  const viewer = user('skyline-viewer');
  const created = await api('POST', '/v1/api-keys', {
    as: 'skyline-admin',
    body: { user_id: viewer.user_id, label: 'ci robot' },
  });
  assert.equal(created.status, 201, created.text);
  assert.match(created.body.key, /^obk_[0-9a-f]{40}$/);
  const me = await api('GET', '/v1/me', { rawKey: created.body.key });
  assert.equal(me.status, 200);
  assert.equal(me.body.user.id, viewer.user_id);

  const list = await api('GET', '/v1/api-keys', { as: 'skyline-admin' });
  const listed = list.body.api_keys.find((k) => k.id === created.body.id);
  assert.equal(listed.label, 'ci robot');
  assert.ok(!JSON.stringify(list.body).includes(created.body.key), 'the secret is never listed');
  assert.ok(!('key_hash' in listed));

  const revoked = await api('POST', `/v1/api-keys/${created.body.id}/revoke`, { as: 'skyline-admin' });
  assert.equal(revoked.status, 200, revoked.text);
  assertError(await api('GET', '/v1/me', { rawKey: created.body.key }), 401, 'unauthenticated');
  assertError(
    await api('POST', `/v1/api-keys/${created.body.id}/revoke`, { as: 'skyline-admin' }),
    409,
    'api_key_already_revoked',
  );
});

test('only admins manage keys, only for their own partner, and bad input changes nothing', async () => {
  const before = await tables();
  assertError(await api('GET', '/v1/api-keys', { as: 'skyline-operator' }), 403, 'forbidden_role');
  assertError(
    await api('POST', '/v1/api-keys', {
      as: 'skyline-operator',
      body: { user_id: user('skyline-operator').user_id, label: 'x' },
    }),
    403,
    'forbidden_role',
  );
  assertError(
    await api('POST', '/v1/api-keys', {
      as: 'skyline-admin',
      body: { user_id: user('northwind-viewer').user_id, label: 'steal' },
    }),
    404,
    'not_found',
  );
  assertError(
    await api('POST', '/v1/api-keys', { as: 'skyline-admin', body: { user_id: 'usr_x', label: '', admin: true } }),
    400,
    'validation_failed',
    [['user_id'], ['label'], ['admin']],
  );
  const other = await api('GET', '/v1/api-keys', { as: 'northwind-admin' });
  const someSkylineKey = (await api('GET', '/v1/api-keys', { as: 'skyline-admin' })).body.api_keys[0].id;
  assert.ok(!other.body.api_keys.some((k) => k.id === someSkylineKey), 'keys of other partners are invisible');
  assertError(await api('POST', `/v1/api-keys/${someSkylineKey}/revoke`, { as: 'northwind-admin' }), 404, 'not_found');
  assert.deepEqual(await tables(), before);
});
