// Shared helpers for the HTTP tests: a tiny client and the seeded demo credentials.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';

export const BASE = process.env.ONBEHALF_URL ?? 'http://127.0.0.1:8787';
export const demo = JSON.parse(readFileSync(process.env.ONBEHALF_DEMO ?? '.state/demo.json', 'utf8'));

/** The demo API key of a user handle such as "skyline-operator". */
export function key(handle) {
  const u = demo.users.find((x) => x.handle === handle);
  assert.ok(u, `no demo user ${handle}`);
  return u.api_key;
}

export function user(handle) {
  return demo.users.find((x) => x.handle === handle);
}

/** Appends a real response to the record that tests/http/zz_openapi.test.mjs checks against the OpenAPI document
 * (and against the protocol rules: Content-Type, Retry-After on 429, Allow on 405). */
export function record(method, path, status, body, headers) {
  if (process.env.ONBEHALF_RECORD && method !== 'HEAD' && path.startsWith('/v1/') && !path.startsWith('/v1/dev/')) {
    const h = headers
      ? Object.fromEntries(
          [
            'content-type',
            'retry-after',
            'allow',
            'x-onbehalf-d1-calls',
            'x-onbehalf-d1-auth-calls',
            'x-onbehalf-bookmark',
          ].map((n) => [n, headers.get(n)]),
        )
      : undefined;
    appendFileSync(
      process.env.ONBEHALF_RECORD,
      `${JSON.stringify({ method, path: path.split('?')[0], status, body, headers: h })}\n`,
    );
  }
}

/** Requests wrangler dev's proxy could not hand to the worker, sent again (see proxyFailed). */
const resent = [];
process.on('exit', () => {
  if (resent.length > 0)
    console.error(`# sent again after wrangler dev's proxy failed to deliver them: ${resent.join(', ')}`);
});

/**
 * wrangler dev's proxy answers a request it could not deliver to the worker with a plain-text 503
 * "Your worker restarted mid-request" whenever its own fetch to the worker fails, reload or not:
 * CI saw it twice in the race test that starts after a few idle seconds, with no reload in
 * wrangler's debug log (most likely a pooled connection closed as it was reused). The proxy
 * retries GET and HEAD itself, never other methods. Every answer of the worker carries an
 * X-Request-Id; this one does not, so the request reached none of our code and is sent once more.
 */
function proxyFailed(r, method, path) {
  if (r.status !== 503 || r.headers.get('x-request-id') !== null) return false;
  resent.push(`${method} ${path.split('?')[0]}`);
  return true;
}

/** Calls the API. `as` is a user handle (or a raw key with `rawKey`). Returns {status, headers, body, text}. */
export async function api(method, path, { as, rawKey, body, headers = {}, rawBody } = {}) {
  const h = { ...headers };
  const k = rawKey ?? (as ? key(as) : undefined);
  if (k !== undefined) h.Authorization = `Bearer ${k}`;
  let payload;
  if (rawBody !== undefined) payload = rawBody;
  else if (body !== undefined) {
    payload = JSON.stringify(body);
    h['Content-Type'] ??= 'application/json';
  }
  // The proxy holds a GET it failed to deliver until the next reload: give up on it after 15 s.
  const send = () =>
    fetch(BASE + path, {
      method,
      headers: h,
      body: payload,
      signal: method === 'GET' ? AbortSignal.timeout(15_000) : undefined,
    });
  let r;
  try {
    r = await send();
  } catch (e) {
    if (method !== 'GET' || e.name !== 'TimeoutError') throw e;
    resent.push(`GET ${path.split('?')[0]} (no answer in 15 s)`);
    r = await send();
  }
  if (proxyFailed(r, method, path)) {
    await r.text();
    r = await send();
  }
  const text = await r.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  // A 503 in plain text comes from the runtime (workerd restarting the isolate), not from the worker:
  // it is not one of the API's answers, so it is not held against the API's document.
  if (!(r.status === 503 && json === undefined)) record(method, path, r.status, json, r.headers);
  return { status: r.status, headers: r.headers, body: json, text };
}

/** Calls the API with a switch-role session token (recorded like every other response). */
export function asSession(token, method, path, { body, idem, headers = {}, rawBody } = {}) {
  const h = { ...headers };
  if (idem) h['Idempotency-Key'] = idem;
  return api(method, path, { rawKey: token, body, headers: h, rawBody });
}

/** A fresh Idempotency-Key. */
export const idem = () => `k-${Math.random().toString(36).slice(2)}-${Date.now()}`;

/** Rows of a query run on the test worker's local D1 behind its back (wrangler d1 execute). Not
 * spawnSync: a blocked event loop misses the server closing idle keep-alive connections (after about
 * 5 s), and the next request would go out on a dead socket. */
export function sql(command, database = 'DB') {
  return new Promise((resolve, reject) => {
    const config = process.env.ONBEHALF_CONFIG ? ['--config', process.env.ONBEHALF_CONFIG] : [];
    const child = spawn('wrangler', [
      'd1',
      'execute',
      database,
      ...config,
      '--local',
      '--persist-to',
      process.env.ONBEHALF_DB,
      '--json',
      '--command',
      command,
    ]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`wrangler d1 execute exited with ${code}: ${err}`));
      try {
        resolve(JSON.parse(out)[0]?.results ?? []);
      } catch (e) {
        reject(e);
      }
    });
  });
}
/** Asserts an error response: status, code, and (optionally) that these paths have field errors. */
export function assertError(res, status, code, paths = []) {
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status}: ${res.text}`);
  assert.equal(res.body?.error?.code, code, res.text);
  assert.equal(typeof res.body.error.message, 'string');
  assert.ok(Array.isArray(res.body.error.details));
  const got = res.body.error.details.map((d) => JSON.stringify(d.path));
  for (const p of paths) assert.ok(got.includes(JSON.stringify(p)), `no field error at ${JSON.stringify(p)} in ${got}`);
  assert.match(res.headers.get('x-request-id') ?? '', /^req_[0-9a-f]{32}$/);
}

/** Row counts per table (dev mode). */
export async function tables() {
  const r = await api('GET', '/v1/dev/tables');
  assert.equal(r.status, 200, r.text);
  return r.body.tables;
}

/** The newest outbox messages for a customer. */
export async function outbox(customerId) {
  const r = await api('GET', `/v1/dev/outbox?customer_id=${customerId}&limit=10`);
  assert.equal(r.status, 200, r.text);
  return r.body.messages;
}

/** The consent token and code most recently sent to a customer. */
export async function latestConsent(customerId) {
  const msgs = await outbox(customerId);
  const email = msgs.find((m) => m.channel === 'email');
  const sms = msgs.find((m) => m.channel === 'sms');
  assert.ok(email && sms, 'an email and an SMS were recorded');
  const token = email.body.match(/#token=(ct_[0-9a-f]{64})/)?.[1];
  const code = sms.body.match(/\b(\d{6})\b/)?.[1];
  assert.ok(token && code, 'the link carries a token and the SMS a code');
  return { token, code, email, sms };
}

/** Visible customers of a user, as the list returns them (masked). */
export async function customers(as) {
  const r = await api('GET', '/v1/customers?limit=100', { as });
  assert.equal(r.status, 200, r.text);
  return r.body.customers;
}

/** The `nth` reseller-mode, verified, unfrozen generated customer of `partnerId` (test files use distinct `nth`). */
export async function healthyCustomer(as, partnerId, nth = 0) {
  const list = await customers(as);
  const named = Object.values(demo.customers);
  const healthy = list.filter(
    (x) =>
      x.association.partner_id === partnerId &&
      x.association.type === '3' &&
      x.verified_status === 2 &&
      !x.frozen.frozen &&
      (x.budget === null || x.budget.usage_percent < 75) &&
      !named.includes(x.id),
  );
  assert.ok(healthy.length > nth, `at least ${nth + 1} healthy generated customers exist`);
  return healthy[nth];
}

/** A monthly EVS order pending payment (no auto-pay), placed for `customerId` in a new session
 * started by `as`: its order id. */
export async function pendingOrder(customerId, as = 'skyline-operator') {
  const s = await api('POST', `/v1/customers/${customerId}/sessions`, { as, body: {} });
  assert.equal(s.status, 201, s.text);
  const fx = JSON.parse(readFileSync('tests/fixtures/drafts.json', 'utf8')).fixtures;
  const draft = structuredClone(fx.find((f) => f.name === 'evs-monthly').draft);
  draft.customer_id = customerId;
  draft.billing = { mode: 'yearly_monthly', period_type: 'month', period_num: 1, auto_renew: false, auto_pay: false };
  const placed = await asSession(s.body.token, 'POST', '/v1/orders', { body: { draft }, idem: idem() });
  assert.equal(placed.status, 201, placed.text);
  return placed.body.order.order_id;
}
