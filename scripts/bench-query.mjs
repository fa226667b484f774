// Customer Management latency through the real worker (wrangler dev, local D1) at 10k and 100k
// customers: each filter alone, three typical combinations, and the unfiltered first page.
// Usage: node scripts/bench-query.mjs [sizes=10000,100000] [runs=40]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
process.env.PATH = `${join(root, 'node_modules', '.bin')}:${process.env.PATH}`;
const sizes = (process.argv[2] ?? '10000,100000').split(',').map(Number);
const runs = Number(process.argv[3] ?? 40);
const state = join(root, '.state');
mkdirSync(state, { recursive: true });

function sh(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed`);
}

function freePort() {
  return new Promise((ok) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

// Loads a database of `n` generated customers once; later runs reuse it.
function database(n) {
  const dir = join(state, `bench-${n}`);
  const db = join(dir, 'd1');
  const creds = join(dir, 'demo.json');
  if (!existsSync(join(dir, 'loaded'))) {
    mkdirSync(dir, { recursive: true });
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    sh('wrangler', ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', db]);
    sh('cargo', [
      'run',
      '--quiet',
      '--release',
      '--bin',
      'onbehalf-seed',
      '--',
      '--now',
      now,
      '--customers',
      String(n),
      '--sql',
      join(dir, 'seed.sql'),
      '--credentials',
      creds,
    ]);
    const t0 = Date.now();
    sh('wrangler', ['d1', 'execute', 'DB', '--local', '--persist-to', db, '--file', join(dir, 'seed.sql')]);
    console.error(`loaded ${n} customers in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    // Statistics for the query planner, as `wrangler d1 execute --command` would run in production.
    sh('wrangler', ['d1', 'execute', 'DB', '--local', '--persist-to', db, '--command', 'PRAGMA optimize; ANALYZE;']);
    writeFileSync(join(dir, 'loaded'), '');
  }
  return { db, creds: JSON.parse(readFileSync(creds, 'utf8')) };
}

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
const results = {};
for (const n of sizes) {
  const { db, creds } = database(n);
  const port = await freePort();
  const server = spawn(
    'wrangler',
    [
      'dev',
      '--local',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--persist-to',
      db,
      '--show-interactive-dev-session=false',
      '--log-level',
      'error',
    ],
    { cwd: root, detached: true, stdio: 'ignore' },
  );
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; i < 240; i += 1) {
      try {
        if ((await fetch(`${base}/v1/health`)).ok) break;
      } catch {
        /* starting */
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const key = creds.users.find((u) => u.handle === 'northwind-admin').api_key;
    const headers = { Authorization: `Bearer ${key}` };
    results[n] = [];
    // Warm the isolate (wasm compilation, the first D1 connection) before any case is timed.
    for (let i = 0; i < 20; i += 1) await (await fetch(`${base}/v1/customers?limit=20`, { headers })).arrayBuffer();
    const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : null;
    for (const [name, params] of cases(creds).filter(([n]) => !only || only.test(n))) {
      const url = `${base}/v1/customers?${new URLSearchParams({ limit: '20', ...params })}`;
      const first = await fetch(url, { headers });
      const body = await first.json();
      if (first.status !== 200) throw new Error(`${name}: ${first.status} ${JSON.stringify(body)}`);
      const times = [];
      for (let i = 0; i < runs; i += 1) {
        const t0 = performance.now();
        const r = await fetch(url, { headers });
        await r.arrayBuffer();
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      results[n].push({ name, total: body.total, median: pct(times, 0.5), p95: pct(times, 0.95) });
    }
  } finally {
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
    await new Promise((r) => setTimeout(r, 3000));
  }
}

const fmt = (x) => x.toFixed(1);
const [small, large] = sizes;
console.log(
  `\nCustomer Management through the worker (wrangler dev + local D1), distributor view, ${runs} runs each, ms:`,
);
console.log(
  `| query | rows @${small} | median @${small} | p95 @${small} |${large ? ` rows @${large} | median @${large} | p95 @${large} | p95 growth | vs unfiltered @${large} |` : ''}`,
);
console.log(`|---|---|---|---|${large ? '---|---|---|---|---|' : ''}`);
const base0 = large ? results[large][0].p95 : results[small][0].p95;
results[small].forEach((a, i) => {
  const b = large ? results[large][i] : null;
  const extra = b
    ? ` ${b.total} | ${fmt(b.median)} | ${fmt(b.p95)} | ${(b.p95 / a.p95).toFixed(2)}x | ${(b.p95 / base0).toFixed(2)}x |`
    : '';
  console.log(`| ${a.name} | ${a.total} | ${fmt(a.median)} | ${fmt(a.p95)} |${extra}`);
});
writeFileSync(join(state, 'bench-query.json'), JSON.stringify(results, null, 1));
