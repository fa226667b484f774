// Orders per second through the real worker (wrangler dev + local D1): pay-per-use orders with
// distinct Idempotency-Keys, the same order with one key repeated, and a trivial one-row D1 insert
// route in the same run as the baseline. Counts duplicates afterwards.
// Usage: node scripts/bench-orders.mjs [requests=300] [concurrency=8]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, startWorker } from './lib/worker.mjs';

const n = Number(process.argv[2] ?? 300);
const conc = Number(process.argv[3] ?? 8);
const w = await startWorker({ name: 'bench-orders' });
try {
  const demo = JSON.parse(readFileSync(w.demoPath, 'utf8'));
  const keyOf = (h) => demo.users.find((u) => u.handle === h).api_key;
  const C = demo.customers.ready;
  const draft = JSON.parse(readFileSync(join(root, 'tests/fixtures/drafts.json'), 'utf8')).fixtures.find(
    (f) => f.name === 'evs-pay-per-use',
  ).draft;
  const s = await (
    await fetch(`${w.base}/v1/customers/${C}/sessions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${keyOf('skyline-operator')}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ minutes: 60 }),
    })
  ).json();
  const order = (key) =>
    fetch(`${w.base}/v1/orders`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${s.token}`, 'Content-Type': 'application/json', 'Idempotency-Key': key },
      body: JSON.stringify({ draft }),
    });
  const ping = () => fetch(`${w.base}/v1/dev/ping`, { method: 'POST' });
  const tables = async () => (await (await fetch(`${w.base}/v1/dev/tables`)).json()).tables;

  /** Runs `n` calls of `call(i)` with `conc` in flight; returns requests per second and status counts. */
  async function load(call) {
    let next = 0;
    const statuses = {};
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: conc }, async () => {
        while (next < n) {
          const i = next++;
          const r = await call(i);
          await r.arrayBuffer();
          statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        }
      }),
    );
    return { rps: n / ((performance.now() - t0) / 1000), statuses };
  }

  for (let i = 0; i < 20; i += 1) {
    await (await ping()).arrayBuffer();
    await (await order(`warm-${i}`)).arrayBuffer();
  }
  const before = await tables();
  const base = await load(() => ping());
  const distinct = await load((i) => order(`distinct-${i}`));
  const mid = await tables();
  const repeated = await load(() => order('one-key'));
  const after = await tables();
  const newDistinct = mid.resources - before.resources;
  const newRepeated = after.resources - mid.resources;
  console.log(
    `\nOrdering through the worker (wrangler dev + local D1), ${n} requests, ${conc} in flight, pay-per-use EVS:`,
  );
  console.log('| route | requests/s | vs trivial insert | statuses | rows written |');
  console.log('|---|---|---|---|---|');
  console.log(
    `| POST /v1/dev/ping (one-row insert) | ${base.rps.toFixed(0)} | 1.00x | ${JSON.stringify(base.statuses)} | ${after.dev_pings ?? ''} |`,
  );
  console.log(
    `| POST /v1/orders, distinct keys | ${distinct.rps.toFixed(0)} | ${(distinct.rps / base.rps).toFixed(2)}x | ${JSON.stringify(distinct.statuses)} | ${newDistinct} resources (want ${n}) |`,
  );
  console.log(
    `| POST /v1/orders, one key repeated | ${repeated.rps.toFixed(0)} | ${(repeated.rps / base.rps).toFixed(2)}x | ${JSON.stringify(repeated.statuses)} | ${newRepeated} resources (want 1) |`,
  );
  const dupes = newDistinct - n + (newRepeated - 1);
  console.log(`duplicates: ${dupes}`);
  if (dupes !== 0) process.exitCode = 1;
} finally {
  await w.stop();
}
