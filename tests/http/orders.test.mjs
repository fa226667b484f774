// Switch role and ordering on behalf: sessions, idempotent orders, the order lifecycle, Customer
// Orders and View Resources, with refusals that write nothing.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { api, asSession, assertError, demo, idem, key, tables } from './helpers.mjs';

const C = demo.customers.ready;
const fixtures = JSON.parse(readFileSync('tests/fixtures/drafts.json', 'utf8')).fixtures;
const draft = (name, billing) => {
  const d = structuredClone(fixtures.find((f) => f.name === name).draft);
  if (billing) d.billing = billing;
  return d;
};
const monthly = (autoPay) => ({
  mode: 'yearly_monthly',
  period_type: 'month',
  period_num: 1,
  auto_renew: false,
  auto_pay: autoPay,
});

async function session(as = 'skyline-operator', customer = C) {
  const r = await api('POST', `/v1/customers/${customer}/sessions`, { as, body: {} });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

test('switch role: a confirmed session, whom it acts for, Switch Role, and the token refused afterwards', async () => {
  const s = await session();
  assert.match(s.token, /^obs_ses_[0-9a-f]{24}\.[0-9a-f]{64}$/);
  assert.equal(s.customer_id, C);
  assert.equal(s.source_user_id, demo.users.find((u) => u.handle === 'skyline-operator').user_id);
  assert.deepEqual(s.scopes, ['order']);
  assert.ok(s.relied_on.authorization, 'the grant it relied on');
  assert.equal(Date.parse(s.expires_at) - Date.parse(s.started_at), 30 * 60 * 1000);
  const cur = await asSession(s.token, 'GET', '/v1/sessions/current');
  assert.equal(cur.status, 200, cur.text);
  assert.ok(cur.body.remaining_seconds > 1700 && cur.body.live);
  const end = await asSession(s.token, 'DELETE', '/v1/sessions/current');
  assert.equal(end.status, 200, end.text);
  assert.equal(end.body.live, false);
  for (const [m, p] of [
    ['GET', '/v1/sessions/current'],
    ['DELETE', '/v1/sessions/current'],
    ['POST', '/v1/orders'],
  ]) {
    const r = await asSession(s.token, m, p, {
      body: m === 'POST' ? { draft: draft('evs-monthly') } : undefined,
      idem: idem(),
    });
    assertError(r, 401, 'session_ended');
  }
  // Tampered and foreign tokens.
  const s2 = await session();
  const flip = s2.token.slice(0, -1) + (s2.token.endsWith('0') ? '1' : '0');
  assertError(await asSession(flip, 'GET', '/v1/sessions/current'), 401, 'session_invalid');
  assertError(await asSession(key('skyline-operator'), 'GET', '/v1/sessions/current'), 401, 'session_invalid');
  const audit = await api('GET', `/v1/audit?customer_id=${C}&limit=50`, { as: 'skyline-admin' });
  assert.ok(audit.body.events.some((e) => e.action === 'session.started'));
  assert.ok(audit.body.events.some((e) => e.action === 'session.ended' && e.target_id === s.id));
});

test('a session starts only when the prerequisites pass; each refusal has its code and is audited', async () => {
  const viewer = await api('POST', `/v1/customers/${C}/sessions`, { as: 'skyline-viewer', body: {} });
  assertError(viewer, 403, 'role_cannot_order');
  assert.equal(viewer.body.error.data.can_order, false, 'the report comes along');
  assertError(
    await api('POST', `/v1/customers/${demo.customers.referral}/sessions`, { as: 'skyline-operator', body: {} }),
    403,
    'association_not_reseller_mode',
  );
  assertError(
    await api('POST', `/v1/customers/${demo.customers.foreign}/sessions`, { as: 'skyline-operator', body: {} }),
    404,
    'not_found',
  );
  assertError(
    await api('POST', `/v1/customers/${C}/sessions`, { as: 'skyline-operator', body: { minutes: 61 } }),
    400,
    'validation_failed',
    [['minutes']],
  );
  const s = await api('POST', `/v1/customers/${C}/sessions`, { as: 'skyline-operator', body: { minutes: 5 } });
  assert.equal(Date.parse(s.body.expires_at) - Date.parse(s.body.started_at), 5 * 60 * 1000);
  const audit = await api('GET', `/v1/audit?customer_id=${demo.customers.referral}&limit=20`, { as: 'skyline-admin' });
  assert.ok(audit.body.events.some((e) => e.action === 'session.refused'));
});

test('yearly/monthly with auto-pay: a completed order with the exact payload, spend counted, listed in Customer Orders', async () => {
  const s = await session();
  const before = (await api('GET', `/v1/customers/${C}`, { as: 'skyline-operator' })).body;
  const r = await asSession(s.token, 'POST', '/v1/orders', { body: { draft: draft('ecs-monthly') }, idem: idem() });
  assert.equal(r.status, 201, r.text);
  const o = r.body.order;
  assert.match(o.order_id, /^CS\d{10}[A-Z0-9]{5}$/);
  assert.equal(o.status, 5);
  assert.equal(o.source_type, 2);
  assert.equal(o.session_id, s.id);
  assert.equal(r.body.request.path.startsWith('/v1.1/'), true, 'the exact Huawei request sent');
  assert.equal(r.body.request.body.server.extendparam.isAutoPay, 'true');
  assert.equal(r.body.upstream.order_id, o.order_id, "upstream's answer names the order");
  assert.deepEqual(o.amount, r.body.quote.total, 'one order shape: amount as money');
  assert.deepEqual(Object.keys(o.relied_on).sort(), ['authorization', 'distributor_permission']);
  assert.equal(r.body.resources.length, 1);
  assert.equal(r.body.resources[0].resource_type_code, 'hws.resource.type.vm');
  const after = (await api('GET', `/v1/customers/${C}`, { as: 'skyline-operator' })).body;
  assert.equal(after.month_to_date_spend.minor, before.month_to_date_spend.minor + o.amount.minor);
  assert.equal(after.budget.used.minor, before.budget.used.minor + o.amount.minor);
  const list = await api('GET', `/v1/orders?customer_id=${C}&order_id=${o.order_id}`, { as: 'skyline-viewer' });
  assert.equal(list.status, 200, list.text);
  assert.equal(list.body.orders.length, 1);
  assert.equal(list.body.orders[0].source, 'placed by partner');
  assert.equal(list.body.orders[0].placed_by, s.source_user_id);
  const res = await api('GET', `/v1/customers/${C}/resources?billing=yearly_monthly`, { as: 'skyline-viewer' });
  assert.ok(res.body.resources.some((x) => x.order_id === o.order_id && x.expire_time));
  assertError(
    await api('GET', `/v1/orders?order_id=${o.order_id}`, { as: 'delta-operator' }).then((x) => ({
      ...x,
      status: x.body.orders.length ? 200 : 404,
      body: x.body.orders.length ? x.body : { error: { code: 'not_found', message: '', details: [] } },
    })),
    404,
    'not_found',
  );
});

test('pending payment: pay completes it (and provisions), cancel only while pending', async () => {
  const s = await session();
  const r = await asSession(s.token, 'POST', '/v1/orders', {
    body: { draft: draft('evs-monthly', monthly(false)) },
    idem: idem(),
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.order.status, 6);
  assert.equal(r.body.resources.length, 0, 'nothing provisioned before payment');
  const id = r.body.order.order_id;
  const paid = await asSession(s.token, 'POST', `/v1/orders/${id}/pay`);
  assert.equal(paid.status, 200, paid.text);
  assert.equal(paid.body.status, 5);
  assert.ok(paid.body.payment_time);
  assertError(await asSession(s.token, 'POST', `/v1/orders/${id}/cancel`), 409, 'order_not_pending_payment');
  assertError(await asSession(s.token, 'POST', `/v1/orders/${id}/pay`), 409, 'order_not_pending_payment');
  const res = await api('GET', `/v1/customers/${C}/resources`, { as: 'skyline-viewer' });
  assert.ok(res.body.resources.some((x) => x.order_id === id));
  const r2 = await asSession(s.token, 'POST', '/v1/orders', {
    body: { draft: draft('evs-monthly', monthly(false)) },
    idem: idem(),
  });
  const c = await asSession(s.token, 'POST', `/v1/orders/${r2.body.order.order_id}/cancel`);
  assert.equal(c.status, 200, c.text);
  assert.equal(c.body.status, 4);
  assertError(
    await asSession(s.token, 'POST', `/v1/orders/${r2.body.order.order_id}/pay`),
    409,
    'order_not_pending_payment',
  );
  const list = await api('GET', `/v1/orders?customer_id=${C}&status=4`, { as: 'skyline-viewer' });
  assert.ok(list.body.orders.some((o) => o.order_id === r2.body.order.order_id));
});

test('pay-per-use provisions resources directly (no order), listed under View Resources', async () => {
  const s = await session();
  for (const name of ['evs-pay-per-use', 'eip-pay-per-use']) {
    const r = await asSession(s.token, 'POST', '/v1/orders', { body: { draft: draft(name) }, idem: idem() });
    assert.equal(r.status, 201, `${name}: ${r.text}`);
    assert.equal(r.body.order, null);
    assert.equal(r.body.resources.length, 1);
    assert.equal(r.body.resources[0].billing, 'pay_per_use');
    assert.ok(r.body.quote.hourly, 'the hourly rate');
  }
  const res = await api('GET', `/v1/customers/${C}/resources?billing=pay_per_use`, { as: 'skyline-viewer' });
  assert.ok(res.body.resources.some((x) => x.resource_type_code === 'hws.resource.type.ip'));
  assert.ok(res.body.resources.every((x) => x.billing === 'pay_per_use' && !x.expire_time));
  assertError(
    await api('GET', `/v1/customers/${C}/resources?billing=weekly`, { as: 'skyline-viewer' }),
    400,
    'validation_failed',
    [['billing']],
  );
});

test('idempotency: required key, replay, 422 on another body, one order out of 30 concurrent requests', async () => {
  const s = await session();
  const body = { draft: draft('evs-monthly') };
  assertError(await asSession(s.token, 'POST', '/v1/orders', { body }), 400, 'idempotency_key_required');
  const k = idem();
  const first = await asSession(s.token, 'POST', '/v1/orders', { body, idem: k });
  assert.equal(first.status, 201, first.text);
  const again = await asSession(s.token, 'POST', '/v1/orders', { body, idem: k });
  assert.equal(again.status, 201);
  assert.equal(again.headers.get('idempotency-replayed'), 'true');
  assert.equal(again.text, first.text, 'the stored answer, byte for byte');
  assertError(
    await asSession(s.token, 'POST', '/v1/orders', { body: { draft: draft('evs-monthly', monthly(false)) }, idem: k }),
    422,
    'idempotency_key_reused',
  );
  // 30 at once with one new key: exactly one order.
  const before = (await tables()).orders;
  const k2 = idem();
  const rs = await Promise.all(
    Array.from({ length: 30 }, () => asSession(s.token, 'POST', '/v1/orders', { body, idem: k2 })),
  );
  const created = rs.filter((r) => r.status === 201 && r.headers.get('idempotency-replayed') !== 'true');
  assert.equal(created.length, 1, rs.map((r) => r.status).join(','));
  assert.ok(
    rs.every((r) => r.status === 201 || r.status === 409),
    rs.map((r) => r.status).join(','),
  );
  const ids = new Set(rs.filter((r) => r.status === 201).map((r) => r.body.order.order_id));
  assert.equal(ids.size, 1, 'replays carry the same order');
  assert.equal((await tables()).orders, before + 1);
});

test("refusals write nothing: over budget, invalid draft, another customer's draft", async () => {
  const s = await session();
  const before = await tables();
  const big = await asSession(s.token, 'POST', '/v1/orders', {
    body: { draft: draft('eip-yearly-1000') },
    idem: idem(),
  });
  assertError(big, 403, 'budget_would_be_exceeded');
  const bad = await asSession(s.token, 'POST', '/v1/orders', {
    body: { draft: fixtures.find((f) => f.name === 'invalid-evs').draft },
    idem: idem(),
  });
  assertError(bad, 400, 'validation_failed', [['billing', 'period_num']]);
  const other = draft('evs-monthly');
  other.customer_id = demo.customers.journey;
  assertError(
    await asSession(s.token, 'POST', '/v1/orders', { body: { draft: other }, idem: idem() }),
    400,
    'validation_failed',
    [['draft', 'customer_id']],
  );
  const after = await tables();
  for (const t of ['orders', 'resources', 'idempotency_keys']) assert.equal(after[t], before[t], t);
  assert.equal(after.audit_events, before.audit_events + 3, 'only the refusals are audited');
});

test('a revoked grant stops the session on its next request, with nothing written', async () => {
  const s = await session();
  const perms = await api('GET', `/v1/distributor-permissions?reseller_id=${demo.partners.reseller}`, {
    as: 'northwind-admin',
  });
  const covering = perms.body.permissions.filter(
    (p) => p.state === 'active' && (p.customer_id === C || p.customer_id === null),
  );
  assert.ok(covering.length >= 1, perms.text);
  for (const p of covering) {
    const r = await api('POST', `/v1/distributor-permissions/${p.id}/revoke`, {
      as: 'northwind-admin',
      body: { reason: 'test' },
    });
    assert.equal(r.status, 200, r.text);
  }
  const before = await tables();
  const r = await asSession(s.token, 'POST', '/v1/orders', { body: { draft: draft('evs-monthly') }, idem: idem() });
  assertError(r, 403, 'distributor_permission_revoked');
  const after = await tables();
  assert.equal(after.orders, before.orders);
  assert.equal(after.resources, before.resources);
  // Grant again so that later tests find the customer ready.
  const g = await api('POST', '/v1/distributor-permissions', {
    as: 'northwind-admin',
    body: { reseller_id: demo.partners.reseller, customer_id: C, capabilities: ['order', 'om'] },
  });
  assert.equal(g.status, 201, g.text);
  const ok = await asSession(s.token, 'POST', '/v1/orders', { body: { draft: draft('evs-monthly') }, idem: idem() });
  assert.equal(ok.status, 201, 'the same session works again once a grant exists');
});

test('an order may cite a quote: the quoted price holds; the ledger lists orders and pay-per-use together', async () => {
  const q = await api('POST', '/v1/quotes', { as: 'skyline-operator', body: draft('evs-monthly') });
  assert.equal(q.status, 201, q.text);
  const s = await session();
  const r = await asSession(s.token, 'POST', '/v1/orders', { body: { quote_id: q.body.id }, idem: idem() });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.body.order.amount, q.body.quote.total);
  assert.equal(r.body.order.quote_id, q.body.id);
  assertError(
    await asSession(s.token, 'POST', '/v1/orders', { body: { quote_id: 'qt_000000000000000000000000' }, idem: idem() }),
    404,
    'not_found',
  );
  assertError(await asSession(s.token, 'POST', '/v1/orders', { body: {}, idem: idem() }), 400, 'validation_failed');
  const ppu = await asSession(s.token, 'POST', '/v1/orders', { body: { draft: draft('eip-shared') }, idem: idem() });
  assert.equal(ppu.status, 201, ppu.text);
  const l = await api('GET', `/v1/ledger?customer_id=${C}&limit=100`, { as: 'skyline-viewer' });
  assert.equal(l.status, 200, l.text);
  const kinds = new Set(l.body.entries.map((e) => e.kind));
  assert.ok(kinds.has('order') && kinds.has('pay_per_use'));
  assert.ok(l.body.entries.some((e) => e.order_id === r.body.order.order_id && e.session_id === s.id));
  assert.ok(
    l.body.entries.some((e) => e.kind === 'pay_per_use' && e.resource_ids.includes(ppu.body.resources[0].resource_id)),
  );
  const times = l.body.entries.map((e) => e.at);
  assert.deepEqual(times, [...times].sort().reverse(), 'newest first');
  assert.equal(
    (await api('GET', '/v1/ledger', { as: 'delta-operator' })).body.entries.some((e) => e.customer_id === C),
    false,
    'another partner sees none',
  );
});
