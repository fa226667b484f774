// Huawei Cloud for real (UPSTREAM=huawei), against the local emulator (tests/huawei-emulator), which
// verifies every signature on its own and checks every body against the official SDK models. Run by
// scripts/run-http-tests.mjs against a worker configured for the emulator (ONBEHALF_EMULATOR).

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { api, asSession, assertError, demo, idem } from './helpers.mjs';

const EMU = process.env.ONBEHALF_EMULATOR;
const C = demo.customers.ready;
const REGION = 'ap-southeast-1';
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

async function emu(method, path, body) {
  const r = await fetch(EMU + path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  return r.json();
}
const requests = async () => (await emu('GET', '/_emulator/requests')).requests;
const partnerKey = { ak: `SKY${randomBytes(8).toString('hex').toUpperCase()}`, sk: randomBytes(20).toString('base64') };
const ACCOUNT = { domain_name: 'cust-ready-hw', agency_name: 'onbehalf-skyline' };

async function session(as = 'skyline-operator') {
  const r = await api('POST', `/v1/customers/${C}/sessions`, { as, body: {} });
  assert.equal(r.status, 201, r.text);
  return r.body.token;
}

/** Polls a followed request until it is no longer open (the tracker's queue runs under wrangler dev). */
async function settled(id, seconds = 40) {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    const r = await api('GET', `/v1/placements/${id}`, { as: 'skyline-operator' });
    assert.equal(r.status, 200, r.text);
    if (r.body.state === 'succeeded' || r.body.state === 'failed') return r.body;
    if (Date.now() > until) assert.fail(`placement ${id} still ${r.body.state} after ${seconds} s`);
    await new Promise((ok) => setTimeout(ok, 500));
  }
}

/** An ECS draft whose network comes from the pickers (the customer's real VPCs). */
async function pickedEcs(token, billing) {
  const q = `region=${REGION}`;
  const vpcs = await asSession(token, 'GET', `/v1/sessions/current/vpcs?${q}`);
  assert.equal(vpcs.status, 200, vpcs.text);
  const vpc = vpcs.body.vpcs[0].id;
  const subnets = await asSession(token, 'GET', `/v1/sessions/current/subnets?${q}&vpc_id=${vpc}`);
  const groups = await asSession(token, 'GET', `/v1/sessions/current/security-groups?${q}&vpc_id=${vpc}`);
  const keys = await asSession(token, 'GET', `/v1/sessions/current/key-pairs?${q}`);
  const identity = await asSession(token, 'GET', `/v1/sessions/current/identity?${q}`);
  assert.equal(identity.status, 200, identity.text);
  assert.match(identity.body.op_svc_userid, /^[0-9a-f]{32}$/);
  assert.ok(subnets.body.subnets.length > 0 && subnets.body.subnets.every((s) => s.vpc_id === vpc), subnets.text);
  assert.ok(
    groups.body.security_groups.every((g) => g.vpc_id === vpc),
    groups.text,
  );
  const d = draft('ecs-monthly', billing);
  Object.assign(d.ecs, {
    vpc_id: vpc,
    subnet_id: subnets.body.subnets[0].id,
    security_group_ids: [groups.body.security_groups[0].id],
    login: { key_name: keys.body.key_pairs[0].name },
    metadata: { op_svc_userid: identity.body.op_svc_userid },
  });
  return d;
}

test('a partner admin sets the Huawei key: write-only, masked, audited, rotatable', async () => {
  const before = await api('GET', '/v1/huawei-key', { as: 'skyline-admin' });
  assert.equal(before.status, 200, before.text);
  assert.deepEqual([before.body.configured, before.body.upstream, before.body.version], [false, 'huawei', 0]);
  const body = { access_key_id: partnerKey.ak, secret_access_key: partnerKey.sk };
  assertError(await api('PUT', '/v1/huawei-key', { as: 'skyline-operator', body }), 403, 'forbidden_role');
  const bad = await api('PUT', '/v1/huawei-key', {
    as: 'skyline-admin',
    body: { access_key_id: 'AK WITH SPACE', secret_access_key: 'has a space' },
  });
  assertError(bad, 400, 'validation_failed', [['access_key_id'], ['secret_access_key']]);
  assert.ok(!bad.text.includes('has a space'), 'a refused secret is not echoed');
  // First a wrong secret, then the right one: a rotation.
  const first = await api('PUT', '/v1/huawei-key', {
    as: 'skyline-admin',
    body: { ...body, secret_access_key: 'old-secret' },
  });
  assert.equal(first.status, 200, first.text);
  const set = await api('PUT', '/v1/huawei-key', { as: 'skyline-admin', body });
  assert.equal(set.status, 200, set.text);
  assert.equal(set.body.version, 2, 'rotated');
  assert.equal(
    set.body.access_key_id,
    `${partnerKey.ak.slice(0, 4)}${'*'.repeat(partnerKey.ak.length - 8)}${partnerKey.ak.slice(-4)}`,
  );
  assert.ok(!set.text.includes(partnerKey.sk) && !set.text.includes(partnerKey.ak));
  const audit = await api('GET', '/v1/audit?limit=50', { as: 'skyline-admin' });
  const events = audit.body.events.filter((e) => e.action === 'huawei_key.set');
  assert.equal(events.length, 2);
  assert.ok(!audit.text.includes(partnerKey.sk) && !audit.text.includes('old-secret'), 'never logged');
  assertError(await api('GET', '/v1/huawei-key', { as: 'skyline-operator' }), 403, 'forbidden_role');
});

test('without the customer account and agency, ordering says what is missing and orders nothing', async () => {
  const token = await session();
  const r = await asSession(token, 'POST', '/v1/orders', { body: { draft: draft('evs-pay-per-use') }, idem: idem() });
  assertError(r, 409, 'upstream_not_configured');
  assert.deepEqual(r.body.error.data.missing, ['huawei_domain_name', 'huawei_agency_name']);
  assert.equal((await requests()).length, 0, 'nothing reached Huawei');
});

test('the journey: agency assumed, project found, pickers filled, ordered, tracked to completion', async () => {
  await emu('POST', '/_emulator/partners', { ...partnerKey, domain_name: 'skyline-hw' });
  const world = await emu('POST', '/_emulator/customers', {
    domain_name: ACCOUNT.domain_name,
    domain_id: C, // Huawei's customer id is onbehalf's customer id
    agencies: [{ name: ACCOUNT.agency_name, trusts: 'skyline-hw' }],
  });
  const acc = await api('PUT', `/v1/customers/${C}/huawei-account`, { as: 'skyline-operator', body: ACCOUNT });
  assert.equal(acc.status, 200, acc.text);
  assert.equal(acc.body.agency_name, ACCOUNT.agency_name);
  assert.match(acc.body.suggested_agency_name, /^onbehalf-/);
  const token = await session();
  const project = await asSession(token, 'GET', `/v1/sessions/current/project?region=${REGION}`);
  assert.equal(project.status, 200, project.text);
  assert.equal(project.body.project_id, world.projects[REGION], "the customer's own project, found in IAM");
  const d = await pickedEcs(token, monthly(true));
  await emu('DELETE', '/_emulator/requests');
  const t0 = Date.now();
  const placed = await asSession(token, 'POST', '/v1/orders', { body: { draft: d }, idem: idem() });
  const placedMs = Date.now() - t0;
  assert.equal(placed.status, 202, placed.text);
  assert.equal(placed.body.order.status, 3, 'processing while Huawei provisions');
  assert.deepEqual(placed.body.resources, []);
  assert.equal(placed.body.tracking.state, 'running');
  assert.equal(placed.body.tracking.watch.kind, 'job');
  assert.ok(placed.body.request.path.includes(world.projects[REGION]));
  assert.equal(placed.body.upstream.order_id, placed.body.order.order_id, "Huawei's order id");
  // Priced by Huawei's inquiry for the exact configuration (the emulator's list: a server 18.00 and
  // 40 GB of system disk at 0.12 a month), and the order costs that.
  assert.equal(placed.body.quote.price_source, 'huawei');
  assert.deepEqual(placed.body.quote.total, { minor: 2280, currency: 'USD' });
  assert.deepEqual(placed.body.order.amount, { minor: 2280, currency: 'USD' });
  const done = await settled(placed.body.tracking.id);
  assert.equal(done.state, 'succeeded', JSON.stringify(done));
  const orders = await api('GET', `/v1/orders?order_id=${placed.body.order.order_id}`, { as: 'skyline-operator' });
  assert.equal(orders.body.orders[0].status, 5, 'completed');
  const resources = await api('GET', `/v1/customers/${C}/resources`, { as: 'skyline-operator' });
  const state = await emu('GET', '/_emulator/state');
  const servers = placed.body.upstream.serverIds;
  assert.equal(servers.length, 1);
  assert.ok(
    resources.body.resources.some((r) => r.resource_id === servers[0] && r.order_id === placed.body.order.order_id),
  );
  assert.equal(state.resources.find((r) => r.id === servers[0]).status, 'ACTIVE');
  // What reached Huawei: signed (verified by the emulator), every body fits the SDK models, the create
  // carried the order's X-Client-Token.
  const sent = await requests();
  assert.ok(
    sent.every((r) => r.status < 400),
    JSON.stringify(sent.filter((r) => r.status >= 400)),
  );
  const create = sent.filter((r) => r.path.endsWith('/cloudservers'));
  assert.equal(create.length, 1);
  assert.equal(create[0].client_token, placed.body.tracking.id);
  assert.ok(
    done.calls.every((c) => c.request_id),
    "every call recorded with Huawei's request id",
  );
  const polls = sent.filter((r) => r.path.includes('/jobs/')).length;
  console.log(
    `requests for one ECS order (session already signed in): create 1, job polls ${polls}; POST answered in ${placedMs} ms`,
  );
  const audit = await api('GET', `/v1/audit?customer_id=${C}&limit=100`, { as: 'skyline-admin' });
  const actions = audit.body.events.map((e) => e.action);
  for (const a of ['huawei_account.set', 'agency.assumed', 'order.placed', 'order.completed'])
    assert.ok(actions.includes(a), a);
});

test('lookups are reused for a minute within a session, never across sessions', async () => {
  const vpcCalls = async () => (await requests()).filter((r) => r.path.endsWith('/vpcs')).length;
  const token = await session();
  const n0 = await vpcCalls();
  const first = await asSession(token, 'GET', '/v1/sessions/current/vpcs?region=ap-southeast-1');
  const second = await asSession(token, 'GET', '/v1/sessions/current/vpcs?region=ap-southeast-1');
  assert.deepEqual(second.body, first.body);
  assert.equal(await vpcCalls(), n0 + 1, 'the second came from the cache');
  const other = await session();
  await asSession(other, 'GET', '/v1/sessions/current/vpcs?region=ap-southeast-1');
  assert.equal(await vpcCalls(), n0 + 2, 'another session asks Huawei itself');
});

test('pay-per-use EVS runs as a job; View Resources lists the volume once it exists', async () => {
  const token = await session();
  const placed = await asSession(token, 'POST', '/v1/orders', {
    body: { draft: draft('evs-pay-per-use') },
    idem: idem(),
  });
  assert.equal(placed.status, 202, placed.text);
  assert.equal(placed.body.order, null);
  const volume = placed.body.upstream.volume_ids[0];
  const done = await settled(placed.body.tracking.id);
  assert.equal(done.state, 'succeeded');
  const r = await api('GET', `/v1/customers/${C}/resources?billing=pay_per_use`, { as: 'skyline-operator' });
  assert.ok(
    r.body.resources.some((x) => x.resource_id === volume),
    r.text,
  );
});

test("Customer Orders and View Resources are Huawei's lists, with provenance where onbehalf placed them", async () => {
  const elsewhere = await emu('POST', '/_emulator/elsewhere', { partner: 'skyline-hw', customer_id: C, amount: 42.5 });
  const first = await api('GET', `/v1/customer-orders?customer_id=${C}&limit=2`, { as: 'skyline-viewer' });
  assert.equal(first.status, 200, first.text);
  assert.equal(first.body.source, 'huawei');
  assert.ok(first.body.total >= 2, first.text);
  // Page through with the cursor: every order once.
  const lines = [...first.body.orders];
  let cursor = first.body.next_cursor;
  while (cursor) {
    const r = await api('GET', `/v1/customer-orders?customer_id=${C}&limit=2&cursor=${cursor}`, {
      as: 'skyline-viewer',
    });
    assert.equal(r.status, 200, r.text);
    lines.push(...r.body.orders);
    cursor = r.body.next_cursor;
  }
  assert.equal(lines.length, first.body.total);
  assert.equal(new Set(lines.map((o) => o.order_id)).size, lines.length);
  const other = lines.find((o) => o.order_id === elsewhere.order_id);
  assert.deepEqual(
    [other.origin, other.placed, other.amount],
    ['placed elsewhere', null, { minor: 4250, currency: 'USD' }],
  );
  const mine = await api('GET', `/v1/orders?customer_id=${C}&limit=100`, { as: 'skyline-viewer' });
  const ours = lines.filter((o) => o.origin === 'onbehalf');
  assert.ok(ours.length > 0 && ours.length === mine.body.orders.length, `${ours.length} vs ${mine.body.orders.length}`);
  for (const o of ours) {
    const local = mine.body.orders.find((x) => x.order_id === o.order_id);
    assert.equal(o.placed.session_id, local.session_id);
    assert.equal(o.placed.placed_by, local.placed_by);
  }
  const filtered = await api('GET', `/v1/customer-orders?order_id=${elsewhere.order_id}`, { as: 'skyline-viewer' });
  assert.deepEqual(
    filtered.body.orders.map((o) => o.order_id),
    [elsewhere.order_id],
  );
  assertError(await api('GET', '/v1/customer-orders?cursor=zz', { as: 'skyline-viewer' }), 400, 'validation_failed');
  const res = await api('GET', `/v1/customer-resources?customer_id=${C}&limit=100`, { as: 'skyline-viewer' });
  assert.equal(res.status, 200, res.text);
  const console = res.body.resources.find((r) => r.resource_id === elsewhere.resource_id);
  assert.equal(console.origin, 'placed elsewhere');
  const local = await api('GET', `/v1/customers/${C}/resources?billing=pay_per_use`, { as: 'skyline-viewer' });
  for (const r of local.body.resources) {
    const line = res.body.resources.find((x) => x.resource_id === r.resource_id);
    assert.ok(line, `${r.resource_id} is in Huawei's list`);
    assert.equal(line.origin, 'onbehalf');
    assert.equal(line.placed.session_id, r.session_id);
  }
});

test('an order pending payment is paid and cancelled through BSS', async () => {
  const token = await session();
  const d = await pickedEcs(token, monthly(false));
  const placed = await asSession(token, 'POST', '/v1/orders', { body: { draft: d }, idem: idem() });
  assert.equal(placed.status, 201, placed.text);
  assert.equal(placed.body.order.status, 6);
  assert.equal(placed.body.tracking, null, 'nothing runs before payment');
  const paid = await asSession(token, 'POST', `/v1/orders/${placed.body.order.order_id}/pay`, { body: {} });
  assert.equal(paid.status, 200, paid.text);
  assert.equal(paid.body.status, 3, 'processing once paid');
  const done = await settled(`pay-${placed.body.order.order_id}`);
  assert.equal(done.state, 'succeeded');
  const after = await api('GET', `/v1/orders?order_id=${placed.body.order.order_id}`, { as: 'skyline-operator' });
  assert.equal(after.body.orders[0].status, 5);
  // Another one, cancelled.
  const d2 = await pickedEcs(token, monthly(false));
  const second = await asSession(token, 'POST', '/v1/orders', { body: { draft: d2 }, idem: idem() });
  const id = second.body.order.order_id;
  const cancelled = await asSession(token, 'POST', `/v1/orders/${id}/cancel`, { body: {} });
  assert.equal(cancelled.status, 200, cancelled.text);
  assert.equal(cancelled.body.status, 4);
  const state = await emu('GET', '/_emulator/state');
  assert.equal(state.orders.find((o) => o.order_id === id).status, 4, 'cancelled in Huawei too');
});

test('Customer Orders cancels a pending order with the partner key: one placed here, one placed elsewhere', async () => {
  const token = await session();
  const placed = await asSession(token, 'POST', '/v1/orders', {
    body: { draft: draft('evs-monthly', monthly(false)) },
    idem: idem(),
  });
  assert.equal(placed.status, 201, placed.text);
  const id = placed.body.order.order_id;
  assertError(
    await api('POST', `/v1/customer-orders/${id}/cancel`, { as: 'skyline-viewer', body: { customer_id: C } }),
    403,
    'forbidden_role',
  );
  const r = await api('POST', `/v1/customer-orders/${id}/cancel`, { as: 'skyline-operator', body: { customer_id: C } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.placed_here, true);
  const local = await api('GET', `/v1/orders?order_id=${id}`, { as: 'skyline-viewer' });
  assert.equal(local.body.orders[0].status, 4);
  const upstream = await api('GET', `/v1/customer-orders?order_id=${id}`, { as: 'skyline-viewer' });
  assert.equal(upstream.body.orders[0].status, 4, upstream.text);
  assertError(
    await api('POST', `/v1/customer-orders/${id}/cancel`, { as: 'skyline-operator', body: { customer_id: C } }),
    409,
    'order_not_pending_payment',
  );
  const other = await emu('POST', '/_emulator/elsewhere', { partner: 'skyline-hw', customer_id: C, status: 6 });
  const c2 = await api('POST', `/v1/customer-orders/${other.order_id}/cancel`, {
    as: 'skyline-operator',
    body: { customer_id: C },
  });
  assert.equal(c2.status, 200, c2.text);
  assert.equal(c2.body.placed_here, false);
  const seen = await api('GET', `/v1/customer-orders?order_id=${other.order_id}`, { as: 'skyline-viewer' });
  assert.deepEqual([seen.body.orders[0].status, seen.body.orders[0].origin], [4, 'placed elsewhere']);
  // Huawei refuses a second cancel: its code, nothing written.
  const again = await api('POST', `/v1/customer-orders/${other.order_id}/cancel`, {
    as: 'skyline-operator',
    body: { customer_id: C },
  });
  assertError(again, 422, 'upstream_rejected');
});

test("Huawei's refusals map to our codes, write nothing, and free the Idempotency-Key", async () => {
  const token = await session();
  const d = await pickedEcs(token, monthly(true));
  const cases = [
    [{ when: 'quota', path: 'cloudservers' }, 422, 'upstream_rejected', 'Ecs.0319'],
    [{ when: 'balance', path: 'cloudservers' }, 422, 'upstream_rejected', 'CBC.30000067'],
    [
      { when: 'before', path: 'cloudservers', status: 503, headers: { 'Retry-After': '7' } },
      503,
      'upstream_unavailable',
    ],
    [{ when: 'before', path: 'cloudservers', signature: true }, 409, 'upstream_credentials_invalid', 'APIGW.0301'],
  ];
  const before = await api('GET', `/v1/orders?customer_id=${C}&limit=100`, { as: 'skyline-operator' });
  for (const [fault, status, code, huawei] of cases) {
    await emu('POST', '/_emulator/faults', fault);
    const key = idem();
    const r = await asSession(token, 'POST', '/v1/orders', { body: { draft: d }, idem: key });
    assertError(r, status, code);
    if (huawei) assert.equal(r.body.error.data.huawei_code, huawei);
    assert.ok(r.body.error.data.huawei_request_id, "Huawei's request id");
    if (status === 503) assert.equal(r.headers.get('retry-after'), '7');
    // The key was released: the same request succeeds once Huawei accepts.
    const again = await asSession(token, 'POST', '/v1/orders', { body: { draft: d }, idem: key });
    assert.equal(again.status, 202, again.text);
    assert.notEqual(again.headers.get('idempotency-replayed'), 'true');
  }
  const after = await api('GET', `/v1/orders?customer_id=${C}&limit=100`, { as: 'skyline-operator' });
  assert.equal(after.body.orders.length, before.body.orders.length + cases.length, 'one order per accepted request');
  const audit = await api('GET', `/v1/audit?customer_id=${C}&limit=100`, { as: 'skyline-admin' });
  const refused = audit.body.events.filter((e) => e.action === 'order.refused' && e.detail.huawei_request_id);
  assert.ok(refused.length >= cases.length, "each refusal audited with Huawei's request id");
});

test("without Huawei's price inquiry the catalog prices the order, and the quote says so", async () => {
  const token = await session();
  await emu('POST', '/_emulator/faults', { when: 'before', path: 'ratings', status: 503 });
  const r = await asSession(token, 'POST', '/v1/orders', { body: { draft: draft('evs-pay-per-use') }, idem: idem() });
  assert.equal(r.status, 202, r.text);
  assert.equal(r.body.quote.price_source, 'catalog');
  const catalogQuote = await api('POST', '/v1/quotes', { as: 'skyline-operator', body: draft('evs-pay-per-use') });
  assert.deepEqual(r.body.quote.total, catalogQuote.body.quote.total);
  // With the inquiry back, the same draft is priced by Huawei (per hour, times 730 hours).
  const again = await asSession(token, 'POST', '/v1/orders', {
    body: { draft: draft('evs-pay-per-use') },
    idem: idem(),
  });
  assert.equal(again.body.quote.price_source, 'huawei');
  await settled(r.body.tracking.id);
  await settled(again.body.tracking.id);
});

test("a yearly/monthly server with a key pair names the account's user (identity lookup); another id is refused", async () => {
  const token = await session();
  const d = await pickedEcs(token, monthly(true));
  d.ecs.metadata.op_svc_userid = '8ea65f4099ba412883e2a0de932ea2e0';
  const r = await asSession(token, 'POST', '/v1/orders', { body: { draft: d }, idem: idem() });
  assertError(r, 422, 'upstream_rejected');
  assert.equal(r.body.error.data.huawei_code, 'Ecs.0005');
});

test('a job that fails cancels the order and gives the budget back', async () => {
  const token = await session();
  const d = await pickedEcs(token, monthly(true));
  const budget = async () => (await api('GET', `/v1/customers/${C}`, { as: 'skyline-operator' })).body.budget;
  const b0 = await budget();
  await emu('POST', '/_emulator/faults', {
    when: 'job',
    path: 'cloudservers',
    code: 'Ecs.0039',
    reason: 'No capacity in the zone.',
  });
  const placed = await asSession(token, 'POST', '/v1/orders', { body: { draft: d }, idem: idem() });
  assert.equal(placed.status, 202, placed.text);
  const done = await settled(placed.body.tracking.id);
  assert.deepEqual([done.state, done.error_code, done.reason], ['failed', 'Ecs.0039', 'No capacity in the zone.']);
  const o = await api('GET', `/v1/orders?order_id=${placed.body.order.order_id}`, { as: 'skyline-operator' });
  assert.equal(o.body.orders[0].status, 4);
  assert.ok(b0, 'the customer has a budget');
  assert.deepEqual(await budget(), b0, 'the spend was given back');
  const audit = await api('GET', `/v1/audit?customer_id=${C}&limit=20`, { as: 'skyline-admin' });
  assert.ok(audit.body.events.some((e) => e.action === 'order.failed' && e.detail.huawei_code === 'Ecs.0039'));
});

test('sent without an answer: in doubt, resolved with the same X-Client-Token, one volume upstream', async () => {
  const token = await session();
  const volumes = async () =>
    (await emu('GET', '/_emulator/state')).resources.filter((x) => x.kind === 'volume').length;
  const v0 = await volumes();
  await emu('POST', '/_emulator/faults', { when: 'after', path: 'cloudvolumes', hang_s: 6 });
  const key = idem();
  const body = { draft: draft('evs-pay-per-use') };
  const r = await asSession(token, 'POST', '/v1/orders', { body, idem: key });
  assert.equal(r.status, 202, r.text);
  assert.equal(r.body.tracking.state, 'in_doubt');
  assert.equal(r.body.upstream, null);
  const replay = await asSession(token, 'POST', '/v1/orders', { body, idem: key });
  assert.equal(replay.status, 202);
  assert.equal(replay.headers.get('idempotency-replayed'), 'true');
  const done = await settled(r.body.tracking.id, 60);
  assert.equal(done.state, 'succeeded', JSON.stringify(done));
  const creates = (await requests()).filter((x) => x.client_token === r.body.tracking.id);
  assert.ok(creates.length >= 2, 'sent again by the tracker');
  assert.equal(await volumes(), v0 + 1, 'one volume, however often it was sent');
  const listed = await api('GET', `/v1/customers/${C}/resources?billing=pay_per_use`, { as: 'skyline-operator' });
  const made = (await emu('GET', '/_emulator/state')).resources.filter((x) => x.kind === 'volume').map((x) => x.id);
  assert.ok(
    listed.body.resources.some((x) => x.resource_id === made.at(-1)),
    'and it is on record',
  );
});

test('concurrent identical orders create one server upstream', async () => {
  const token = await session();
  const d = await pickedEcs(token, { mode: 'pay_per_use' });
  const key = idem();
  const rs = await Promise.all(
    Array.from({ length: 4 }, () => asSession(token, 'POST', '/v1/orders', { body: { draft: d }, idem: key })),
  );
  const statuses = rs.map((r) => r.status).sort();
  assert.ok(
    statuses.every((s) => s === 202 || s === 409),
    statuses.join(),
  );
  assert.ok(statuses.includes(202));
  const placed = rs.find((r) => r.status === 202 && r.headers.get('idempotency-replayed') !== 'true');
  const creates = (await requests()).filter(
    (x) => x.client_token === placed.body.tracking.id && x.path.endsWith('/cloudservers'),
  );
  assert.equal(creates.length, 1, 'one create reached Huawei');
});

test('an agency that does not exist is named in the error', async () => {
  const other = await api('PUT', `/v1/customers/${C}/huawei-account`, {
    as: 'skyline-operator',
    body: { ...ACCOUNT, agency_name: 'no-such-agency' },
  });
  assert.equal(other.status, 200);
  const token = await session();
  const r = await asSession(token, 'GET', `/v1/sessions/current/vpcs?region=${REGION}`);
  assertError(r, 409, 'agency_not_found');
  assert.equal(r.body.error.data.agency_name, 'no-such-agency');
  assert.match(r.body.error.message, /IAM/);
  await api('PUT', `/v1/customers/${C}/huawei-account`, { as: 'skyline-operator', body: ACCOUNT });
});
