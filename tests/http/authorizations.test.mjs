// Customer authorizations: request rules, withdraw, and the consent link's edge cases.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, assertError, demo, healthyCustomer, latestConsent, outbox, sql, tables } from './helpers.mjs';

const R = demo.partners.reseller;

test('request rules: roles, reseller mode only, one pending request at a time, withdraw', async () => {
  const c = await healthyCustomer('skyline-operator', R, 2);
  const path = `/v1/customers/${c.id}/authorizations`;
  const before = await tables();
  assertError(
    await api('POST', path, { as: 'skyline-viewer', body: { capabilities: ['order'] } }),
    403,
    'forbidden_role',
  );
  assertError(
    await api('POST', `/v1/customers/${demo.customers.referral}/authorizations`, {
      as: 'skyline-operator',
      body: { capabilities: ['order'] },
    }),
    422,
    'customer_not_reseller_mode',
  );
  assertError(
    await api('POST', `/v1/customers/${demo.customers.foreign}/authorizations`, {
      as: 'skyline-operator',
      body: { capabilities: ['order'] },
    }),
    404,
    'not_found',
  );
  assertError(
    await api('POST', path, {
      as: 'skyline-operator',
      body: { capabilities: [], valid_days: 0, commitment: 'yes', why: 'x' },
    }),
    400,
    'validation_failed',
    [['capabilities'], ['valid_days'], ['commitment'], ['why']],
  );
  assertError(
    await api('POST', path, { as: 'skyline-operator', body: { capabilities: ['order'], valid_days: 366 } }),
    400,
    'validation_failed',
    [['valid_days']],
  );
  assert.deepEqual(await tables(), before, 'refused requests write nothing');

  // Three concurrent requests: exactly one becomes the pending request.
  const racers = await Promise.all(
    [1, 2, 3].map(() => api('POST', path, { as: 'skyline-operator', body: { capabilities: ['order'] } })),
  );
  assert.deepEqual(racers.map((r) => r.status).sort(), [201, 409, 409], racers.map((r) => r.text).join('\n'));
  const first = racers.find((r) => r.status === 201);
  assert.equal(first.body.valid_days, 180, 'default validity');
  const after = await tables();
  assert.equal(after.authorizations, before.authorizations + 1);
  assert.equal(after.outbox, before.outbox + 2, 'an email with the link and an SMS with the code');
  assert.equal(after.audit_events, before.audit_events + 1);
  assertError(
    await api('POST', path, { as: 'skyline-admin', body: { capabilities: ['om'] } }),
    409,
    'authorization_request_pending',
  );

  assertError(
    await api('POST', `/v1/authorizations/${first.body.id}/withdraw`, { as: 'harbor-operator' }),
    404,
    'not_found',
  );
  assertError(
    await api('POST', `/v1/authorizations/${first.body.id}/withdraw`, { as: 'skyline-viewer' }),
    403,
    'forbidden_role',
  );
  const w = await api('POST', `/v1/authorizations/${first.body.id}/withdraw`, {
    as: 'skyline-admin',
    body: { reason: 'sent by mistake' },
  });
  assert.equal(w.status, 200, w.text);
  assert.equal(w.body.state, 'withdrawn');
  assertError(
    await api('POST', `/v1/authorizations/${first.body.id}/withdraw`, { as: 'skyline-admin' }),
    409,
    'authorization_not_pending',
  );

  // A withdrawn request's link no longer decides anything.
  const { token, code } = await latestConsent(c.id);
  assertError(await api('POST', `/v1/consent/${token}/approve`, { body: { code } }), 409, 'consent_already_decided');

  const list = await api('GET', path, { as: 'skyline-viewer' });
  assert.equal(list.status, 200);
  assert.deepEqual(
    list.body.authorizations.map((a) => a.state),
    ['withdrawn'],
  );
});

test('consent link: wrong codes lock, a new code unlocks, narrowing and rejecting', async () => {
  const c = await healthyCustomer('skyline-operator', R, 3);
  const req = await api('POST', `/v1/customers/${c.id}/authorizations`, {
    as: 'skyline-operator',
    body: { capabilities: ['order', 'om'], valid_days: 7 },
  });
  assert.equal(req.status, 201, req.text);
  const { token, code } = await latestConsent(c.id);
  const wrong = code === '111111' ? '222222' : '111111';
  for (let left = 4; left >= 1; left -= 1) {
    const r = await api('POST', `/v1/consent/${token}/approve`, { body: { code: wrong } });
    assertError(r, 422, 'verification_code_invalid');
    assert.equal(r.body.error.data.attempts_left, left);
  }
  assertError(
    await api('POST', `/v1/consent/${token}/approve`, { body: { code: wrong } }),
    429,
    'verification_code_locked',
  );
  assertError(
    await api('POST', `/v1/consent/${token}/approve`, { body: { code } }),
    429,
    'verification_code_locked',
    [],
  );
  // Resending is allowed a minute after the previous code; the seeded request's code is older than
  // that only in the demo, so here the limit answers.
  assertError(await api('POST', `/v1/consent/${token}/code`, {}), 429, 'rate_limited');
  // Bad approve bodies are validated with paths.
  assertError(
    await api('POST', `/v1/consent/${token}/approve`, { body: { code: '12', capabilities: ['order', 'fly'] } }),
    400,
    'validation_failed',
    [['code'], ['capabilities', 1]],
  );

  // Unknown and malformed tokens are 404; unknown actions too.
  assertError(await api('GET', `/v1/consent/ct_${'0'.repeat(64)}`), 404, 'not_found');
  assertError(await api('GET', '/v1/consent/garbage'), 404, 'not_found');
  assertError(await api('POST', `/v1/consent/${token}/accept`, {}), 404, 'route_not_found');

  // The customer rejects with a reason; the partner's report then says so.
  const rej = await api('POST', `/v1/consent/${token}/reject`, { body: { reason: 'not now' } });
  assert.equal(rej.status, 200, rej.text);
  assert.equal(rej.body.state, 'rejected');
  const report = await api('GET', `/v1/customers/${c.id}/prerequisites`, { as: 'skyline-operator' });
  assert.ok(report.body.blocking.includes('authorization_rejected'));
});

test('the demo consent link approves with narrowed capabilities', async () => {
  const demoConsent = demo.consent[0];
  const view = await api('GET', `/v1/consent/${demoConsent.token}`);
  assert.equal(view.status, 200, view.text);
  assert.deepEqual(view.body.authorization.capabilities, ['order', 'om']);
  assertError(
    await api('POST', `/v1/consent/${demoConsent.token}/approve`, {
      body: { code: demoConsent.code, capabilities: ['om', 'om'] },
    }),
    400,
    'validation_failed',
    [['capabilities']],
  );
  const ok = await api('POST', `/v1/consent/${demoConsent.token}/approve`, {
    body: { code: demoConsent.code, capabilities: ['order'] },
  });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.body.capabilities, ['order']);
  const report = await api('GET', `/v1/customers/${demoConsent.customer_id}/prerequisites`, { as: 'skyline-operator' });
  assert.equal(report.body.can_order, true, JSON.stringify(report.body.blocking));
});

test('the customer sees what partners did on its account through its consent link', async () => {
  const c = await healthyCustomer('skyline-operator', R, 3);
  const req = await api('POST', `/v1/customers/${c.id}/authorizations`, {
    as: 'skyline-operator',
    body: { capabilities: ['order'] },
  });
  assert.equal(req.status, 201, req.text);
  const { token } = await latestConsent(c.id);
  const r = await api('GET', `/v1/consent/${token}/events`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.customer_id, c.id);
  assert.ok(r.body.events.some((e) => e.action === 'authorization.requested' && e.customer_id === c.id));
  assert.ok(
    r.body.events.every((e) => e.customer_id === c.id),
    "only this customer's events",
  );
  assertError(await api('GET', `/v1/consent/ct_${'0'.repeat(64)}/events`), 404, 'not_found');
});

test('the partner resends a pending request: a new link and code, the old ones stop working, the limits hold', async () => {
  const c = await healthyCustomer('skyline-operator', R, 20);
  const req = await api('POST', `/v1/customers/${c.id}/authorizations`, {
    as: 'skyline-operator',
    body: { capabilities: ['order', 'om'], valid_days: 90, commitment: true },
  });
  assert.equal(req.status, 201, req.text);
  const requested = await sql(
    `SELECT detail FROM audit_events WHERE action = 'authorization.requested' AND target_id = '${req.body.id}'`,
  );
  assert.equal(JSON.parse(requested[0].detail).commitment_confirmed, true, 'the commitment is on record');
  const first = await latestConsent(c.id);
  const resend = `/v1/authorizations/${req.body.id}/resend`;
  // Within a minute of the first code: refused, nothing sent.
  const sent = (await outbox(c.id)).length;
  const early = await api('POST', resend, { as: 'skyline-operator' });
  assertError(early, 429, 'rate_limited');
  assert.ok(Number(early.headers.get('retry-after')) > 0);
  assert.equal((await outbox(c.id)).length, sent, 'a refused resend sends nothing');
  // Who may: not a viewer, not another partner (it cannot see the request at all); no fields.
  assertError(await api('POST', resend, { as: 'skyline-viewer' }), 403, 'forbidden_role');
  assertError(await api('POST', resend, { as: 'northwind-admin' }), 404, 'not_found');
  assertError(await api('POST', resend, { as: 'skyline-operator', body: { x: 1 } }), 400, 'validation_failed', [['x']]);

  // A minute later (the code's clock moved back), two resends at once: one sends, one is refused.
  await sql(`UPDATE authorizations SET code_expires_at = '2000-01-01T00:00:00Z' WHERE id = '${req.body.id}'`);
  const both = await Promise.all([1, 2].map(() => api('POST', resend, { as: 'skyline-operator' })));
  assert.deepEqual(both.map((r) => r.status).sort(), [202, 429], both.map((r) => r.text).join(' | '));
  const ok = both.find((r) => r.status === 202);
  assert.equal(ok.body.code.codes_left, 3);
  assert.equal((await outbox(c.id)).length, sent + 2, 'one email and one SMS more');
  const second = await latestConsent(c.id);
  assert.notEqual(second.token, first.token);
  // The old link is gone; the new one opens the same pending request and approves with the new code.
  assertError(await api('GET', `/v1/consent/${first.token}`), 404, 'not_found');
  const shown = await api('GET', `/v1/consent/${second.token}`);
  assert.equal(shown.status, 200, shown.text);
  assert.equal(shown.body.authorization.id, req.body.id);
  const audit = await sql(
    `SELECT count(*) AS n FROM audit_events WHERE action = 'authorization.resent' AND target_id = '${req.body.id}'`,
  );
  assert.equal(audit[0].n, 1, 'audited once');
  const approved = await api('POST', `/v1/consent/${second.token}/approve`, { body: { code: second.code } });
  assert.equal(approved.status, 200, approved.text);
  // Decided: nothing left to resend.
  assertError(await api('POST', resend, { as: 'skyline-operator' }), 409, 'authorization_not_pending');
});
