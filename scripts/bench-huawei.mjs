// What ordering in Huawei Cloud costs, against the local emulator: the requests one order makes
// (IAM, lookups, create, polls), and the added latency of POST /v1/orders (and until the order is
// provisioned) compared with the simulated upstream, sequentially, in the same run. The emulator
// answers on loopback: what this measures is onbehalf's own work per call (signing, sealing, D1),
// not Huawei's network distance.
// Usage: node scripts/bench-huawei.mjs [orders=20]
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from './lib/emulator.mjs';
import { root, startWorker } from './lib/worker.mjs';

const n = Number(process.argv[2] ?? 20);
const draft = JSON.parse(readFileSync(join(root, 'tests/fixtures/drafts.json'), 'utf8')).fixtures.find(
  (f) => f.name === 'evs-pay-per-use',
).draft;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function run(w, emu) {
  const demo = JSON.parse(readFileSync(w.demoPath, 'utf8'));
  const keyOf = (h) => demo.users.find((u) => u.handle === h).api_key;
  const C = demo.customers.ready;
  const call = async (method, path, token, body, headers = {}) => {
    const r = await fetch(w.base + path, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, body: await r.json() };
  };
  if (emu) {
    const k = { ak: `BN${randomBytes(9).toString('hex').toUpperCase()}`, sk: randomBytes(20).toString('hex') };
    const post = (p, b) => fetch(emu.base + p, { method: 'POST', body: JSON.stringify(b) });
    await post('/_emulator/partners', { ...k, domain_name: 'skyline-bench' });
    await post('/_emulator/customers', {
      domain_name: 'cust-bench',
      agencies: [{ name: 'ob', trusts: 'skyline-bench' }],
    });
    await call('PUT', '/v1/huawei-key', keyOf('skyline-admin'), { access_key_id: k.ak, secret_access_key: k.sk });
    await call('PUT', `/v1/customers/${C}/huawei-account`, keyOf('skyline-operator'), {
      domain_name: 'cust-bench',
      agency_name: 'ob',
    });
  }
  const placed = [];
  const settled = [];
  let token;
  const requests = [];
  for (let i = 0; i < n; i++) {
    // Every fifth order in a new session: the first order of a session also assumes the agency.
    if (i % 5 === 0)
      token = (await call('POST', `/v1/customers/${C}/sessions`, keyOf('skyline-operator'), {})).body.token;
    if (emu) await fetch(`${emu.base}/_emulator/requests`, { method: 'DELETE' });
    const t0 = performance.now();
    const r = await call('POST', '/v1/orders', token, { draft }, { 'Idempotency-Key': `bench-${i}-${Date.now()}` });
    placed.push(performance.now() - t0);
    if (r.status !== 201 && r.status !== 202) throw new Error(`order ${i}: ${r.status} ${JSON.stringify(r.body)}`);
    if (r.body.tracking) {
      for (;;) {
        const t = await call('GET', `/v1/placements/${r.body.tracking.id}`, keyOf('skyline-operator'));
        if (t.body.state === 'succeeded' || t.body.state === 'failed') break;
        await new Promise((ok) => setTimeout(ok, 100));
      }
      settled.push(performance.now() - t0);
      const sent = (await (await fetch(`${emu.base}/_emulator/requests`)).json()).requests;
      const kinds = {};
      for (const q of sent) {
        const k = q.path.includes('securitytokens')
          ? 'iam.assume'
          : q.path.endsWith('/auth/projects')
            ? 'iam.projects'
            : q.path.includes('/ratings/')
              ? 'price'
              : q.path.includes('/jobs/')
                ? 'job.poll'
                : 'create';
        kinds[k] = (kinds[k] ?? 0) + 1;
      }
      requests.push({ first: i % 5 === 0, ...kinds });
    }
  }
  return { placed, settled, requests };
}

const sim = await startWorker({ name: 'bench-huawei-sim' });
let simulated;
try {
  simulated = await run(sim);
} finally {
  await sim.stop();
}
const emu = await startEmulator({ jobSeconds: 0 });
const hw = await startWorker({ name: 'bench-huawei', vars: emu.vars });
let huawei;
try {
  huawei = await run(hw, emu);
} finally {
  await hw.stop();
  emu.stop();
}
const ms = (x) => `${x.toFixed(1)} ms`;
const firsts = huawei.requests.filter((r) => r.first);
const rest = huawei.requests.filter((r) => !r.first);
const avg = (rs, k) => (rs.reduce((a, r) => a + (r[k] ?? 0), 0) / Math.max(rs.length, 1)).toFixed(1);
console.log(`POST /v1/orders (EVS pay-per-use), ${n} sequential orders, median:`);
console.log(`  simulated upstream      ${ms(median(simulated.placed))}`);
console.log(
  `  Huawei (emulator)       ${ms(median(huawei.placed))} (first order of a session ${ms(median(huawei.placed.filter((_, i) => i % 5 === 0)))})`,
);
console.log(
  `  until provisioned       ${ms(median(huawei.settled))} (the job itself takes 0 s in the emulator; the tracker's first look is after 2 s)`,
);
console.log('Requests to Huawei per order (mean):');
for (const [label, rs] of [
  ['first of a session', firsts],
  ['later in the session', rest],
])
  console.log(
    `  ${label.padEnd(22)} iam.assume ${avg(rs, 'iam.assume')}, iam.projects ${avg(rs, 'iam.projects')}, price ${avg(rs, 'price')}, create ${avg(rs, 'create')}, job polls ${avg(rs, 'job.poll')}`,
  );
