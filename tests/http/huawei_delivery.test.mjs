// Consent messages delivered in production mode (no dev outbox): a partner configures Huawei Cloud
// SMS and an email API (the emulator serves both) or its own webhook (the emulator's receiver checks
// the signature); the Queue delivers, retries with backoff and gives up after the last attempt. The
// whole journey: request -> SMS and email delivered -> the customer opens the link and enters the
// code taken from the emulated SMS -> approved. Then every fault with its final status and attempts.
// This file runs its own emulator and its own worker (MODE production).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { startEmulator } from '../../scripts/lib/emulator.mjs';
import { startWorker } from '../../scripts/lib/worker.mjs';

const TIMEOUT_MS = 1500;
let emu;
let worker;
let demo;
let healthy = [];

const key = (h) => demo.users.find((u) => u.handle === h).api_key;
async function call(method, path, as, body) {
  const r = await fetch(worker.base + path, {
    method,
    headers: { ...(as ? { Authorization: `Bearer ${key(as)}` } : {}), 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: r.status, body: json, text };
}
const control = async (path, body) =>
  (await fetch(emu.base + path, { method: body === undefined ? 'GET' : 'POST', body: JSON.stringify(body) })).json();
const messages = () => control('/_emulator/messages');
const sql = (command) => {
  const r = spawnSync(
    'wrangler',
    ['d1', 'execute', 'DB', '--local', '--persist-to', worker.db, '--json', '--command', command],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout)[0].results;
};
async function until(what, fn, ms = 30_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
/** The authorization with its messages once every message is final (sent, delivered or failed). */
const settled = (id) =>
  until(`the messages of ${id} to settle`, async () => {
    const r = await call('GET', `/v1/authorizations/${id}`, 'skyline-operator');
    assert.equal(r.status, 200, r.text);
    const final = r.body.messages.every((m) => ['sent', 'delivered', 'failed'].includes(m.status));
    return r.body.messages.length > 0 && final ? r.body : null;
  });
const request = async (customer) => {
  const r = await call('POST', `/v1/customers/${customer.id}/authorizations`, 'skyline-operator', {
    capabilities: ['order', 'om'],
  });
  assert.equal(r.status, 201, r.text);
  return r.body;
};

const SMS_APP = { app_key: 'smsapp-skyline', app_secret: 'sms-secret-0123456789', sender: 'isms-skyline' };
const TEMPLATE = 'tpl-consent';
const EMAIL_KEY = 're_skyline_test_key';

// The deployment's secrets outlive its workers (the restart test opens what the first worker sealed).
const VARS = {
  DELIVERY_BACKOFF_S: '1',
  DELIVERY_ATTEMPTS: '3',
  DELIVERY_TIMEOUT_MS: String(TIMEOUT_MS),
  VAULT_KEY: randomBytes(32).toString('hex'),
  SESSION_SECRET: randomBytes(32).toString('hex'),
};
const NAME = `delivery-${process.pid}`;

before(async () => {
  emu = await startEmulator();
  worker = await startWorker({ name: NAME, mode: 'production', vars: VARS });
  demo = JSON.parse(readFileSync(worker.demoPath, 'utf8'));
  const list = await call('GET', '/v1/customers?limit=100', 'skyline-operator');
  const named = Object.values(demo.customers);
  healthy = list.body.customers.filter(
    (x) =>
      x.association.partner_id === demo.partners.reseller &&
      x.association.type === '3' &&
      x.verified_status === 2 &&
      !x.frozen.frozen &&
      !named.includes(x.id),
  );
  assert.ok(healthy.length >= 9, 'nine healthy customers to ask');
  await control('/_emulator/sms-apps', {
    ...SMS_APP,
    templates: {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Huawei's template variables are ${1}, ${2}, ...
      [TEMPLATE]: 'Your code to authorize ${1} is ${2}. It expires in ${3} minutes.',
    },
  });
  await control('/_emulator/email-keys', { api_key: EMAIL_KEY });
  // Status reports only where a test asks for them (a delivered SMS is no longer just "sent").
  await control('/_emulator/config', { sms_report: '' });
});
after(async () => {
  await worker?.stop();
  emu?.stop();
});

test('production mode without a channel: 409 no_message_channel naming what to configure, nothing written', async () => {
  const before = sql('SELECT (SELECT count(*) FROM authorizations) AS a, (SELECT count(*) FROM outbox) AS o')[0];
  const r = await call('POST', `/v1/customers/${healthy[0].id}/authorizations`, 'skyline-operator', {
    capabilities: ['order'],
  });
  assert.equal(r.status, 409, r.text);
  assert.equal(r.body.error.code, 'no_message_channel');
  assert.match(r.body.error.message, /PUT \/v1\/message-channels\/email/);
  assert.equal(r.body.error.data.missing, 'email');
  assert.deepEqual(
    sql('SELECT (SELECT count(*) FROM authorizations) AS a, (SELECT count(*) FROM outbox) AS o')[0],
    before,
  );
  assert.equal((await call('GET', '/v1/dev/outbox', 'skyline-admin')).status, 404, 'no dev outbox in production');
});

test('channels: admin only, secrets write-only, https or loopback only', async () => {
  const sms = { endpoint: emu.base, ...SMS_APP, template_id: TEMPLATE };
  assert.equal((await call('PUT', '/v1/message-channels/sms', 'skyline-operator', sms)).status, 403);
  const bad = await call('PUT', '/v1/message-channels/email', 'skyline-admin', {
    endpoint: 'http://mail.example.com/emails',
    api_key: EMAIL_KEY,
    from: 'nobody',
  });
  assert.equal(bad.status, 400, bad.text);
  assert.deepEqual(bad.body.error.details.map((d) => d.path.join('.')).sort(), ['endpoint', 'from']);
  assert.equal((await call('PUT', '/v1/message-channels/fax', 'skyline-admin', {})).status, 404);
  const set = await call('PUT', '/v1/message-channels/sms', 'skyline-admin', sms);
  assert.equal(set.status, 200, set.text);
  const email = await call('PUT', '/v1/message-channels/email', 'skyline-admin', {
    endpoint: `${emu.base}/email/emails`,
    api_key: EMAIL_KEY,
    from: 'Skyline Cloud <consent@skyline.example>',
  });
  assert.equal(email.status, 200, email.text);
  const shown = await call('GET', '/v1/message-channels', 'skyline-admin');
  assert.deepEqual(
    shown.body.channels.map((c) => [c.kind, c.secret_hint]),
    [
      ['email', '…_key'],
      ['sms', '…6789'],
    ],
  );
  assert.ok(!shown.text.includes(SMS_APP.app_secret) && !shown.text.includes(EMAIL_KEY), 'no secret shown');
  const audit = await call('GET', '/v1/audit?limit=5', 'skyline-admin');
  assert.ok(audit.text.includes('message_channel.set') && !audit.text.includes(SMS_APP.app_secret));
});

test('the journey: SMS and email delivered through the queue, the customer approves with the code from the SMS', async () => {
  const customer = healthy[1];
  const t0 = Date.now();
  const auth = await request(customer);
  const done = await settled(auth.id);
  const latency = Date.now() - t0;
  console.log(`# delivery latency through the queue (request to both sent): ${latency} ms`);
  assert.deepEqual(
    done.messages.map((m) => [m.channel, m.via, m.status, m.attempts]),
    [
      ['email', 'email_api', 'sent', 1],
      ['sms', 'huawei_sms', 'sent', 1],
    ],
  );
  assert.ok(
    done.messages.every((m) => m.provider_id && m.sent_at && !('body' in m)),
    'provider ids, no content',
  );
  const got = await messages();
  const sms = got.sms.find((s) => s.smsMsgId === done.messages[1].provider_id);
  const email = got.emails.find((e) => e.id === done.messages[0].provider_id);
  assert.ok(sms && email, 'the emulator has both');
  assert.equal(sms.params[0], 'Skyline Cloud');
  assert.match(sms.params[1], /^\d{6}$/);
  assert.equal(email.idempotency_key, done.messages[0].id);
  const token = email.text.match(/#token=(ct_[0-9a-f]{64})/)?.[1];
  assert.ok(token, 'the email carries the consent link');
  // At rest: the code and the link are not in clear, and the sealed copy is gone once sent.
  const rows = sql(`SELECT channel, body, sealed FROM outbox WHERE authorization_id = '${auth.id}'`);
  assert.equal(rows.length, 2);
  for (const r of rows) {
    assert.ok(!r.body.includes(sms.params[1]) && !r.body.includes(token), `${r.channel} body redacted`);
    assert.match(r.body, /\[redacted\]/);
    assert.equal(r.sealed, null);
  }
  const page = await call('GET', `/v1/consent/${token}`);
  assert.equal(page.status, 200, page.text);
  const approved = await call('POST', `/v1/consent/${token}/approve`, undefined, { code: sms.params[1] });
  assert.equal(approved.status, 200, approved.text);
  assert.equal(approved.body.status, 'approved');
});

test('Huawei Cloud reports delivery: DELIVRD marks the SMS delivered, UNDELIV failed; a forged report is 404', async () => {
  await control('/_emulator/config', { sms_report: 'DELIVRD' });
  const ok = await request(healthy[7]);
  const delivered = await until('the delivery report', async () => {
    const r = await call('GET', `/v1/authorizations/${ok.id}`, 'skyline-operator');
    const sms = r.body.messages.find((m) => m.channel === 'sms');
    return sms.status === 'delivered' ? sms : null;
  });
  assert.ok(delivered.delivered_at && delivered.sent_at && delivered.provider_id);
  const report = (await messages()).reports.find((x) => x.fields.smsMsgId === delivered.provider_id);
  assert.match(report.url, new RegExp(`/v1/hooks/huawei-sms/${delivered.id}/[0-9a-f]{32}$`));
  assert.equal(report.status, 200);
  // The report URL is the credential: another message's, or a made-up token, is not found.
  const forged = await fetch(report.url.replace(/[0-9a-f]{32}$/, '0'.repeat(32)), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'status=UNDELIV',
  });
  assert.equal(forged.status, 404);
  await call('POST', `/v1/authorizations/${ok.id}/withdraw`, 'skyline-operator', {});
  await control('/_emulator/config', { sms_report: 'UNDELIV' });
  const bad = await request(healthy[8]);
  const failed = await until('the non-delivery report', async () => {
    const r = await call('GET', `/v1/authorizations/${bad.id}`, 'skyline-operator');
    const sms = r.body.messages.find((m) => m.channel === 'sms');
    return sms.status === 'failed' ? sms : null;
  });
  assert.match(failed.last_error, /^Huawei Cloud reported the SMS not delivered: UNDELIV/);
  assert.equal(failed.delivered_at, null);
  await control('/_emulator/config', { sms_report: '' });
});

test('a 503 and a 429 with Retry-After are retried to success; the 429 waits as asked', async () => {
  await control('/_emulator/faults', [
    { path: '^/email/', when: 'before', status: 503, times: 1 },
    { path: '^/sms/', when: 'before', status: 429, headers: { 'Retry-After': '3' }, times: 1 },
  ]);
  const auth = await request(healthy[2]);
  const done = await settled(auth.id);
  const [email, sms] = done.messages;
  assert.deepEqual([email.status, email.attempts, sms.status, sms.attempts], ['sent', 2, 'sent', 2]);
  const waited = (Date.parse(sms.sent_at) - Date.parse(sms.created_at)) / 1000;
  assert.ok(waited >= 3, `the SMS waited ${waited} s (Retry-After: 3)`);
  assert.match(email.last_error, /HTTP 503/);
  assert.match(sms.last_error, /HTTP 429/);
  console.log(
    `# 503 then sent: ${email.attempts} attempts; 429 (Retry-After 3) then sent: ${sms.attempts} attempts, ${waited} s`,
  );
});

test('a timeout after the provider accepted: the email API de-duplicates the retry, SMS may send twice', async () => {
  await control('/_emulator/faults', [
    { path: '^/email/', when: 'after', hang_s: 3, times: 1 },
    { path: '^/sms/', when: 'after', hang_s: 3, times: 1 },
  ]);
  const auth = await request(healthy[3]);
  const done = await settled(auth.id);
  const [email, sms] = done.messages;
  assert.deepEqual([email.status, email.attempts, sms.status, sms.attempts], ['sent', 2, 'sent', 2]);
  const got = await messages();
  const emails = got.emails.filter((e) => e.idempotency_key === email.id);
  assert.equal(emails.length, 1, 'one email: the retry carried the same Idempotency-Key');
  const code = got.sms.find((s) => s.smsMsgId === sms.provider_id).params[1];
  const texts = got.sms.filter((s) => s.params[1] === code);
  assert.equal(texts.length, 2, 'Huawei SMS has no idempotency key: the retry is a second SMS, within the attempts');
  console.log(`# timeout after accept: email ${email.attempts} attempts, 1 email; SMS ${sms.attempts} attempts, 2 SMS`);
});

test('a provider that keeps failing: failed after the last attempt; a refusal: failed at once', async () => {
  await control('/_emulator/faults', [
    { path: '^/email/', when: 'before', status: 502, times: 10 },
    {
      path: '^/sms/',
      when: 'before',
      status: 400,
      body: { code: 'E000510', description: 'The SMS fails to be sent.' },
      times: 1,
    },
  ]);
  const auth = await request(healthy[4]);
  const done = await settled(auth.id);
  const [email, sms] = done.messages;
  assert.deepEqual([email.status, email.attempts], ['failed', 3]);
  assert.match(email.last_error, /^gave up after 3 attempts; last: HTTP 502/);
  assert.deepEqual([sms.status, sms.attempts], ['failed', 1]);
  assert.equal(sms.last_error, 'HTTP 400: E000510: The SMS fails to be sent.');
  await fetch(`${emu.base}/_emulator/faults`, { method: 'DELETE' });
  console.log(`# 502 every time: failed after ${email.attempts} attempts; a 400 refusal: failed after ${sms.attempts}`);
});

test('a webhook carries every message, signed; the code in it approves', async () => {
  const set = await call('PUT', '/v1/message-channels/webhook', 'skyline-admin', {
    url: `${emu.base}/webhook/skyline`,
  });
  assert.equal(set.status, 200, set.text);
  const secret = set.body.signing_secret;
  assert.match(secret, /^whsec_[0-9a-f]{64}$/);
  const hook = set.body.channels.find((c) => c.kind === 'webhook');
  await control('/_emulator/webhook-secrets', { key_id: hook.config.key_id, secret });
  assert.ok(!(await call('GET', '/v1/message-channels', 'skyline-admin')).text.includes(secret), 'shown once');
  const auth = await request(healthy[5]);
  const done = await settled(auth.id);
  assert.deepEqual(
    done.messages.map((m) => [m.via, m.status]),
    [
      ['webhook', 'sent'],
      ['webhook', 'sent'],
    ],
  );
  const posts = (await messages()).webhooks.filter((w) => w.body?.authorization_id === auth.id);
  assert.equal(posts.length, 2);
  assert.ok(
    posts.every((p) => p.verified && p.key_id === hook.config.key_id),
    'every post verifies',
  );
  const sms = posts.find((p) => p.body.type === 'consent.sms');
  const email = posts.find((p) => p.body.type === 'consent.email');
  assert.equal(sms.message_id, sms.body.id);
  const token = email.body.body.match(/#token=(ct_[0-9a-f]{64})/)?.[1];
  const approved = await call('POST', `/v1/consent/${token}/approve`, undefined, { code: sms.body.template_params[1] });
  assert.equal(approved.status, 200, approved.text);
  const resend = await call('POST', `/v1/authorizations/${auth.id}/resend`, 'skyline-operator', {});
  assert.equal(resend.status, 409, 'an approved request is not resent');
  assert.equal((await call('DELETE', '/v1/message-channels/webhook', 'skyline-admin')).status, 200);
  assert.equal((await call('DELETE', '/v1/message-channels/webhook', 'skyline-admin')).status, 404);
});

test('the worker dies between recording and sending: the Cron sweep sends each message once after a restart', async () => {
  assert.equal((await call('DELETE', '/v1/message-channels/webhook', 'skyline-admin')).status, 404, 'no webhook left');
  const auth = await request(healthy[6]);
  await worker.stop(true); // at once: the queue message (in the dead worker's memory) is gone
  worker = await startWorker({ name: NAME, mode: 'production', vars: VARS, reuse: true });
  const lost = await call('GET', `/v1/authorizations/${auth.id}`, 'skyline-operator');
  assert.deepEqual(
    lost.body.messages.map((m) => [m.status, m.attempts]),
    [
      ['queued', 0],
      ['queued', 0],
    ],
    'recorded, never sent',
  );
  // The Cron Trigger, four times at once: each message is claimed by one sweep only. (wrangler dev's
  // `/__scheduled`; its `/cdn-cgi/handler/scheduled` fails with a DataCloneError on the
  // ScheduledController before a workers-rs handler runs.)
  const sweeps = await Promise.all(Array.from({ length: 4 }, () => fetch(`${worker.base}/__scheduled?cron=*+*+*+*+*`)));
  assert.deepEqual(
    sweeps.map((r) => r.status),
    [200, 200, 200, 200],
  );
  const done = await settled(auth.id);
  assert.deepEqual(
    done.messages.map((m) => [m.status, m.attempts]),
    [
      ['sent', 1],
      ['sent', 1],
    ],
  );
  const got = await messages();
  assert.equal(got.emails.filter((e) => e.idempotency_key === done.messages[0].id).length, 1);
  const code = got.sms.find((x) => x.smsMsgId === done.messages[1].provider_id).params[1];
  assert.equal(got.sms.filter((x) => x.params[1] === code).length, 1, 'one SMS');
});
