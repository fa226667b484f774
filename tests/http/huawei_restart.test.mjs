// A worker restart while an order is in doubt: the order was sent to Huawei Cloud, no answer came,
// and the worker (with the queue message that would have followed it up) goes away. The next worker's
// Cron Trigger sweep finds the order in D1, sends the same request with the same X-Client-Token, and
// records what Huawei did: one volume, on record, the placement succeeded. This test runs its own
// emulator and its own worker (stopped and started again on the same local D1).

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { startEmulator } from '../../scripts/lib/emulator.mjs';
import { startWorker } from '../../scripts/lib/worker.mjs';

const name = `restart-${process.pid}`;
let emu;
let worker;
after(async () => {
  await worker?.stop();
  emu?.stop();
});

test('a worker restarted while an order is in doubt: the sweep resolves it, one volume upstream', async () => {
  emu = await startEmulator({ jobSeconds: 1 });
  // The deployment's secrets outlive its workers: the restarted one opens what the first sealed, and
  // the session token it issued still verifies.
  const secret = () => randomBytes(32).toString('hex');
  const vars = { ...emu.vars, VAULT_KEY: secret(), SESSION_SECRET: secret() };
  worker = await startWorker({ name, vars });
  const demo = JSON.parse(readFileSync(worker.demoPath, 'utf8'));
  const key = (h) => demo.users.find((u) => u.handle === h).api_key;
  const call = async (base, method, path, token, body, headers = {}) => {
    const r = await fetch(base + path, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, body: await r.json().catch(() => null) };
  };
  const control = (path, body) => fetch(emu.base + path, { method: 'POST', body: JSON.stringify(body) });
  const C = demo.customers.ready;
  const k = { ak: `RS${randomBytes(9).toString('hex').toUpperCase()}`, sk: randomBytes(20).toString('hex') };
  await control('/_emulator/partners', { ...k, domain_name: 'skyline-restart' });
  await control('/_emulator/customers', {
    domain_name: 'cust-restart',
    agencies: [{ name: 'onbehalf-skyline', trusts: 'skyline-restart' }],
  });
  let base = worker.base;
  const setKey = await call(base, 'PUT', '/v1/huawei-key', key('skyline-admin'), {
    access_key_id: k.ak,
    secret_access_key: k.sk,
  });
  assert.equal(setKey.status, 200);
  const account = { domain_name: 'cust-restart', agency_name: 'onbehalf-skyline' };
  assert.equal(
    (await call(base, 'PUT', `/v1/customers/${C}/huawei-account`, key('skyline-operator'), account)).status,
    200,
  );
  const s = await call(base, 'POST', `/v1/customers/${C}/sessions`, key('skyline-operator'), {});
  assert.equal(s.status, 201);
  const fixtures = JSON.parse(readFileSync('tests/fixtures/drafts.json', 'utf8')).fixtures;
  const draft = fixtures.find((f) => f.name === 'evs-pay-per-use').draft;
  const volumes = async () =>
    (await (await fetch(`${emu.base}/_emulator/state`)).json()).resources.filter((r) => r.kind === 'volume');

  // Huawei accepts, then stays silent longer than the worker waits: in doubt.
  await control('/_emulator/faults', { when: 'after', path: 'cloudvolumes', hang_s: 4 });
  const placed = await call(base, 'POST', '/v1/orders', s.body.token, { draft }, { 'Idempotency-Key': 'restart-1' });
  assert.equal(placed.status, 202, JSON.stringify(placed.body));
  assert.equal(placed.body.tracking.state, 'in_doubt');
  // The worker goes away before its queue looks again (its message goes with it).
  await worker.stop(true);
  assert.equal((await volumes()).length, 1, 'Huawei did create it');

  worker = await startWorker({ name, vars, reuse: true });
  base = worker.base;
  const before = await call(base, 'GET', `/v1/placements/${placed.body.tracking.id}`, key('skyline-operator'));
  assert.equal(before.body.state, 'in_doubt', 'still in doubt after the restart: nothing was lost');
  // The Cron Trigger (every minute in production; on request under wrangler dev) sweeps what is due.
  const until = Date.now() + 30_000;
  let now = before.body;
  while (now.state === 'in_doubt' || now.state === 'running') {
    assert.ok(Date.now() < until, `still ${now.state}`);
    await fetch(`${base}/__scheduled?cron=*+*+*+*+*`);
    await new Promise((ok) => setTimeout(ok, 1000));
    now = (await call(base, 'GET', `/v1/placements/${placed.body.tracking.id}`, key('skyline-operator'))).body;
  }
  assert.equal(now.state, 'succeeded', JSON.stringify(now));
  const made = await volumes();
  assert.equal(made.length, 1, 'sent again with the same X-Client-Token: still one volume');
  const listed = await call(base, 'GET', `/v1/customers/${C}/resources?billing=pay_per_use`, key('skyline-operator'));
  assert.ok(
    listed.body.resources.some((r) => r.resource_id === made[0].id),
    'and it is on record',
  );
  // The Idempotency-Key still answers with the first answer (202, in doubt at the time).
  const replay = await call(base, 'POST', '/v1/orders', s.body.token, { draft }, { 'Idempotency-Key': 'restart-1' });
  assert.equal(replay.status, 202);
  assert.equal(replay.body.tracking.id, placed.body.tracking.id);
});
