// The D1 round-trip budget (issue 15), held over every response an HTTP suite recorded
// (helpers.mjs `api`): dev mode reports each request's own D1 round trips in X-Onbehalf-D1-Calls,
// and those spent authenticating (a credential or origin list this isolate did not remember) in
// X-Onbehalf-D1-Auth-Calls. A read route answers in one round trip of its own, a write in two at
// most (two operations say why they need three); authentication adds at most one (two for a
// cross-origin request), and none once the credential is remembered.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';

export const READ = 1;
export const WRITE = 2;

/** Operations whose budget is not the default of their method, each with its reason. */
const BUDGETS = {
  'GET /v1/health': [0, 'no data'],
  'GET /v1/catalog': [0, 'the catalog is compiled in'],
  'GET /v1/openapi.json': [0, 'a static asset, read through the ASSETS binding'],
  'POST /v1/drafts/validate': [0, 'a draft is checked against the compiled catalog'],
  'POST /v1/drafts/payload': [0, 'a draft is checked against the compiled catalog'],
  'GET /v1/audit/verify': [3, 'a maintenance check: seals what is pending (a read, a write), then reads the chain'],
  'POST /v1/consent/{token}/approve': [
    3,
    'the guess is claimed by its own write before the code is compared, so concurrent guesses never exceed the limit',
  ],
};

/** Authentication's own round trips: the credential, and for a cross-origin request the origin's CORS answer. */
const AUTH = 2;

/** Operations the simulated suite cannot answer 2xx, each with its reason. */
export const HUAWEI_ONLY = {
  'GET /v1/sessions/current/project': 'Huawei Cloud only (the emulator suite)',
  'GET /v1/sessions/current/vpcs': 'Huawei Cloud only (the emulator suite)',
  'GET /v1/sessions/current/subnets': 'Huawei Cloud only (the emulator suite)',
  'GET /v1/sessions/current/security-groups': 'Huawei Cloud only (the emulator suite)',
  'GET /v1/sessions/current/key-pairs': 'Huawei Cloud only (the emulator suite)',
  'GET /v1/sessions/current/identity': 'Huawei Cloud only (the emulator suite)',
  'GET /v1/placements/{id}': 'Huawei Cloud only (the emulator suite)',
};

/** Operations only a production-mode worker answers 2xx (the suites' workers run in dev mode, where
 * no message goes out): each is covered by its own test, named here. */
export const PRODUCTION_ONLY = {
  'POST /v1/hooks/huawei-sms/{id}/{token}': 'an SMS status report: tests/http/huawei_delivery.test.mjs',
};

function operations() {
  const doc = JSON.parse(readFileSync(new URL('../../src/openapi/openapi.json', import.meta.url), 'utf8'));
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map((m) => {
        const name = `${m.toUpperCase()} ${path}`;
        const re = new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
        const budget = BUDGETS[name]?.[0] ?? (m === 'get' ? READ : WRITE);
        return { name, method: m.toUpperCase(), path, re, budget };
      }),
  );
}

/**
 * Checks the recorded responses of this suite; `skip(name)` says which operations it need not see,
 * `upstream` how many more round trips a route that calls Huawei Cloud may spend on the credentials
 * that call needs.
 */
export function checkBudgets(t, skip, upstream = 0) {
  const file = process.env.ONBEHALF_RECORD;
  if (!file || !existsSync(file)) return t.skip('run alone: nothing recorded');
  const ops = operations();
  // A literal path segment wins over a parameter (GET /v1/customers/sync is not /v1/customers/{id}).
  const opOf = (r) =>
    ops
      .filter((o) => o.method === r.method && o.re.test(r.path))
      .sort((a, b) => (a.path.match(/\{/g) ?? []).length - (b.path.match(/\{/g) ?? []).length)[0];
  const seen = new Map();
  const over = [];
  for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const r = JSON.parse(line);
    const calls = Number(r.headers?.['x-onbehalf-d1-calls'] ?? Number.NaN);
    const auth = Number(r.headers?.['x-onbehalf-d1-auth-calls'] ?? 0);
    const op = opOf(r);
    if (!op || Number.isNaN(calls) || r.status < 200 || r.status > 299) continue;
    const own = calls - auth;
    const s = seen.get(op.name) ?? { n: 0, max: 0, authMax: 0 };
    s.n += 1;
    s.max = Math.max(s.max, own);
    s.authMax = Math.max(s.authMax, auth);
    seen.set(op.name, s);
    if (own > op.budget + upstream || auth > AUTH)
      over.push(`${r.method} ${r.path} ${r.status}: ${own} own + ${auth} auth > ${op.budget} + ${upstream}`);
  }
  const table = ops.map((o) => {
    const s = seen.get(o.name);
    return `${o.name.padEnd(48)} budget ${o.budget}  ${s ? `max ${s.max} (+${s.authMax} auth) over ${s.n}` : 'not seen'}`;
  });
  t.diagnostic(`D1 round trips per operation (2xx answers of this suite):\n${table.join('\n')}`);
  assert.deepEqual(over.slice(0, 20), [], 'requests over their round-trip budget');
  // Coverage only means something when the whole suite ran (ONBEHALF_TESTS picks a part of it).
  if (process.env.ONBEHALF_TESTS) return;
  const missing = ops.filter((o) => !seen.has(o.name) && !skip(o.name)).map((o) => o.name);
  assert.deepEqual(missing, [], 'operations never seen answering 2xx in the HTTP suite');
}
