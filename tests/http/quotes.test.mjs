// Catalog, draft checks, Huawei payloads and stored quotes, against the shared draft fixtures and
// their reviewed golden files (the host tests and the browser module check the same files).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { api, assertError, demo, tables } from './helpers.mjs';

const all = JSON.parse(readFileSync('tests/fixtures/drafts.json', 'utf8'));
const golden = (name) => JSON.parse(readFileSync(`tests/golden/${name}.json`, 'utf8'));
const valid = all.fixtures.filter((f) => !f.name.startsWith('invalid-'));
const invalid = all.fixtures.filter((f) => f.name.startsWith('invalid-'));

test('the catalog is public reference data, whole or per region', async () => {
  const whole = await api('GET', '/v1/catalog');
  assert.equal(whole.status, 200, whole.text);
  assert.ok(whole.body.regions.length >= 3 && whole.body.flavors.length >= 12 && whole.body.images.length >= 6);
  const bkk = await api('GET', '/v1/catalog?region=ap-southeast-2');
  assert.deepEqual(
    bkk.body.regions.map((r) => r.id),
    ['ap-southeast-2'],
  );
  assert.ok(bkk.body.flavors.every((f) => Object.keys(f.prices).join() === 'ap-southeast-2'));
  assert.ok(!bkk.body.flavors.some((f) => f.family === 'm7'), 'm7 is not sold in Bangkok');
  assertError(await api('GET', '/v1/catalog?region=mars-1'), 400, 'validation_failed', [['region']]);
});

test('every fixture: the API builds the golden Huawei payload or returns the golden errors', async () => {
  for (const f of all.fixtures) {
    const g = golden(f.name);
    const v = await api('POST', '/v1/drafts/validate', { as: 'skyline-viewer', body: f.draft });
    const p = await api('POST', '/v1/drafts/payload', {
      as: 'skyline-viewer',
      body: { draft: f.draft, project_id: f.project_id },
    });
    if (g.error) {
      assert.equal(v.status, 400, `${f.name}: ${v.text}`);
      assert.deepEqual(v.body.error, g.error, `${f.name}: every error, same codes and paths`);
      assert.deepEqual(p.body.error, g.error, f.name);
    } else {
      assert.deepEqual(v.body, { valid: true }, `${f.name}: ${v.text}`);
      assert.equal(p.status, 200, p.text);
      assert.deepEqual(p.body, g.payload, `${f.name}: the exact Huawei request`);
    }
  }
});

test('payload needs a project id of 32 hex digits, and a key', async () => {
  const f = valid[0];
  assertError(
    await api('POST', '/v1/drafts/payload', { as: 'skyline-viewer', body: { draft: f.draft, project_id: 'x' } }),
    400,
    'validation_failed',
    [['project_id']],
  );
  assertError(
    await api('POST', '/v1/drafts/payload', { as: 'skyline-viewer', body: { draft: f.draft } }),
    400,
    'validation_failed',
    [['project_id']],
  );
  assertError(await api('POST', '/v1/drafts/validate', { body: f.draft }), 401, 'unauthenticated');
});

test("a quote is priced from the catalog for the customer's budget, stored for 15 minutes and audited", async () => {
  const customer = (await api('GET', `/v1/customers/${demo.customers.ready}`, { as: 'skyline-operator' })).body;
  for (const f of valid) {
    const r = await api('POST', '/v1/quotes', { as: 'skyline-operator', body: f.draft });
    assert.equal(r.status, 201, `${f.name}: ${r.text}`);
    const g = golden(f.name).quote;
    const { budget, ...rest } = r.body.quote;
    const { budget: _, ...want } = g;
    assert.deepEqual(rest, want, `${f.name}: same lines and totals as the golden quote`);
    // The budget impact uses the stored customer's budget.
    assert.deepEqual(budget.used, customer.budget.used);
    assert.equal(budget.used_after.minor, customer.budget.used.minor + r.body.quote.total.minor);
    assert.equal(budget.blocked, budget.used_after.minor > customer.budget.amount.minor);
    assert.match(r.body.id, /^qt_[0-9a-f]{24}$/);
    assert.equal(Date.parse(r.body.expires_at) - Date.parse(r.body.created_at), 15 * 60 * 1000);
    assert.equal(r.body.valid, true);
    const again = await api('GET', `/v1/quotes/${r.body.id}`, { as: 'skyline-viewer' });
    assert.equal(again.status, 200, again.text);
    assert.deepEqual(again.body, r.body, 'the price is locked as quoted');
  }
  const audit = await api('GET', `/v1/audit?limit=200`, { as: 'skyline-admin' });
  assert.ok(audit.body.events.filter((e) => e.action === 'quote.created').length >= valid.length);
});

test('a quote never stores the login password', async () => {
  const f = all.fixtures.find((x) => x.draft.ecs?.login?.password);
  const r = await api('POST', '/v1/quotes', { as: 'skyline-operator', body: f.draft });
  assert.equal(r.status, 201, r.text);
  const stored = await api('GET', `/v1/quotes/${r.body.id}`, { as: 'skyline-operator' });
  assert.ok(!stored.text.includes(f.draft.ecs.login.password), 'no password in the stored quote');
  const { password, ...login } = f.draft.ecs.login;
  assert.deepEqual(
    stored.body.draft,
    { ...f.draft, ecs: { ...f.draft.ecs, login } },
    'everything else of the draft is kept',
  );
});

test('quotes: role, visibility, bad drafts change nothing', async () => {
  const before = await tables();
  const f = valid[0];
  assertError(await api('POST', '/v1/quotes', { as: 'skyline-viewer', body: f.draft }), 403, 'forbidden_role');
  const foreign = { ...f.draft, customer_id: demo.customers.foreign };
  assertError(await api('POST', '/v1/quotes', { as: 'skyline-operator', body: foreign }), 404, 'not_found');
  for (const b of invalid) {
    const r = await api('POST', '/v1/quotes', { as: 'skyline-operator', body: b.draft });
    assert.equal(r.status, 400, r.text);
    assert.deepEqual(r.body.error, golden(b.name).error, b.name);
  }
  assertError(
    await api('POST', '/v1/quotes', {
      as: 'skyline-operator',
      rawBody: '{',
      headers: { 'Content-Type': 'application/json' },
    }),
    400,
    'malformed_json',
  );
  const after = await tables();
  assert.equal(after.quotes, before.quotes, 'no quote row');
  assert.equal(after.audit_events, before.audit_events, 'no audit event');
  // Another partner's quote is not found.
  const mine = await api('POST', '/v1/quotes', { as: 'skyline-operator', body: f.draft });
  assertError(await api('GET', `/v1/quotes/${mine.body.id}`, { as: 'delta-operator' }), 404, 'not_found');
  assertError(await api('GET', '/v1/quotes/qt_nope', { as: 'skyline-operator' }), 404, 'not_found');
});
