// The OpenAPI document against reality: every response the HTTP suite recorded (helpers.mjs `api`)
// must be described by GET /v1/openapi.json: its path and method, its status, and its body's schema.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { BASE } from './helpers.mjs';

/** A JSON Schema subset: $ref, type (or list), enum, properties, required, additionalProperties, items, oneOf. */
function check(doc, schema, v, at, errs) {
  if (!schema || errs.length > 20) return;
  if (schema.$ref)
    return check(
      doc,
      schema.$ref
        .split('/')
        .slice(1)
        .reduce((o, k) => o[k], doc),
      v,
      at,
      errs,
    );
  if (schema.oneOf) {
    const ok = schema.oneOf.some((s) => {
      const e = [];
      check(doc, s, v, at, e);
      return e.length === 0;
    });
    if (!ok) errs.push(`${at}: matches no alternative`);
    return;
  }
  const t = v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v;
  if (schema.type) {
    const types = [].concat(schema.type);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number')))
      return errs.push(`${at}: ${t} is not ${types.join('|')}`);
  }
  if (schema.enum && !schema.enum.includes(v)) errs.push(`${at}: ${JSON.stringify(v)} not in enum`);
  if (t === 'object') {
    for (const k of schema.required ?? []) if (!(k in v)) errs.push(`${at}: missing ${k}`);
    for (const [k, x] of Object.entries(v)) {
      if (schema.properties?.[k]) check(doc, schema.properties[k], x, `${at}.${k}`, errs);
      else if (schema.additionalProperties === false) errs.push(`${at}: unexpected key ${k}`);
    }
  }
  if (t === 'array' && schema.items) {
    for (const [i, x] of v.entries()) check(doc, schema.items, x, `${at}[${i}]`, errs);
  }
}

test('every response recorded by the HTTP suite matches the OpenAPI document', async () => {
  const doc = await (await fetch(`${BASE}/v1/openapi.json`)).json();
  assert.equal(doc.openapi, '3.1.0');
  assert.ok(doc.components.schemas.ErrorCode.enum.includes('idempotency_key_reused'));
  const file = process.env.ONBEHALF_RECORD;
  if (!file || !existsSync(file)) return; // run alone: nothing recorded
  const records = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const routes = Object.keys(doc.paths).map((p) => ({ p, re: new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/]+')}$`) }));
  const problems = [];
  const covered = new Set();
  for (const r of records) {
    const route = routes
      .filter((x) => x.re.test(r.path))
      .sort((a, b) => b.p.split('{').length - a.p.split('{').length)
      .reverse()[0];
    if (!route) {
      if (r.status !== 404) problems.push(`${r.method} ${r.path}: no path`);
      continue;
    }
    const op = doc.paths[route.p][r.method.toLowerCase()];
    if (!op) {
      if (r.status !== 405) problems.push(`${r.method} ${route.p}: method not described`);
      continue;
    }
    covered.add(`${r.method} ${route.p}`);
    const resp = op.responses[String(r.status)];
    if (!resp) {
      problems.push(`${r.method} ${route.p}: status ${r.status} not described`);
      continue;
    }
    const schema = (resp.$ref ? doc.components.responses.Error : resp).content?.['application/json']?.schema;
    const errs = [];
    check(doc, schema, r.body, 'body', errs);
    if (errs.length) problems.push(`${r.method} ${route.p} ${r.status}: ${errs.slice(0, 3).join('; ')}`);
  }
  assert.deepEqual([...new Set(problems)], []);
  assert.ok(covered.size >= 25, `responses of ${covered.size} operations were checked`);
});

test('every recorded response keeps the protocol: one JSON Content-Type, Retry-After on each 429, Allow on each 405', async () => {
  const file = process.env.ONBEHALF_RECORD;
  if (!file || !existsSync(file)) return;
  const records = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((r) => r.headers);
  const problems = [];
  for (const r of records) {
    const h = r.headers;
    if (r.method !== 'HEAD' && h['content-type'] !== 'application/json; charset=utf-8')
      problems.push(`${r.method} ${r.path} ${r.status}: Content-Type ${h['content-type']}`);
    if (r.status === 429 && !(Number(h['retry-after']) >= 1))
      problems.push(`${r.method} ${r.path}: 429 without Retry-After`);
    if (r.status === 405 && !h.allow) problems.push(`${r.method} ${r.path}: 405 without Allow`);
  }
  assert.deepEqual([...new Set(problems)], []);
  assert.ok(
    records.some((r) => r.status === 429),
    'some 429 was recorded',
  );
  assert.ok(
    records.some((r) => r.status === 201 && r.path === '/v1/orders'),
    'order placements were recorded',
  );
});
