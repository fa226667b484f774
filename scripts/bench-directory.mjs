// What syncing a partner's customer directory from Huawei Cloud costs, against the local emulator:
// wall time, upstream requests and queue steps per 1,000 customers for a first sync of 10k and of
// 100k customers, and for a re-run of 10k that changes nothing. Each step (one queue invocation)
// reads at most 10 pages of 100: 20 requests to Huawei and 31 D1 calls, whatever the size.
// Usage: node scripts/bench-directory.mjs [sizes=10000,100000]
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startEmulator } from './lib/emulator.mjs';
import { startWorker } from './lib/worker.mjs';

const sizes = (process.argv[2] ?? '10000,100000').split(',').map(Number);
const emu = await startEmulator({ jobSeconds: 0 });
const w = await startWorker({ name: 'bench-directory', vars: emu.vars, customers: 50 });
const demo = JSON.parse(readFileSync(w.demoPath, 'utf8'));
const keyOf = (h) => demo.users.find((u) => u.handle === h).api_key;
const call = async (method, path, as, body) => {
  const r = await fetch(w.base + path, {
    method,
    headers: { Authorization: `Bearer ${keyOf(as)}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, body: await r.json() };
};
const emuPost = (p, b) => fetch(emu.base + p, { method: 'POST', body: JSON.stringify(b) });

async function sync(as) {
  const t0 = performance.now();
  const r = await call('POST', '/v1/customers/sync', as, {});
  if (r.status !== 202) throw new Error(`sync: ${r.status} ${JSON.stringify(r.body)}`);
  for (;;) {
    const s = await call('GET', '/v1/customers/sync', as);
    const run = s.body.recent.find((x) => x.id === r.body.sync.id);
    if (run.state !== 'running') return { run, seconds: (performance.now() - t0) / 1000 };
    await new Promise((ok) => setTimeout(ok, 500));
  }
}

const report = (label, { run, seconds }) => {
  const n = run.counts.added + run.counts.changed + run.counts.unchanged;
  const k = n / 1000;
  console.log(
    `  ${label.padEnd(28)} ${n} customers in ${seconds.toFixed(1)} s: ${(seconds / k).toFixed(2)} s, ` +
      `${(run.calls / k).toFixed(1)} requests to Huawei, ${(Math.ceil(run.pages / 10) / k).toFixed(1)} queue steps per 1,000 ` +
      `(added ${run.counts.added}, changed ${run.counts.changed}, unchanged ${run.counts.unchanged}, state ${run.state})`,
  );
};

try {
  console.log('Directory sync (emulator on loopback, local D1 under wrangler dev):');
  const admins = ['southgate-admin', 'northwind-admin', 'skyline-admin'];
  for (const [i, size] of sizes.entries()) {
    const as = admins[i % admins.length];
    const domain = `bench-dir-${i}`;
    const k = { ak: `BD${randomBytes(9).toString('hex').toUpperCase()}`, sk: randomBytes(20).toString('hex') };
    await emuPost('/_emulator/partners', { ...k, domain_name: domain });
    await emuPost('/_emulator/directory', { partner: domain, count: size });
    await call('PUT', '/v1/huawei-key', as, { access_key_id: k.ak, secret_access_key: k.sk });
    report(`first sync of ${size}`, await sync(as));
    if (size <= 10000) report(`re-run of ${size}`, await sync(as));
  }
} finally {
  await w.stop();
  emu.stop();
}
