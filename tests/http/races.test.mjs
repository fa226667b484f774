// State changes under concurrent requests. Every state change of the product is fired at the real
// worker by concurrent requests, repeated, and its invariant is checked from the database: no charge
// without a paid order, at most 5 guesses per code and 10 per consent request, at most 30 customers
// revealed per user and minute, no write relying on a revoked grant or credential, one winner per
// decision, an audit chain that verifies. RACE_REPEAT (default 8) sets the repetitions.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { api, asSession, demo, healthyCustomer, idem, latestConsent, outbox, sql } from './helpers.mjs';

const R = demo.partners.reseller;
const REPEAT = Number(process.env.RACE_REPEAT ?? 8);
const fixtures = JSON.parse(readFileSync('tests/fixtures/drafts.json', 'utf8')).fixtures;
const monthly = (autoPay) => ({
  mode: 'yearly_monthly',
  period_type: 'month',
  period_num: 1,
  auto_renew: false,
  auto_pay: autoPay,
});

/** What the suite tried: concurrent groups fired, requests in them, outcomes seen per scenario. */
const tally = { groups: 0, requests: 0, outcomes: {} };
after(() => {
  const lines = Object.entries(tally.outcomes)
    .map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`)
    .join('\n');
  console.log(
    `race suite: ${tally.groups} concurrent groups, ${tally.requests} concurrent requests, invariant violations: 0\n${lines}`,
  );
});

/** Fires the calls at once (each after a random delay of up to `jitter` ms, so that the order of
 * arrival varies from one repetition to the next); counts the group. */
async function race(name, calls, jitter = 0) {
  tally.groups += 1;
  tally.requests += calls.length;
  const results = await Promise.all(
    calls.map((f) => new Promise((ok) => setTimeout(ok, Math.random() * jitter)).then(f)),
  );
  tally.outcomes[name] ??= {};
  const seen = tally.outcomes[name];
  for (const r of results) seen[r.status] = (seen[r.status] ?? 0) + 1;
  return results;
}

const q = (s) => `'${String(s).replaceAll("'", "''")}'`;

function draftFor(customer, name, billing) {
  const d = structuredClone(fixtures.find((f) => f.name === name).draft);
  d.customer_id = customer;
  if (billing) d.billing = billing;
  return d;
}

/** Skyline may order for the customer: Northwind's permission and the customer's approved authorization. */
async function makeOrderable(customerId) {
  const perm = await api('POST', '/v1/distributor-permissions', {
    as: 'northwind-admin',
    body: { reseller_id: R, customer_id: customerId, capabilities: ['order'] },
  });
  assert.equal(perm.status, 201, perm.text);
  const auth = await authorize(customerId);
  return { permission: perm.body.id, ...auth };
}

/** A fresh authorization request approved by the customer: its id and consent token. */
async function authorize(customerId) {
  const req = await api('POST', `/v1/customers/${customerId}/authorizations`, {
    as: 'skyline-operator',
    body: { capabilities: ['order'] },
  });
  assert.equal(req.status, 201, req.text);
  const { token, code } = await latestConsent(customerId);
  const ok = await api('POST', `/v1/consent/${token}/approve`, { body: { code } });
  assert.equal(ok.status, 200, ok.text);
  return { authorization: req.body.id, consent: token };
}

async function startSession(customerId, { rawKey, as = 'skyline-operator' } = {}) {
  const r = await api('POST', `/v1/customers/${customerId}/sessions`, rawKey ? { rawKey, body: {} } : { as, body: {} });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

/** Places an order as a careful client does: a 503 from the runtime ("worker restarted mid-request")
 * is retried with the same Idempotency-Key, which can never yield a second order. */
async function placeOrder(token, draft) {
  const key = idem();
  let r = await asSession(token, 'POST', '/v1/orders', { body: { draft }, idem: key });
  for (let i = 0; i < 3 && r.status === 503 && !r.body; i += 1) {
    tally.outcomes['runtime 503 retried'] = (tally.outcomes['runtime 503 retried'] ?? 0) + 1;
    r = await asSession(token, 'POST', '/v1/orders', { body: { draft }, idem: key });
  }
  return r;
}

/** Sends an idempotent request as a careful client does: the runtime's bodyless 503 is retried. */
async function careful(send) {
  let r = await send();
  for (let i = 0; i < 3 && r.status === 503 && !r.body; i += 1) {
    tally.outcomes['runtime 503 retried'] = (tally.outcomes['runtime 503 retried'] ?? 0) + 1;
    r = await send();
  }
  return r;
}

/** The audit seq of events, by action and target or session. */
async function seqs(where) {
  return sql(
    `SELECT seq, action, target_id, json_extract(detail, '$.session_id') AS session_id FROM audit_events WHERE ${where} ORDER BY seq`,
  );
}

let pool;
/** Generated healthy Skyline customers for this suite (other test files use the first few), budgets lifted. */
async function customers() {
  if (!pool) {
    const list = [];
    for (let n = 8; n < 16; n += 1) list.push((await healthyCustomer('skyline-operator', R, n)).id);
    await sql(
      `UPDATE customers SET budget_type = NULL, budget_amount_minor = NULL, budget_used_minor = 0, frozen = 0, auto_frozen = 0 WHERE id IN (${list.map(q).join(', ')})`,
    );
    pool = {
      payCancel: list[0],
      revoke: list[1],
      credential: list[2],
      consent: list[3],
      consentLife: list[4],
      decisions: list[5],
      sessions: list[6],
      permission: list[7],
    };
  }
  return pool;
}

test('pay ‖ cancel of one pending order: one wins; a cancelled order is never charged, provisioned or audited as paid', async () => {
  const c = (await customers()).payCancel;
  await makeOrderable(c);
  const s = await startSession(c);
  const spendBefore = (await sql(`SELECT mtd_spend_minor AS m FROM customers WHERE id = ${q(c)}`))[0].m;
  const placed = [];
  for (let i = 0; i < REPEAT * 2; i += 1) {
    const o = await asSession(s.token, 'POST', '/v1/orders', {
      body: { draft: draftFor(c, 'evs-monthly', monthly(false)) },
      idem: idem(),
    });
    assert.equal(o.status, 201, o.text);
    const id = o.body.order.order_id;
    // Alternate which action is sent first, so both orders of arrival are tried.
    const pay = () => asSession(s.token, 'POST', `/v1/orders/${id}/pay`);
    const cancel = () => asSession(s.token, 'POST', `/v1/orders/${id}/cancel`);
    const calls = i % 2 ? [pay, cancel, pay, cancel, pay, cancel] : [cancel, pay, cancel, pay, cancel, pay];
    const rs = await race('pay ‖ cancel', calls);
    assert.equal(rs.filter((r) => r.status === 200).length, 1, rs.map((r) => r.text).join('\n'));
    for (const r of rs.filter((x) => x.status !== 200))
      assert.equal(r.body?.error?.code, 'order_not_pending_payment', `${r.status} ${r.text}`);
    placed.push({ id, amount: o.body.order.amount.minor });
  }
  const rows = await sql(`SELECT o.order_id, o.status,
      (SELECT count(*) FROM resources r WHERE r.order_id = o.order_id) AS resources,
      (SELECT count(*) FROM audit_events a WHERE a.target_id = o.order_id AND a.action = 'order.paid') AS paid,
      (SELECT count(*) FROM audit_events a WHERE a.target_id = o.order_id AND a.action = 'order.cancelled') AS cancelled
    FROM orders o WHERE o.order_id IN (${placed.map((p) => q(p.id)).join(', ')})`);
  assert.equal(rows.length, placed.length);
  let charged = 0;
  for (const r of rows) {
    if (r.status === 5) {
      assert.deepEqual([r.resources > 0, r.paid, r.cancelled], [true, 1, 0], JSON.stringify(r));
      charged += placed.find((p) => p.id === r.order_id).amount;
    } else {
      assert.deepEqual([r.status, r.resources, r.paid, r.cancelled], [4, 0, 0, 1], JSON.stringify(r));
    }
  }
  const spendAfter = (await sql(`SELECT mtd_spend_minor AS m FROM customers WHERE id = ${q(c)}`))[0].m;
  assert.equal(spendAfter - spendBefore, charged, 'spend is exactly the paid orders');
  const wins = new Set(rows.map((r) => r.status));
  tally.outcomes['pay ‖ cancel winners'] = {
    paid: rows.filter((r) => r.status === 5).length,
    cancelled: rows.filter((r) => r.status === 4).length,
  };
  assert.ok(wins.size >= 1);
});

test('concurrent guesses at a consent code: at most 5 are evaluated, whatever the concurrency', async () => {
  const c = (await customers()).consent;
  for (let rep = 0; rep < REPEAT; rep += 1) {
    const req = await api('POST', `/v1/customers/${c}/authorizations`, {
      as: 'skyline-operator',
      body: { capabilities: ['order'] },
    });
    assert.equal(req.status, 201, req.text);
    const { token, code } = await latestConsent(c);
    const wrong = [
      ...new Set([...Array(60)].map((_, i) => String((Number(code) + 1 + i * 7919) % 1_000_000).padStart(6, '0'))),
    ]
      .filter((x) => x !== code)
      .slice(0, 39);
    // The right code sits somewhere among 40 concurrent guesses.
    const guesses = [...wrong];
    guesses.splice((rep * 5) % 40, 0, code);
    const rs = await race(
      'consent guesses',
      guesses.map((g) => () => api('POST', `/v1/consent/${token}/approve`, { body: { code: g } })),
    );
    const row = (
      await sql(`SELECT status, code_attempts, guesses FROM authorizations WHERE id = ${q(req.body.id)}`)
    )[0];
    assert.ok(row.code_attempts <= 5 && row.guesses <= 5, JSON.stringify(row));
    const failed = (
      await sql(
        `SELECT count(*) AS n FROM audit_events WHERE target_id = ${q(req.body.id)} AND action = 'consent.code_failed'`,
      )
    )[0].n;
    const approved = rs.filter((r) => r.status === 200).length;
    assert.ok(approved <= 1);
    assert.equal(failed + approved, row.guesses, 'every evaluated guess is audited or approved');
    assert.equal(row.status, approved ? 'approved' : 'pending');
    for (const r of rs.filter((x) => x.status === 429)) assert.ok(Number(r.headers.get('retry-after')) >= 1, r.text);
    tally.outcomes['consent right code approved'] = {
      ...(tally.outcomes['consent right code approved'] ?? {}),
      [approved ? 'yes' : 'no']: (tally.outcomes['consent right code approved']?.[approved ? 'yes' : 'no'] ?? 0) + 1,
    };
    if (!approved)
      assert.equal(
        (await api('POST', `/v1/authorizations/${req.body.id}/withdraw`, { as: 'skyline-operator' })).status,
        200,
      );
  }
});

test("over a request's life: 5 codes at most, 10 guesses at most, then the request is locked and the partner asks again", async () => {
  const c = (await customers()).consentLife;
  const req = await api('POST', `/v1/customers/${c}/authorizations`, {
    as: 'skyline-operator',
    body: { capabilities: ['order'] },
  });
  const id = req.body.id;
  let { token } = await latestConsent(c);
  // A code may be replaced a minute after the last one: move the last sending back in time instead of waiting.
  const backdate = () =>
    sql(
      `UPDATE authorizations SET code_expires_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+1700 seconds') WHERE id = ${q(id)}`,
    );
  const resends = await race(
    'code resend ‖ resend',
    [1, 2, 3, 4, 5].map(() => () => api('POST', `/v1/consent/${token}/code`)),
  );
  assert.deepEqual(
    resends.map((r) => r.status).sort(),
    [429, 429, 429, 429, 429],
    'not within a minute of the first code',
  );
  await backdate();
  const burst = await race(
    'code resend ‖ resend',
    [1, 2, 3, 4, 5].map(() => () => api('POST', `/v1/consent/${token}/code`)),
  );
  assert.deepEqual(burst.map((r) => r.status).sort(), [202, 429, 429, 429, 429], burst.map((r) => r.text).join('\n'));
  const sms = (await outbox(c)).filter((m) => m.channel === 'sms');
  assert.equal(sms.length, 2, 'one SMS for the request and one for the single resend that won');
  // Ten wrong guesses over two codes: 5 per code, then locked.
  let locked;
  for (let round = 0; round < 2; round += 1) {
    const rs = await race(
      'wrong guesses',
      [...Array(8)].map(
        (_, i) => () =>
          api('POST', `/v1/consent/${token}/approve`, { body: { code: String(100000 + round * 10 + i) } }),
      ),
    );
    locked = rs;
    if (round === 0) {
      await backdate();
      assert.equal((await api('POST', `/v1/consent/${token}/code`)).status, 202);
    }
  }
  const row = (
    await sql(`SELECT status, guesses, wrong_guesses, codes_sent FROM authorizations WHERE id = ${q(id)}`)
  )[0];
  assert.deepEqual(row, { status: 'locked', guesses: 10, wrong_guesses: 10, codes_sent: 3 });
  assert.ok(locked.some((r) => r.body?.error?.code === 'consent_locked'));
  const { code } = await latestConsent(c);
  const late = await api('POST', `/v1/consent/${token}/approve`, { body: { code } });
  assert.equal(late.body.error.code, 'consent_locked', 'even the right code no longer approves');
  assert.equal(late.status, 410);
  await backdate();
  assert.equal((await api('POST', `/v1/consent/${token}/code`)).body.error.code, 'consent_locked');
  const events = await seqs(`target_id = ${q(id)} AND action = 'authorization.locked'`);
  assert.equal(events.length, 1);
  const check = await api('GET', `/v1/customers/${c}/prerequisites`, { as: 'skyline-operator' });
  assert.match(check.body.checks.find((x) => x.check === 'customer_authorization').message, /locked/);
  // The partner may ask again; the new request sends at most 5 codes.
  const again = await api('POST', `/v1/customers/${c}/authorizations`, {
    as: 'skyline-operator',
    body: { capabilities: ['order'] },
  });
  assert.equal(again.status, 201, again.text);
  ({ token } = await latestConsent(c));
  const sent = [];
  for (let i = 0; i < 5; i += 1) {
    await sql(
      `UPDATE authorizations SET code_expires_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+1700 seconds') WHERE id = ${q(again.body.id)}`,
    );
    sent.push((await api('POST', `/v1/consent/${token}/code`)).status);
  }
  assert.deepEqual(sent, [202, 202, 202, 202, 410], 'the first code and four more');
});

test('concurrent reveals: at most 30 distinct customers per user and minute, each refusal with Retry-After', async () => {
  const list = (await api('GET', '/v1/customers?limit=100', { as: 'northwind-operator' })).body.customers.map(
    (c) => c.id,
  );
  assert.ok(list.length >= 70);
  const singles = list.slice(0, 40);
  const rs = await race(
    'reveal ‖ reveal (single)',
    singles.map(
      (id) => () =>
        api('POST', `/v1/customers/${id}/reveal`, {
          as: 'northwind-operator',
          body: { fields: ['mobile'], reason: 'race test' },
        }),
    ),
  );
  assert.equal(
    rs.filter((r) => r.status === 200).length,
    30,
    rs
      .filter((r) => r.status !== 200)
      .map((r) => r.text)
      .join('\n'),
  );
  for (const r of rs.filter((x) => x.status !== 200)) {
    assert.equal(r.status, 429);
    assert.ok(Number(r.headers.get('retry-after')) >= 1);
  }
  // Revealing another field of a customer already revealed this minute does not count again.
  const shown = singles.filter((_, i) => rs[i].status === 200);
  assert.equal(
    (
      await api('POST', '/v1/customers/reveal', {
        as: 'northwind-operator',
        body: { ids: shown, fields: ['email'], reason: 'race test' },
      })
    ).status,
    200,
  );
  // Column reveals: three pages of 15 at once for another user: 30 customers at most.
  const pages = [list.slice(40, 55), list.slice(55, 70), list.slice(25, 40)];
  const cols = await race(
    'reveal ‖ reveal (columns)',
    pages.map(
      (ids) => () =>
        api('POST', '/v1/customers/reveal', {
          as: 'northwind-admin',
          body: { ids, fields: ['email'], reason: 'race test' },
        }),
    ),
  );
  assert.equal(cols.filter((r) => r.status === 200).length, 2);
  const users = [
    demo.users.find((u) => u.handle === 'northwind-operator').user_id,
    demo.users.find((u) => u.handle === 'northwind-admin').user_id,
  ];
  for (const u of users) {
    const n = (
      await sql(
        `SELECT count(DISTINCT target_id) AS n FROM audit_events WHERE actor_user_id = ${q(u)} AND action = 'customer.revealed' AND at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-120 seconds')`,
      )
    )[0].n;
    assert.ok(n <= 30, `${n} customers revealed by ${u}`);
  }
});

test('orders ‖ revoking the authorization or the permission they rely on: nothing is written after the revocation', async () => {
  const c = (await customers()).revoke;
  let { permission: perm, authorization, consent } = await makeOrderable(c);
  for (let rep = 0; rep < REPEAT; rep += 1) {
    const byPermission = rep % 2 === 1;
    const s = await startSession(c);
    const order = () => placeOrder(s.token, draftFor(c, 'evs-pay-per-use'));
    const revokedId = byPermission ? perm : authorization;
    const revoke = byPermission
      ? () =>
          api('POST', `/v1/distributor-permissions/${perm}/revoke`, { as: 'northwind-admin', body: { reason: 'race' } })
      : () => api('POST', `/v1/consent/${consent}/revoke`, { body: { reason: 'race' } });
    const calls = [order, order, order, order, revoke, order, order, order, order];
    const rs = await race(byPermission ? 'orders ‖ permission revoke' : 'orders ‖ authorization revoke', calls, 60);
    assert.equal(rs[4].status, 200, rs[4].text);
    const revokedSeq = (
      await seqs(
        `action = ${byPermission ? "'permission.revoked'" : "'authorization.revoked'"} AND target_id = ${q(revokedId)}`,
      )
    )[0].seq;
    const placed = await seqs(`action = 'resources.enabled' AND json_extract(detail, '$.session_id') = ${q(s.id)}`);
    assert.equal(placed.length, rs.filter((r) => r.status === 201).length);
    for (const e of placed) assert.ok(e.seq < revokedSeq, `order event ${e.seq} after the revocation ${revokedSeq}`);
    for (const r of rs.filter((x, i) => i !== 4 && x.status !== 201)) {
      assert.ok(
        ['authorization_revoked', 'distributor_permission_revoked'].includes(r.body?.error?.code),
        `${r.status} ${r.text}`,
      );
    }
    // The next order on this session is refused.
    assert.equal((await order()).status, 403);
    // Renew what was revoked for the next round.
    if (byPermission) {
      const p = await api('POST', '/v1/distributor-permissions', {
        as: 'northwind-admin',
        body: { reseller_id: R, customer_id: c, capabilities: ['order'] },
      });
      perm = p.body.id;
    } else {
      ({ authorization, consent } = await authorize(c));
    }
  }
});

/** The approved authorization of a customer (made by makeOrderable). */
async function latestAuth(customerId) {
  const list = (await api('GET', `/v1/customers/${customerId}/authorizations`, { as: 'skyline-operator' })).body
    .authorizations;
  const a = list.find((x) => x.state === 'active');
  const { token } = await latestConsent(customerId);
  return { authorization: a.id, consent: token };
}

test('orders ‖ revoking the API key or portal token that started the session: the session ends with it', async () => {
  const c = (await customers()).credential;
  await makeOrderable(c);
  const operator = demo.users.find((u) => u.handle === 'skyline-operator').user_id;
  for (let rep = 0; rep < REPEAT; rep += 1) {
    const k = await api('POST', '/v1/api-keys', {
      as: 'skyline-admin',
      body: { user_id: operator, label: `race ${rep}` },
    });
    assert.equal(k.status, 201, k.text);
    let credential = k.body.key;
    let revoke = () => api('POST', `/v1/api-keys/${k.body.id}/revoke`, { as: 'skyline-admin' });
    let revokedId = k.body.id;
    if (rep % 2 === 1) {
      // A portal token minted with the new key starts the session; revoking the token ends it.
      const t = await api('POST', '/v1/portal-tokens', { rawKey: k.body.key, body: {} });
      assert.equal(t.status, 201, t.text);
      credential = t.body.token;
      revoke = () => api('POST', `/v1/portal-tokens/${t.body.id}/revoke`, { rawKey: k.body.key });
      revokedId = t.body.id;
    }
    const s = await startSession(c, { rawKey: credential });
    const order = () => placeOrder(s.token, draftFor(c, 'evs-pay-per-use'));
    const rs = await race(
      rep % 2 ? 'orders ‖ portal token revoke' : 'orders ‖ API key revoke',
      [order, order, order, revoke, order, order, order],
      60,
    );
    assert.equal(rs[3].status, 200, rs[3].text);
    assert.equal(rs[3].body.sessions_ended, 1);
    const revokedSeq = (
      await seqs(`action IN ('api_key.revoked', 'portal_token.revoked') AND target_id = ${q(revokedId)}`)
    )[0].seq;
    const placed = await seqs(`action = 'resources.enabled' AND json_extract(detail, '$.session_id') = ${q(s.id)}`);
    assert.equal(placed.length, rs.filter((r) => r.status === 201).length);
    for (const e of placed) assert.ok(e.seq < revokedSeq);
    for (const r of rs.filter((x, i) => i !== 3 && x.status !== 201))
      assert.equal(r.body?.error?.code, 'session_ended', `${r.status} ${r.text}`);
    const cur = await asSession(s.token, 'GET', '/v1/sessions/current');
    assert.equal(cur.body.error.code, 'session_ended');
    assert.match(cur.body.error.message, /revoked/);
    if (rep % 2 === 0) {
      // The revoked key itself stops.
      assert.equal((await api('GET', '/v1/me', { rawKey: credential })).status, 401);
    } else {
      await api('POST', `/v1/api-keys/${k.body.id}/revoke`, { as: 'skyline-admin' });
    }
  }
});

test('session start ‖ authorization revoke: no session starts on a revoked authorization; end ‖ end ends once', async () => {
  const c = (await customers()).sessions;
  await makeOrderable(c);
  for (let rep = 0; rep < REPEAT; rep += 1) {
    const { authorization, consent } = rep === 0 ? await latestAuth(c) : await authorize(c);
    const start = () => api('POST', `/v1/customers/${c}/sessions`, { as: 'skyline-operator', body: {} });
    const revoke = () => api('POST', `/v1/consent/${consent}/revoke`, { body: { reason: 'race' } });
    const rs = await race(
      'session start ‖ authorization revoke',
      [start, start, start, revoke, start, start, start],
      60,
    );
    const revokedSeq = (await seqs(`action = 'authorization.revoked' AND target_id = ${q(authorization)}`))[0].seq;
    const started = rs.filter((r, i) => i !== 3 && r.status === 201);
    for (const s of started) {
      const ev = await seqs(`action = 'session.started' AND target_id = ${q(s.body.id)}`);
      assert.equal(ev.length, 1);
      assert.ok(ev[0].seq < revokedSeq);
      // Switch Role twice at once: ends once.
      const ends = await race(
        'session end ‖ end',
        [1, 2, 3].map(() => () => asSession(s.body.token, 'DELETE', '/v1/sessions/current')),
      );
      assert.equal(ends.filter((r) => r.status === 200).length, 1, ends.map((r) => r.text).join('\n'));
      assert.equal((await seqs(`action = 'session.ended' AND target_id = ${q(s.body.id)}`)).length, 1);
    }
    for (const r of rs.filter((x, i) => i !== 3 && x.status !== 201))
      assert.equal(r.body?.error?.code, 'authorization_revoked', `${r.status} ${r.text}`);
  }
});

test('one winner per decision: approve ‖ reject ‖ withdraw, revoke ‖ revoke, key and permission revoke ‖ revoke, request ‖ request', async () => {
  const c = (await customers()).decisions;
  for (let rep = 0; rep < REPEAT; rep += 1) {
    const reqs = await race(
      'authorization request ‖ request',
      [1, 2, 3, 4].map(
        () => () =>
          api('POST', `/v1/customers/${c}/authorizations`, {
            as: 'skyline-operator',
            body: { capabilities: ['order'] },
          }),
      ),
    );
    assert.deepEqual(reqs.map((r) => r.status).sort(), [201, 409, 409, 409]);
    const id = reqs.find((r) => r.status === 201).body.id;
    const { token, code } = await latestConsent(c);
    const rs = await race('approve ‖ reject ‖ withdraw', [
      () => api('POST', `/v1/consent/${token}/approve`, { body: { code } }),
      () => api('POST', `/v1/consent/${token}/reject`, { body: { reason: 'race' } }),
      () => api('POST', `/v1/authorizations/${id}/withdraw`, { as: 'skyline-operator' }),
    ]);
    assert.equal(rs.filter((r) => r.status === 200).length, 1, rs.map((r) => r.text).join('\n'));
    const status = (await sql(`SELECT status FROM authorizations WHERE id = ${q(id)}`))[0].status;
    const decided = await seqs(
      `target_id = ${q(id)} AND action IN ('authorization.approved', 'authorization.rejected', 'authorization.withdrawn')`,
    );
    assert.equal(decided.length, 1);
    assert.equal(
      { approved: 'authorization.approved', rejected: 'authorization.rejected', withdrawn: 'authorization.withdrawn' }[
        status
      ],
      decided[0].action,
    );
    if (status === 'approved') {
      const revokes = await race(
        'consent revoke ‖ revoke',
        [1, 2, 3].map(() => () => api('POST', `/v1/consent/${token}/revoke`, { body: { reason: 'race' } })),
      );
      assert.deepEqual(revokes.map((r) => r.status).sort(), [200, 409, 409]);
      assert.equal((await seqs(`target_id = ${q(id)} AND action = 'authorization.revoked'`)).length, 1);
    }
  }
  const target = (await customers()).permission;
  const grants = await race(
    'permission grant ‖ grant',
    [1, 2, 3].map(
      () => () =>
        api('POST', '/v1/distributor-permissions', {
          as: 'northwind-admin',
          body: { reseller_id: R, customer_id: target, capabilities: ['order'] },
        }),
    ),
  );
  assert.deepEqual(
    grants.map((r) => r.status),
    [201, 201, 201],
    'grants have no precondition: each is its own row',
  );
  assert.equal(
    (await seqs(`action = 'permission.granted' AND target_id IN (${grants.map((r) => q(r.body.id)).join(', ')})`))
      .length,
    3,
  );
  const perm = grants[0];
  const pr = await race(
    'permission revoke ‖ revoke',
    [1, 2, 3].map(
      () => () => api('POST', `/v1/distributor-permissions/${perm.body.id}/revoke`, { as: 'northwind-admin' }),
    ),
  );
  assert.deepEqual(pr.map((r) => r.status).sort(), [200, 409, 409]);
  assert.equal((await seqs(`target_id = ${q(perm.body.id)} AND action = 'permission.revoked'`)).length, 1);
  const operator = demo.users.find((u) => u.handle === 'skyline-operator').user_id;
  const keys = await race(
    'key create ‖ create',
    [1, 2, 3, 4].map(
      (i) => () =>
        api('POST', '/v1/api-keys', { as: 'skyline-admin', body: { user_id: operator, label: `parallel ${i}` } }),
    ),
  );
  assert.deepEqual(
    keys.map((r) => r.status),
    [201, 201, 201, 201],
  );
  assert.equal(new Set(keys.map((r) => r.body.id)).size, 4);
  const kr = await race(
    'key revoke ‖ revoke',
    [1, 2, 3].map(() => () => api('POST', `/v1/api-keys/${keys[0].body.id}/revoke`, { as: 'skyline-admin' })),
  );
  assert.deepEqual(kr.map((r) => r.status).sort(), [200, 409, 409]);
  assert.equal((await seqs(`target_id = ${q(keys[0].body.id)} AND action = 'api_key.revoked'`)).length, 1);
  const mints = await race(
    'portal token mint ‖ mint',
    [1, 2, 3, 4].map(() => () => api('POST', '/v1/portal-tokens', { rawKey: keys[1].body.key, body: {} })),
  );
  assert.deepEqual(
    mints.map((r) => r.status),
    [201, 201, 201, 201],
  );
  const tr = await race(
    'portal token revoke ‖ revoke',
    [1, 2, 3].map(
      () => () => api('POST', `/v1/portal-tokens/${mints[0].body.id}/revoke`, { rawKey: keys[1].body.key }),
    ),
  );
  assert.deepEqual(tr.map((r) => r.status).sort(), [200, 409, 409]);
});

test('orders ‖ freeze: nothing is placed after the freeze; orders ‖ a budget cut: usage never passes the budget', async () => {
  const frozenOne = (await healthyCustomer('skyline-operator', R, 17)).id;
  const cutOne = (await healthyCustomer('skyline-operator', R, 18)).id;
  await sql(
    `UPDATE customers SET budget_type = NULL, budget_amount_minor = NULL, budget_used_minor = 0, frozen = 0, auto_frozen = 0 WHERE id IN (${q(frozenOne)}, ${q(cutOne)})`,
  );
  await makeOrderable(frozenOne);
  await makeOrderable(cutOne);
  for (let rep = 0; rep < REPEAT; rep += 1) {
    const s = await startSession(frozenOne);
    const order = () => placeOrder(s.token, draftFor(frozenOne, 'evs-pay-per-use'));
    const freeze = () =>
      careful(() =>
        api('POST', '/v1/customers/freeze', {
          as: 'skyline-admin',
          body: { customer_ids: [frozenOne], reason: 'race' },
        }),
      );
    const rs = await race('orders ‖ freeze', [order, order, order, freeze, order, order, order], 60);
    assert.equal(rs[3].status, 200, rs[3].text);
    const frozenSeq = (await seqs(`action = 'customer.frozen' AND customer_id = ${q(frozenOne)}`)).at(-1).seq;
    const placed = await seqs(`action = 'resources.enabled' AND json_extract(detail, '$.session_id') = ${q(s.id)}`);
    assert.equal(placed.length, rs.filter((r) => r.status === 201).length);
    for (const e of placed) assert.ok(e.seq < frozenSeq, `order event ${e.seq} after the freeze ${frozenSeq}`);
    for (const r of rs.filter((x, i) => i !== 3 && x.status !== 201)) {
      assert.equal(r.body?.error?.code, 'customer_frozen', `${r.status} ${r.text}`);
    }
    const thaw = await api('POST', '/v1/customers/unfreeze', {
      as: 'skyline-admin',
      body: { customer_ids: [frozenOne], reason: 'next round' },
    });
    assert.equal(thaw.status, 200, thaw.text);
  }
  for (let rep = 0; rep < REPEAT; rep += 1) {
    const used = async () =>
      (await sql(`SELECT budget_used_minor AS used FROM customers WHERE id = ${q(cutOne)}`))[0].used;
    // What one order costs the budget, learnt from one order.
    const usd = (minor) => ({ minor, currency: 'USD' });
    const open = await api('PUT', `/v1/customers/${cutOne}/budget`, {
      as: 'skyline-admin',
      body: { type: 'one_time', amount: usd((await used()) + 1_000_000), auto_freeze: false },
    });
    assert.equal(open.status, 200, open.text);
    const s = await startSession(cutOne);
    const first = await used();
    assert.equal((await placeOrder(s.token, draftFor(cutOne, 'evs-monthly', monthly(true)))).status, 201);
    const before = await used();
    const price = before - first;
    assert.ok(price > 0);
    const room = await api('PUT', `/v1/customers/${cutOne}/budget`, {
      as: 'skyline-admin',
      body: { type: 'one_time', amount: usd(before + 10 * price), auto_freeze: false },
    });
    assert.equal(room.status, 200, room.text);
    const order = () => placeOrder(s.token, draftFor(cutOne, 'evs-monthly', monthly(true)));
    // A budget is a value: setting it again is safe.
    const cut = () =>
      careful(() =>
        api('PUT', `/v1/customers/${cutOne}/budget`, {
          as: 'skyline-admin',
          body: { type: 'one_time', amount: usd(before + 4 * price), auto_freeze: false },
        }),
      );
    const rs = await race('orders ‖ budget cut', [order, order, order, cut, order, order, order], 60);
    const [row] = await sql(
      `SELECT budget_used_minor AS used, budget_amount_minor AS amount FROM customers WHERE id = ${q(cutOne)}`,
    );
    const accepted = rs.filter((r, i) => i !== 3 && r.status === 201).length;
    assert.equal(row.used - before, accepted * price, 'usage is exactly what the accepted orders cost');
    assert.ok(row.used <= row.amount, `usage ${row.used} above the budget ${row.amount}`);
    if (rs[3].status === 200) assert.equal(row.amount, before + 4 * price);
    else assert.equal(rs[3].body.error.code, 'budget_below_usage', rs[3].text);
    for (const r of rs.filter((x, i) => i !== 3 && x.status !== 201)) {
      assert.ok(
        ['budget_would_be_exceeded', 'budget_exhausted'].includes(r.body?.error?.code),
        `${r.status} ${r.text}`,
      );
    }
    await asSession(s.token, 'DELETE', '/v1/sessions/current');
  }
});

test('after the races: the audit chain verifies', async () => {
  const v = await api('GET', '/v1/audit/verify', { as: 'skyline-admin' });
  assert.equal(v.status, 200, v.text);
  assert.equal(v.body.ok, true, v.text);
  assert.equal(v.body.unsealed, 0);
});
