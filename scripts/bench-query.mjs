// Customer Management latency through the real worker (wrangler dev, local D1) at 10k and 100k
// customers: each filter alone, three typical combinations, and the unfiltered first page.
// Usage: node scripts/bench-query.mjs [sizes=10000,100000] [runs=40]
// BENCH_FROM=.state/bench-query.json prints the table of a run already made (its saved timings).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, startWorker } from './lib/worker.mjs';

const sizes = (process.argv[2] ?? '10000,100000').split(',').map(Number);
const runs = Number(process.argv[3] ?? 40);

const cases = (d) => [
  ['unfiltered first page', {}],
  ['1 auto-frozen', { auto_frozen: 'true' }],
  ['2 association type', { association_type: '1' }],
  ['3 association time', { associated_from: '2026-01-01T00:00:00Z', associated_to: '2026-03-31T23:59:59Z' }],
  ['4 customer name (CJK)', { customer_name: '科技' }],
  ['4 customer name (latin, 3+ chars)', { customer_name: 'robotics 12' }],
  ['5 account name', { account_name: 'cust0123' }],
  ['6 customer id', { customer_id: d.customers.ready }],
  ['7 account manager', { account_manager: 'garcia' }],
  ['8 month-to-date spend', { spend_min: '100000', spend_max: '150000' }],
  ['9 resource expiry', { expiry_to: new Date(Date.now() + 30 * 864e5).toISOString().replace(/\.\d+Z$/, 'Z') }],
  ['10 mobile', { mobile: d.customer_details[d.customers.ready].mobile }],
  ['11 budget usage', { budget_usage_min: '90' }],
  ['12 tag', { tag: 'gov' }],
  ['can order now', { can_order: 'true' }],
  [
    'combo: reseller-mode, not frozen, budget >= 75 %',
    { association_type: '3', frozen: 'false', budget_usage_min: '75' },
  ],
  ['combo: tag + name, by spend', { tag: 'vip', customer_name: 'trading', sort: 'mtd_spend', order: 'desc' }],
  [
    'combo: expiring soon, can order, by expiry',
    {
      can_order: 'true',
      expiry_to: new Date(Date.now() + 90 * 864e5).toISOString().replace(/\.\d+Z$/, 'Z'),
      sort: 'earliest_expiry',
    },
  ],
];

const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const results = process.env.BENCH_FROM ? JSON.parse(readFileSync(process.env.BENCH_FROM, 'utf8')) : {};
for (const n of process.env.BENCH_FROM ? [] : sizes) {
  // Each database is generated and loaded once (.state/bench-<n>), then served again by later runs.
  const w = await startWorker({ name: `bench-${n}`, customers: n, reuse: true, release: true, analyze: true });
  const creds = JSON.parse(readFileSync(w.demoPath, 'utf8'));
  const base = w.base;
  try {
    const key = creds.users.find((u) => u.handle === 'northwind-admin').api_key;
    const headers = { Authorization: `Bearer ${key}` };
    results[n] = [];
    // Warm the isolate (wasm compilation, the first D1 connection) before any case is timed.
    for (let i = 0; i < 20; i += 1) await (await fetch(`${base}/v1/customers?limit=20`, { headers })).arrayBuffer();
    const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : null;
    const picked = cases(creds).filter(([n]) => !only || only.test(n));
    const runsOf = [];
    for (const [name, params] of picked) {
      const url = `${base}/v1/customers?${new URLSearchParams({ limit: '20', ...params })}`;
      const first = await fetch(url, { headers });
      const body = await first.json();
      if (first.status !== 200) throw new Error(`${name}: ${first.status} ${JSON.stringify(body)}`);
      const total = body.total_exact === false ? `>${body.total}` : String(body.total);
      runsOf.push({ name, url, total, times: [] });
    }
    // Round robin: run i of every case, then run i + 1, so that a slow moment of this shared machine
    // falls on all cases alike and the ratios between them hold.
    for (let i = 0; i < runs; i += 1) {
      for (const c of runsOf) {
        const t0 = performance.now();
        const r = await fetch(c.url, { headers });
        await r.arrayBuffer();
        c.times.push(performance.now() - t0);
      }
    }
    for (const c of runsOf) {
      c.times.sort((a, b) => a - b);
      results[n].push({ name: c.name, total: c.total, median: pct(c.times, 0.5), p95: pct(c.times, 0.95) });
    }
  } finally {
    await w.stop(true);
  }
}

const fmt = (x) => x.toFixed(1);
const [small, large] = sizes;
// Issue 15's goals, as ratios within this run: at the larger size every case's median <= 1.5x and
// p95 <= 2x the exact customer-id lookup's, and its median grows <= 1.3x from the smaller size. The
// two sizes are measured minutes apart, by two workers, and this shared machine's speed drifts between
// them (every case, the exact-id lookup included, has come out 1.2-1.3x slower in the second phase of
// one run), so the growth is taken relative to the exact-id lookup's: (median / id at the larger size)
// over (median / id at the smaller). The raw growth is printed next to it.
const GOAL = { median: 1.5, p95: 2, growth: 1.3 };
const top = large ?? small;
const idOf = (n) => results[n].find((r) => r.name === '6 customer id');
const byId = idOf(top);
console.log(
  `\nCustomer Management through the worker (wrangler dev + local D1), distributor view, ${runs} runs each, ms` +
    ` (goals at ${top}: median <= ${GOAL.median}x and p95 <= ${GOAL.p95}x the exact-id lookup; median growth <= ${GOAL.growth}x):`,
);
console.log(
  `| query | rows @${small} | median @${small} | p95 @${small} |${large ? ` rows @${large} | median @${large} | p95 @${large} | median growth | growth vs id |` : ''} median / id | p95 / id | goal |`,
);
console.log(`|---|---|---|---|${large ? '---|---|---|---|---|' : ''}---|---|---|`);
let passed = 0;
results[small].forEach((a, i) => {
  const b = large ? results[large][i] : a;
  const raw = large ? b.median / a.median : 1;
  const growth = large ? b.median / byId.median / (a.median / idOf(small).median) : 1;
  const m = b.median / (byId?.median ?? Number.NaN);
  const q = b.p95 / (byId?.p95 ?? Number.NaN);
  const ok = m <= GOAL.median && q <= GOAL.p95 && growth <= GOAL.growth;
  passed += ok ? 1 : 0;
  const extra = large
    ? ` ${b.total} | ${fmt(b.median)} | ${fmt(b.p95)} | ${raw.toFixed(2)}x | ${growth.toFixed(2)}x |`
    : '';
  console.log(
    `| ${a.name} | ${a.total} | ${fmt(a.median)} | ${fmt(a.p95)} |${extra} ${m.toFixed(2)}x | ${q.toFixed(2)}x | ${ok ? 'pass' : 'FAIL'} |`,
  );
});
console.log(`${passed} of ${results[small].length} cases meet the goals.`);
if (!process.env.BENCH_FROM) writeFileSync(join(root, '.state', 'bench-query.json'), JSON.stringify(results, null, 1));
