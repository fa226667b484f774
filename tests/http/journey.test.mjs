// The whole order-on-behalf prerequisite journey against the real worker and a real local D1.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, assertError, demo, latestConsent, user } from './helpers.mjs';

const C = demo.customers.journey;
const R = demo.partners.reseller;

async function blocking() {
  const r = await api('GET', `/v1/customers/${C}/prerequisites`, { as: 'skyline-operator' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.checks.length, 8, 'every check is reported');
  return r.body;
}

test('reseller journey: request, blocked without distributor permission, grant, approve, pass, revoke, fail', async () => {
  let report = await blocking();
  assert.equal(report.can_order, false);
  assert.deepEqual(report.blocking, ['distributor_permission_missing', 'authorization_missing']);
  const perm = report.checks.find((c) => c.check === 'distributor_permission');
  assert.equal(perm.status, 'fail');
  assert.match(perm.remedy, /distributor/i);

  // The reseller asks the customer for authorization.
  const req = await api('POST', `/v1/customers/${C}/authorizations`, {
    as: 'skyline-operator',
    body: { capabilities: ['order', 'om'], valid_days: 30 },
  });
  assert.equal(req.status, 201, req.text);
  assert.equal(req.body.state, 'pending');
  assert.equal(req.body.partner_id, R);
  assert.deepEqual(req.body.capabilities, ['order', 'om']);
  assert.ok(!JSON.stringify(req.body).includes('ct_'), 'the partner never sees the consent token');

  // Still blocked: the distributor has not granted order placement, and the customer has not answered.
  report = await blocking();
  assert.deepEqual(report.blocking, ['distributor_permission_missing', 'authorization_pending']);

  // The distributor grants order placement and O&M for this customer.
  const grant = await api('POST', '/v1/distributor-permissions', {
    as: 'northwind-admin',
    body: { reseller_id: R, customer_id: C, capabilities: ['order', 'om'] },
  });
  assert.equal(grant.status, 201, grant.text);
  assert.equal(grant.body.state, 'active');
  assert.equal(grant.body.scope, 'customer');
  report = await blocking();
  assert.deepEqual(report.blocking, ['authorization_pending']);

  // The customer opens the consent link (from the outbox email) and approves with the SMS code.
  const { token, code, sms } = await latestConsent(C);
  assert.match(sms.recipient, /^\+86\d{11}$/);
  const view = await api('GET', `/v1/consent/${token}`);
  assert.equal(view.status, 200, view.text);
  assert.equal(view.body.partner.name, 'Skyline Cloud');
  assert.equal(view.body.authorization.state, 'pending');
  assert.match(view.body.customer.mobile, /^\d{3}\*+\d{4}$/, 'the consent page masks the mobile too');

  const wrong = code === '000000' ? '000001' : '000000';
  const bad = await api('POST', `/v1/consent/${token}/approve`, { body: { code: wrong } });
  assertError(bad, 422, 'verification_code_invalid');
  assert.equal(bad.body.error.data.attempts_left, 4);

  const ok = await api('POST', `/v1/consent/${token}/approve`, { body: { code } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.state, 'active');
  assert.ok(ok.body.expires_at > ok.body.decided_at);

  // The link was one-time for the decision.
  assertError(await api('POST', `/v1/consent/${token}/approve`, { body: { code } }), 409, 'consent_already_decided');
  assertError(await api('POST', `/v1/consent/${token}/reject`, {}), 409, 'consent_already_decided');

  report = await blocking();
  assert.equal(report.can_order, true, JSON.stringify(report.blocking));
  assert.deepEqual(report.blocking, []);
  assert.equal(report.relied_on.distributor_permission, grant.body.id);
  assert.equal(report.relied_on.authorization, req.body.id);

  // The customer revokes: the very next check fails with its own code.
  assertError(await api('POST', `/v1/consent/${token}/revoke`, { body: {} }), 400, 'validation_failed', [['reason']]);
  const revoked = await api('POST', `/v1/consent/${token}/revoke`, { body: { reason: 'project finished' } });
  assert.equal(revoked.status, 200, revoked.text);
  assert.equal(revoked.body.state, 'revoked');
  report = await blocking();
  assert.deepEqual(report.blocking, ['authorization_revoked']);
  assertError(
    await api('POST', `/v1/consent/${token}/revoke`, { body: { reason: 'again please' } }),
    409,
    'authorization_not_active',
  );

  // Every step is in the audit trail, with who, customer and request id.
  const audit = await api('GET', `/v1/audit?customer_id=${C}`, { as: 'skyline-viewer' });
  assert.equal(audit.status, 200, audit.text);
  const actions = audit.body.events.map((e) => e.action).reverse();
  assert.deepEqual(actions, [
    'authorization.requested',
    'consent.code_failed',
    'authorization.approved',
    'authorization.revoked',
  ]);
  const requested = audit.body.events.find((e) => e.action === 'authorization.requested');
  assert.equal(requested.actor_user_id, user('skyline-operator').user_id);
  assert.equal(requested.actor_kind, 'partner_user');
  assert.match(requested.request_id, /^req_/);
  assert.equal(audit.body.events.find((e) => e.action === 'authorization.revoked').actor_kind, 'customer');
  const distAudit = await api('GET', `/v1/audit?customer_id=${C}`, { as: 'northwind-admin' });
  assert.deepEqual(
    distAudit.body.events.map((e) => e.action),
    ['permission.granted'],
  );
});

test('the report with include=input carries the exact input of the check', async () => {
  const r = await api('GET', `/v1/customers/${demo.customers.ready}/prerequisites?include=input`, {
    as: 'skyline-operator',
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.can_order, true);
  assert.equal(r.body.input.customer.id, demo.customers.ready);
  assert.equal(r.body.input.actor.partner_kind, 'reseller');
  assert.ok(r.body.input.distributor_permissions.length >= 1);
  assert.ok(!('account_name' in r.body.input.customer), 'the input holds no personal data');
});
