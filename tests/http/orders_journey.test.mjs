// Every service and billing mode through a session, against the quote's verdict; a customer frozen
// mid-session; the budget reaching exactly 100 % with auto-freeze on.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { api, asSession, assertError, demo, sql, tables } from './helpers.mjs';

const C = demo.customers.ready;
const fixtures = JSON.parse(readFileSync('tests/fixtures/drafts.json', 'utf8')).fixtures.filter(
  (f) => !f.name.startsWith('invalid-'),
);

async function session() {
  const r = await api('POST', `/v1/customers/${C}/sessions`, { as: 'skyline-operator', body: {} });
  assert.equal(r.status, 201, r.text);
  return r.body.token;
}

function order(token, draft, key = `j-${Math.random().toString(36).slice(2)}`) {
  return asSession(token, 'POST', '/v1/orders', { body: { draft }, idem: key });
}

test('every service and billing mode: placed when the quote fits the budget, refused with nothing written when not', async () => {
  // Room for the whole set: a large budget, restored afterwards.
  await sql(`UPDATE customers SET budget_amount_minor = budget_used_minor + 50000000 WHERE id = '${C}'`);
  const token = await session();
  const seen = new Set();
  for (const f of fixtures) {
    const q = await api('POST', '/v1/quotes', { as: 'skyline-operator', body: f.draft });
    assert.equal(q.status, 201, f.name);
    const before = await tables();
    const r = await order(token, f.draft);
    if (q.body.quote.budget?.blocked) {
      assertError({ ...r, text: JSON.stringify(r.body) }, 403, 'budget_would_be_exceeded');
      const after = await tables();
      assert.equal(after.orders + after.resources, before.orders + before.resources, `${f.name}: nothing written`);
      continue;
    }
    assert.equal(r.status, 201, `${f.name}: ${JSON.stringify(r.body)}`);
    const ym = f.draft.billing.mode === 'yearly_monthly';
    seen.add(`${f.draft.service}/${f.draft.billing.mode}`);
    assert.equal(Boolean(r.body.order), ym, f.name);
    if (ym) {
      assert.equal(r.body.order.status, f.draft.billing.auto_pay ? 5 : 6, f.name);
      assert.deepEqual(r.body.order.amount, q.body.quote.total, `${f.name}: charged the quoted total`);
      assert.deepEqual(
        r.body.request,
        (
          await api('POST', '/v1/drafts/payload', {
            as: 'skyline-operator',
            body: { draft: f.draft, project_id: r.body.request.path.split('/')[2] },
          })
        ).body,
        `${f.name}: the exact payload`,
      );
    } else {
      const count = f.draft.ecs?.count ?? f.draft.evs?.count ?? 1;
      assert.equal(r.body.resources.length, count, f.name);
    }
  }
  for (const s of ['ecs', 'evs', 'eip'])
    for (const b of ['yearly_monthly', 'pay_per_use']) assert.ok(seen.has(`${s}/${b}`), `${s} ${b} placed`);
  await sql(`UPDATE customers SET budget_amount_minor = 150000, budget_used_minor = 10000 WHERE id = '${C}'`);
});

test('a customer frozen mid-session: the next order is refused and writes nothing', async () => {
  const token = await session();
  await sql(`UPDATE customers SET frozen = 1, frozen_reason = 'test' WHERE id = '${C}'`);
  const before = await tables();
  const r = await order(token, fixtures.find((f) => f.name === 'evs-monthly').draft);
  assert.equal(r.status, 403);
  assert.equal(r.body.error.code, 'customer_frozen');
  const after = await tables();
  assert.equal(after.orders, before.orders);
  await sql(`UPDATE customers SET frozen = 0, frozen_reason = NULL WHERE id = '${C}'`);
});

test('an order that uses the budget up exactly freezes the customer automatically', async () => {
  const draft = fixtures.find((f) => f.name === 'evs-monthly').draft;
  const q = await api('POST', '/v1/quotes', { as: 'skyline-operator', body: draft });
  const total = q.body.quote.total.minor;
  await sql(
    `UPDATE customers SET budget_amount_minor = budget_used_minor + ${total}, budget_auto_freeze = 1 WHERE id = '${C}'`,
  );
  const token = await session();
  const r = await order(token, draft);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const c = (await api('GET', `/v1/customers/${C}`, { as: 'skyline-operator' })).body;
  assert.equal(c.budget.usage_percent, 100);
  assert.deepEqual([c.frozen.frozen, c.frozen.auto], [true, true]);
  const next = await order(token, draft);
  assert.equal(next.status, 403);
  assert.equal(next.body.error.code, 'customer_auto_frozen');
  await sql(
    `UPDATE customers SET frozen = 0, auto_frozen = 0, frozen_reason = NULL, budget_amount_minor = 150000, budget_used_minor = 10000 WHERE id = '${C}'`,
  );
});

test('a key whose request died in flight can be used again after five minutes, and yields one order', async () => {
  const token = await session();
  const draft = fixtures.find((f) => f.name === 'evs-pay-per-use').draft;
  const key = `stale-${Date.now()}`;
  // The first request died after claiming the key: an in-flight row with its fingerprint, six minutes old.
  const first = await order(token, draft, key);
  assert.equal(first.status, 201);
  const fp = (await sql(`SELECT fingerprint FROM idempotency_keys WHERE key = '${key}'`))[0].fingerprint;
  const stale = `k-stale-${Date.now()}`;
  const old = new Date(Date.now() - 6 * 60 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  await sql(`INSERT INTO idempotency_keys (partner_id, customer_id, key, fingerprint, state, created_at, expires_at)
       VALUES ('${demo.partners.reseller}', '${C}', '${stale}', '${fp}', 'in_flight', '${old}', '2099-01-01T00:00:00Z')`);
  const fresh = `k-fresh-${Date.now()}`;
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  await sql(`INSERT INTO idempotency_keys (partner_id, customer_id, key, fingerprint, state, created_at, expires_at)
       VALUES ('${demo.partners.reseller}', '${C}', '${fresh}', '${fp}', 'in_flight', '${now}', '2099-01-01T00:00:00Z')`);
  const young = await order(token, draft, fresh);
  assert.equal(young.status, 409, 'still in flight');
  const before = await tables();
  const retried = await order(token, draft, stale);
  assert.equal(retried.status, 201, JSON.stringify(retried.body));
  const again = await order(token, draft, stale);
  assert.equal(again.headers.get('idempotency-replayed'), 'true');
  assert.equal((await tables()).resources, before.resources + 1, 'one enablement for the key');
});
