// The customer directory from Huawei Cloud (UPSTREAM=huawei, the emulator's BSS partner APIs): a
// first sync fills Customer Management, a re-run changes nothing, a sync with changes adds, changes
// and marks, a sync interrupted by faults (5xx, 429, short pages) resumes with nothing duplicated or
// lost; budgets and freezes go to Huawei first, and the check reacts at once.

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { api, assertError, sql } from './helpers.mjs';

const EMU = process.env.ONBEHALF_EMULATOR;
const DOMAIN = 'southgate-hw';
const AS = 'southgate-admin';
const N = 2500;
const key = { ak: `SG${randomBytes(8).toString('hex').toUpperCase()}`, sk: randomBytes(20).toString('base64') };
const cid = (i) => createHash('md5').update(`sub/${DOMAIN}/${i}`).digest('hex');

async function emu(method, path, body) {
  const r = await fetch(EMU + path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  return r.json();
}

/** Starts a sync and waits for its end; the finished run. */
async function synced(seconds = 120) {
  const r = await api('POST', '/v1/customers/sync', { as: AS, body: {} });
  assert.equal(r.status, 202, r.text);
  const id = r.body.sync.id;
  const until = Date.now() + seconds * 1000;
  for (;;) {
    const s = await api('GET', '/v1/customers/sync', { as: AS });
    assert.equal(s.status, 200, s.text);
    const run = s.body.recent.find((x) => x.id === id);
    if (run && run.state !== 'running') return run;
    if (Date.now() > until) assert.fail(`sync ${id} still running after ${seconds} s: ${JSON.stringify(run)}`);
    await new Promise((ok) => setTimeout(ok, 300));
  }
}

const partnerId = async () => (await api('GET', '/v1/me', { as: AS })).body.partner.id;

async function stored(partner) {
  const rows = await sql(
    `SELECT count(*) AS n, count(DISTINCT id) AS d, sum(gone_at IS NULL) AS live FROM customers WHERE partner_id = '${partner}'`,
  );
  return rows[0];
}

test('setup: the partner key and a directory of 2,500 customers in Huawei', async () => {
  const reg = await emu('POST', '/_emulator/partners', { ...key, domain_name: DOMAIN });
  assert.ok(reg.domain_id, JSON.stringify(reg));
  const set = await api('PUT', '/v1/huawei-key', {
    as: AS,
    body: { access_key_id: key.ak, secret_access_key: key.sk },
  });
  assert.equal(set.status, 200, set.text);
  assert.equal((await emu('POST', '/_emulator/directory', { partner: DOMAIN, count: N })).count, N);
});

test('only an admin syncs; a first sync fills Customer Management and marks what Huawei does not list', async () => {
  assertError(await api('POST', '/v1/customers/sync', { as: 'northwind-operator', body: {} }), 403, 'forbidden_role');
  const partner = await partnerId();
  const before = await stored(partner);
  const run = await synced();
  assert.equal(run.state, 'done', JSON.stringify(run));
  assert.equal(run.counts.added, N, JSON.stringify(run));
  assert.equal(run.counts.marked, Number(before.live), 'the seeded customers Huawei does not list are marked');
  assert.equal(run.total, N);
  assert.equal(run.pages, N / 100);
  assert.ok(run.calls >= 2 * (N / 100) - 1, `${run.calls} calls`);
  const after = await stored(partner);
  assert.equal(Number(after.n), N + Number(before.n), 'nothing deleted');
  assert.equal(Number(after.d), Number(after.n));
  assert.equal(Number(after.live), N);
  // Customer 7 as Huawei lists it: resold, budget in minor units, the manager, the association time.
  const c = await api('GET', `/v1/customers/${cid(7)}`, { as: AS });
  assert.equal(c.status, 200, c.text);
  assert.equal(c.body.association.type, '3');
  assert.equal(c.body.association.partner_id, partner);
  assert.equal(c.body.budget.amount.minor, (1000 + 7 * 250) * 100);
  assert.equal(c.body.budget.used.minor, ((7 * 131) % (1000 + 7 * 250)) * 100 + 25);
  assert.equal(c.body.budget.type, 'monthly');
  assert.equal(c.body.account_manager, 'Maria Costa');
  // Customer 4 is a referral: no budget from Huawei; 5 is frozen in Huawei.
  assert.equal((await api('GET', `/v1/customers/${cid(4)}`, { as: AS })).body.budget, null);
  const frozen = await api('GET', `/v1/customers/${cid(5)}`, { as: AS });
  assert.equal(frozen.body.frozen.frozen, true, frozen.text);
});

test('a re-run changes nothing', async () => {
  const partner = await partnerId();
  const before = await sql(`SELECT count(*) AS n FROM audit_events`);
  const run = await synced();
  assert.deepEqual(
    [run.counts.added, run.counts.changed, run.counts.unchanged, run.counts.marked, run.counts.deferred],
    [0, 0, N, 0, 0],
    JSON.stringify(run),
  );
  const after = await stored(partner);
  assert.equal(Number(after.live), N);
  // Only the sync's own start is audited.
  const audited = await sql(`SELECT count(*) AS n FROM audit_events`);
  assert.equal(Number(audited[0].n) - Number(before[0].n), 1);
});

test('a sync with changes: added, changed, gone (marked, kept)', async () => {
  await emu('POST', '/_emulator/directory', {
    partner: DOMAIN,
    count: N + 5,
    remove: [3, 10],
    change: { 6: { account_name: 'renamed-6', customer: 'New Name' } },
  });
  const run = await synced();
  assert.deepEqual(
    [run.counts.added, run.counts.changed, run.counts.marked, run.counts.unchanged],
    [5, 1, 2, N - 3],
    JSON.stringify(run),
  );
  const gone = await sql(`SELECT id, gone_at FROM customers WHERE id IN ('${cid(3)}', '${cid(10)}')`);
  assert.equal(gone.length, 2, 'marked, not deleted');
  assert.ok(gone.every((g) => g.gone_at));
  // A customer no longer listed is shown marked and is not served on behalf.
  const marked = await api('GET', `/v1/customers/${cid(3)}`, { as: AS });
  assert.ok(marked.body.gone_since, marked.text);
  const check = await api('GET', `/v1/customers/${cid(3)}/prerequisites`, { as: AS });
  assert.ok(check.body.blocking.includes('customer_not_associated'), check.text);
  const renamed = await sql(`SELECT account_name, real_name FROM customers WHERE id = '${cid(6)}'`);
  assert.deepEqual(renamed[0], { account_name: 'renamed-6', real_name: 'New Name' });
});

test('a sync interrupted by 5xx, 429 and short pages resumes: nothing duplicated or lost; a gone customer comes back', async () => {
  const partner = await partnerId();
  await emu('POST', '/_emulator/directory', { partner: DOMAIN, count: N + 40, restore: [10] });
  await emu('DELETE', '/_emulator/requests');
  await emu('POST', '/_emulator/faults', [
    { path: 'sub-customers/query$', status: 503, times: 2, headers: { 'Retry-After': '1' } },
    {
      path: 'sub-customers/query$',
      status: 429,
      times: 1,
      headers: { 'Retry-After': '1' },
      body: { error_code: 'CBC.0429', error_msg: 'Too many requests.' },
    },
    { path: 'sub-customers/budget/query$', status: 500, times: 1, headers: { 'Retry-After': '1' } },
    { path: 'sub-customers/query', when: 'partial', keep: 37, times: 3 },
  ]);
  const run = await synced(180);
  await emu('DELETE', '/_emulator/faults');
  assert.equal(run.state, 'done', JSON.stringify(run));
  assert.equal(run.counts.added, 35, JSON.stringify(run));
  assert.equal(run.counts.marked, 0, JSON.stringify(run));
  assert.equal(run.counts.added + run.counts.changed + run.counts.unchanged, N + 39);
  assert.ok(run.failures === 0 && run.last_error === null, 'the faults were overcome');
  const asked = (await emu('GET', '/_emulator/requests')).requests.filter((r) => r.path.endsWith('/query'));
  assert.ok(
    asked.some((r) => r.status === 503) && asked.some((r) => r.status === 429) && asked.some((r) => r.status === 500),
  );
  const after = await stored(partner);
  assert.equal(Number(after.d), Number(after.n), 'no duplicate rows');
  assert.equal(Number(after.live), N + 39, 'every listed customer is there, none lost');
  const back = await sql(`SELECT gone_at FROM customers WHERE id = '${cid(10)}'`);
  assert.equal(back[0].gone_at, null, 'listed again: no longer marked');
});

test('budget and freeze go to Huawei first; the check reacts at once; Huawei refusals are reported', async () => {
  const id = cid(9); // resold, not frozen
  const budget = { type: 'monthly', amount: { minor: 987_650, currency: 'USD' }, auto_freeze: true };
  const set = await api('PUT', `/v1/customers/${id}/budget`, { as: AS, body: budget });
  assert.equal(set.status, 200, set.text);
  assert.equal(set.body.budget.amount.minor, 987_650);
  const hw = await emu('GET', '/_emulator/directory');
  assert.equal(hw[DOMAIN].budgets[id].budget_amount, 9876.5);
  // Shown from Huawei, with Huawei's record of the change.
  const shown = await api('GET', `/v1/customers/${id}/budget`, { as: AS });
  assert.equal(shown.status, 200, shown.text);
  assert.equal(shown.body.source, 'huawei');
  assert.equal(shown.body.budget.amount.minor, 987_650);
  assert.deepEqual(
    [shown.body.history[0].operation, shown.body.history[0].amount.minor, shown.body.history[0].type],
    ['SETTING', 987_650, 'monthly'],
  );
  const fr = await api('POST', '/v1/customers/freeze', {
    as: AS,
    body: { customer_ids: [id], reason: 'Overdue invoice' },
  });
  assert.equal(fr.status, 200, fr.text);
  assert.equal(fr.body.results[0].outcome, 'changed');
  assert.equal((await emu('GET', '/_emulator/directory'))[DOMAIN].frozen[id], true);
  const check = await api('GET', `/v1/customers/${id}/prerequisites`, { as: AS });
  assert.ok(JSON.stringify(check.body).includes('customer_frozen'), check.text);
  // A customer Huawei does not list for this partner: refused by Huawei, unchanged here.
  const goneOne = cid(3);
  const mixed = await api('POST', '/v1/customers/unfreeze', {
    as: AS,
    body: { customer_ids: [id], reason: 'Paid' },
  });
  assert.equal(mixed.body.results[0].outcome, 'changed', mixed.text);
  assert.equal((await emu('GET', '/_emulator/directory'))[DOMAIN].frozen[id], false);
  const refused = await api('POST', '/v1/customers/freeze', {
    as: AS,
    body: { customer_ids: [goneOne], reason: 'Overdue invoice' },
  });
  assert.equal(refused.status, 200, refused.text);
  assert.equal(refused.body.results[0].outcome, 'refused');
  assert.match(refused.body.results[0].reason, /CBC\.99003651/);
  const row = await sql(`SELECT frozen FROM customers WHERE id = '${goneOne}'`);
  assert.equal(row[0].frozen, 0);
});
