// Masking: no endpoint returns a clear name, account, mobile or email without an audited reveal.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, assertError, demo, latestConsent } from './helpers.mjs';

const details = demo.customer_details;
const clearValues = Object.values(details).flatMap((d) => [d.real_name, d.account_name, d.mobile, d.email]);

function assertNoClear(label, text) {
  for (const v of clearValues) assert.ok(!text.includes(v), `${label} leaks ${v}`);
}

test('the masking walk: every endpoint that carries customer data returns masked values only', async () => {
  const C = demo.customers.ready;
  const J = demo.customers.journey;
  // A request, so that authorization lists, audit and consent views have content.
  const req = await api('POST', `/v1/customers/${J}/authorizations`, {
    as: 'skyline-admin',
    body: { capabilities: ['om'] },
  });
  assert.equal(req.status, 201, req.text);
  const { token } = await latestConsent(J);
  const walk = [
    ['GET', `/v1/customers/${C}`, 'skyline-operator'],
    ['GET', '/v1/customers?limit=100', 'skyline-operator'],
    ['GET', '/v1/customers?limit=100', 'northwind-viewer'],
    ['GET', `/v1/customers?customer_name=acme&mobile=${details[C].mobile}`, 'skyline-operator'],
    ['GET', `/v1/customers/${C}/prerequisites?include=input`, 'skyline-operator'],
    ['GET', `/v1/customers/${J}/authorizations`, 'skyline-operator'],
    ['GET', '/v1/distributor-permissions', 'northwind-admin'],
    ['GET', `/v1/audit?limit=500`, 'skyline-admin'],
    ['GET', `/v1/consent/${token}`, undefined],
    ['GET', `/v1/consent/${token}/events`, undefined],
    ['GET', `/v1/orders?customer_id=${C}`, 'skyline-operator'],
    ['GET', `/v1/customers/${C}/resources`, 'skyline-operator'],
    ['GET', `/v1/customers/${demo.customers.foreign}`, 'skyline-operator'],
    ['GET', `/v1/customers?mobile=${details[C].mobile}&colour=1`, 'skyline-operator'],
  ];
  for (const [method, path, as] of walk) {
    const r = await api(method, path, { as });
    assert.ok(r.status < 500, `${path}: ${r.status}`);
    assertNoClear(path, r.text);
  }
});

test('reveal: a reason, a role that may, one audit event per customer, and a rate limit', async () => {
  const C = demo.customers.ready;
  const d = details[C];
  assertError(
    await api('POST', `/v1/customers/${C}/reveal`, {
      as: 'skyline-viewer',
      body: { fields: ['mobile'], reason: 'customer called' },
    }),
    403,
    'forbidden_role',
  );
  // Visibility before role: someone else's customer is 404 even for a role that may not reveal.
  assertError(
    await api('POST', `/v1/customers/${demo.customers.foreign}/reveal`, {
      as: 'skyline-viewer',
      body: { fields: ['mobile'], reason: 'customer called' },
    }),
    404,
    'not_found',
  );
  assertError(
    await api('POST', `/v1/customers/${C}/reveal`, { as: 'skyline-operator', body: { fields: ['mobile'] } }),
    400,
    'validation_failed',
    [['reason']],
  );
  assertError(
    await api('POST', `/v1/customers/${C}/reveal`, {
      as: 'skyline-operator',
      body: { fields: ['mobile'], reason: 'no' },
    }),
    400,
    'validation_failed',
    [['reason']],
  );
  assertError(
    await api('POST', `/v1/customers/${C}/reveal`, {
      as: 'skyline-operator',
      body: { fields: ['ssn'], reason: 'customer called' },
    }),
    400,
    'validation_failed',
    [['fields', 0]],
  );
  assertError(
    await api('POST', `/v1/customers/${demo.customers.foreign}/reveal`, {
      as: 'skyline-operator',
      body: { fields: ['mobile'], reason: 'customer called' },
    }),
    404,
    'not_found',
  );

  const one = await api('POST', `/v1/customers/${C}/reveal`, {
    as: 'skyline-operator',
    body: { fields: ['mobile', 'real_name'], reason: 'customer called about an invoice' },
  });
  assert.equal(one.status, 200, one.text);
  assert.equal(one.body.mobile.number, d.mobile);
  assert.equal(one.body.real_name, d.real_name);
  assert.ok(!('email' in one.body), 'only the fields asked for');

  // A column reveal of a page: one audit event per customer, with the reason, without the values.
  const page = await api('GET', '/v1/customers?limit=5', { as: 'skyline-operator' });
  const ids = page.body.customers.map((c) => c.id);
  const col = await api('POST', '/v1/customers/reveal', {
    as: 'skyline-operator',
    body: { ids, fields: ['email'], reason: 'export for the mailing' },
  });
  assert.equal(col.status, 200, col.text);
  assert.deepEqual(
    col.body.customers.map((c) => c.id),
    ids,
  );
  assert.ok(col.body.customers.every((c) => c.email.includes('@') && !c.email.includes('***')));
  const audit = await api('GET', '/v1/audit?limit=100', { as: 'skyline-admin' });
  const reveals = audit.body.events.filter(
    (e) => e.action === 'customer.revealed' && e.request_id === col.headers.get('x-request-id'),
  );
  assert.deepEqual(reveals.map((e) => e.customer_id).sort(), [...ids].sort());
  assert.ok(reveals.every((e) => e.detail.reason === 'export for the mailing' && e.detail.fields.join() === 'email'));
  assertNoClear('audit', JSON.stringify(audit.body));
  // Someone else's customer in the list fails the whole column reveal.
  assertError(
    await api('POST', '/v1/customers/reveal', {
      as: 'skyline-operator',
      body: { ids: [...ids, demo.customers.foreign], fields: ['email'], reason: 'export for the mailing' },
    }),
    404,
    'not_found',
  );

  // 30 distinct customers a minute per user: revealing one of them again is free, a 31st is 429 with Retry-After.
  const many = (await api('GET', '/v1/customers?limit=31', { as: 'skyline-admin' })).body.customers.map((c) => c.id);
  const results = [];
  for (let i = 0; i < 30; i += 1) {
    results.push(
      (
        await api('POST', `/v1/customers/${many[i]}/reveal`, {
          as: 'skyline-admin',
          body: { fields: ['account_name'], reason: `check number ${i}` },
        })
      ).status,
    );
  }
  assert.deepEqual([...new Set(results)], [200]);
  assert.equal(
    (
      await api('POST', `/v1/customers/${many[0]}/reveal`, {
        as: 'skyline-admin',
        body: { fields: ['mobile'], reason: 'same customer again' },
      })
    ).status,
    200,
  );
  const limited = await api('POST', `/v1/customers/${many[30]}/reveal`, {
    as: 'skyline-admin',
    body: { fields: ['account_name'], reason: 'one too many' },
  });
  assertError(limited, 429, 'rate_limited');
  const retry = Number(limited.headers.get('retry-after'));
  assert.ok(retry >= 1 && retry <= 60, `Retry-After ${retry}`);
  assertError(
    await api('POST', '/v1/customers/reveal', {
      as: 'skyline-operator',
      body: { ids: many, fields: ['email'], reason: 'more than a minute allows' },
    }),
    400,
    'validation_failed',
    [['ids']],
  );
  // Other users are not affected.
  assert.equal(
    (
      await api('POST', `/v1/customers/${C}/reveal`, {
        as: 'skyline-operator',
        body: { fields: ['account_name'], reason: 'still allowed' },
      })
    ).status,
    200,
  );
});
