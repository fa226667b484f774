// Message channels (dev mode): configuration, who may, concurrent changes, and an authorization
// request's messages as its partner and that partner's distributor see them. Delivery itself, in
// production mode through the emulator, is tests/http/huawei_delivery.test.mjs.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, assertError, customers, demo, sql } from './helpers.mjs';

const R = demo.partners.reseller;
const hook = { url: 'https://hooks.southgate.example/onbehalf' };

test('channels: admin with an API key, the signing secret shown once, secrets never', async () => {
  assertError(
    await api('PUT', '/v1/message-channels/webhook', { as: 'skyline-operator', body: hook }),
    403,
    'forbidden_role',
  );
  assertError(await api('GET', '/v1/message-channels', { as: 'skyline-viewer' }), 403, 'forbidden_role');
  assertError(
    await api('PUT', '/v1/message-channels/webhook', {
      as: 'southgate-admin',
      body: { url: 'http://hooks.example/x' },
    }),
    400,
    'validation_failed',
    [['url']],
  );
  const set = await api('PUT', '/v1/message-channels/webhook', { as: 'southgate-admin', body: hook });
  assert.equal(set.status, 200, set.text);
  const secret = set.body.signing_secret;
  assert.match(secret, /^whsec_[0-9a-f]{64}$/);
  const [channel] = set.body.channels;
  assert.equal(channel.kind, 'webhook');
  assert.equal(channel.config.url, hook.url);
  assert.match(channel.config.key_id, /^whk_[0-9a-f]{16}$/);
  assert.equal(channel.secret_hint, channel.config.key_id);
  const list = await api('GET', '/v1/message-channels', { as: 'southgate-admin' });
  assert.equal(list.status, 200);
  assert.ok(!list.text.includes(secret) && !('signing_secret' in list.body), 'the secret is not shown again');
  const stored = await sql("SELECT secret_sealed FROM message_channels WHERE kind = 'webhook'");
  assert.ok(
    stored.every((r) => !r.secret_sealed.includes(secret.slice(6))),
    'sealed at rest',
  );
  // Another partner sees its own (none).
  assert.deepEqual((await api('GET', '/v1/message-channels', { as: 'skyline-admin' })).body.channels, []);
  // An SMS channel beside it: Huawei Cloud Message & SMS, the app secret write-only.
  const sms = await api('PUT', '/v1/message-channels/sms', {
    as: 'southgate-admin',
    body: {
      endpoint: 'https://smsapi.ap-southeast-1.myhuaweicloud.com:443',
      app_key: 'southgate-app',
      app_secret: 'southgate-app-secret-9876',
      sender: 'isms-southgate',
      template_id: 'tpl-consent',
    },
  });
  assert.equal(sms.status, 200, sms.text);
  assert.deepEqual(
    sms.body.channels.map((c) => [c.kind, c.secret_hint]),
    [
      ['sms', '…9876'],
      ['webhook', channel.config.key_id],
    ],
  );
  assert.ok(!sms.text.includes('southgate-app-secret'));
  assert.equal((await api('DELETE', '/v1/message-channels/sms', { as: 'southgate-admin' })).status, 200);
  const removed = await api('DELETE', '/v1/message-channels/webhook', { as: 'southgate-admin' });
  assert.equal(removed.status, 200, removed.text);
  assert.deepEqual(removed.body.channels, []);
  assertError(await api('DELETE', '/v1/message-channels/webhook', { as: 'southgate-admin' }), 404, 'not_found');
  assertError(
    await api('PUT', '/v1/message-channels/pigeon', { as: 'southgate-admin', body: hook }),
    404,
    'route_not_found',
  );
});

test('concurrent changes of one channel: every write counts, one row, one audit event each', async () => {
  const n = 6;
  const before = await sql("SELECT count(*) AS n FROM audit_events WHERE action = 'message_channel.set'");
  const all = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      api('PUT', '/v1/message-channels/email', {
        as: 'southgate-admin',
        body: {
          endpoint: `https://mail.southgate.example/v${i}/emails`,
          api_key: `key-${i}-abcd`,
          from: 'a@b.example',
        },
      }),
    ),
  );
  assert.deepEqual(
    all.map((r) => r.status),
    Array(n).fill(200),
  );
  const rows = await sql("SELECT version, secret_hint FROM message_channels WHERE kind = 'email'");
  assert.equal(rows.length, 1);
  assert.equal(rows[0].version, n, 'each write incremented the version in the same statement');
  assert.equal(rows[0].secret_hint, '…abcd');
  const after = await sql("SELECT count(*) AS n FROM audit_events WHERE action = 'message_channel.set'");
  assert.equal(after[0].n - before[0].n, n);
  // Removed by several at once: one removal, one audit event; the others find nothing.
  const removedBefore = await sql("SELECT count(*) AS n FROM audit_events WHERE action = 'message_channel.removed'");
  const removals = await Promise.all(
    Array.from({ length: 4 }, () => api('DELETE', '/v1/message-channels/email', { as: 'southgate-admin' })),
  );
  assert.deepEqual(removals.map((r) => r.status).sort(), [200, 404, 404, 404]);
  const removedAfter = await sql("SELECT count(*) AS n FROM audit_events WHERE action = 'message_channel.removed'");
  assert.equal(removedAfter[0].n - removedBefore[0].n, 1);
});

test('an authorization request shows its messages: held in dev mode without a channel, never their content', async () => {
  // A reseller-mode customer of Skyline with nothing pending, from the end of the list (the other
  // files ask the first ones).
  const candidates = (await customers('skyline-operator'))
    .filter((x) => x.association.partner_id === R && x.association.type === '3' && !x.frozen.frozen)
    .reverse();
  let req;
  for (const c of candidates) {
    req = await api('POST', `/v1/customers/${c.id}/authorizations`, {
      as: 'skyline-operator',
      body: { capabilities: ['order'] },
    });
    if (req.status === 201) break;
  }
  assert.equal(req.status, 201, req.text);
  const shown = await api('GET', `/v1/authorizations/${req.body.id}`, { as: 'skyline-viewer' });
  assert.equal(shown.status, 200, shown.text);
  assert.equal(shown.body.id, req.body.id);
  assert.deepEqual(
    shown.body.messages.map((m) => [m.channel, m.via, m.status, m.attempts]),
    [
      ['email', 'dev_outbox', 'held', 0],
      ['sms', 'dev_outbox', 'held', 0],
    ],
  );
  assert.ok(!/token=|\b\d{6}\b/.test(JSON.stringify(shown.body.messages)), 'no link, no code');
  // The reseller's distributor sees it; other partners do not.
  assert.equal((await api('GET', `/v1/authorizations/${req.body.id}`, { as: 'northwind-operator' })).status, 200);
  assertError(await api('GET', `/v1/authorizations/${req.body.id}`, { as: 'southgate-admin' }), 404, 'not_found');
  assertError(await api('GET', `/v1/authorizations/${req.body.id}`, { as: 'harbor-operator' }), 404, 'not_found');
  assertError(await api('GET', '/v1/authorizations/auth_nope', { as: 'skyline-viewer' }), 404, 'not_found');
  await api('POST', `/v1/authorizations/${req.body.id}/withdraw`, { as: 'skyline-operator' });
});
