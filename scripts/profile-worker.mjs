// Where a route's time goes inside the worker: workerd's own V8 sampling profiler, through the
// DevTools inspector `wrangler dev` opens, while the route is requested again and again. The worker
// is built with its function names (`make worker WORKER_NAMES=1`; the next `make worker` strips them).
// Usage:
//   node scripts/profile-worker.mjs [path=/v1/customers?limit=20] [requests=400] [user=skyline-operator]
// The time between requests (D1, the network) is the profile's "(idle)"; the rest is the worker's CPU.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { printProfile } from './lib/profile.mjs';
import { freePort, root, startWorker } from './lib/worker.mjs';

const path = process.argv[2] ?? '/v1/customers?limit=20';
const requests = Number(process.argv[3] ?? 400);
const user = process.argv[4] ?? 'skyline-operator';
// wrangler's own build step (make worker) must find the named build up to date, not strip it.
process.env.WORKER_NAMES = '1';
execFileSync('make', ['--no-print-directory', 'worker'], { cwd: root, stdio: 'inherit' });
const inspectorPort = await freePort();
const w = await startWorker({ name: 'profile-worker', inspectorPort });
try {
  const demo = JSON.parse(readFileSync(w.demoPath, 'utf8'));
  const key = demo.users.find((u) => u.handle === user)?.api_key;
  const call = () => fetch(`${w.base}${path}`, { headers: { Authorization: `Bearer ${key}` } }).then((r) => r.text());
  for (let i = 0; i < 50; i += 1) await call();
  const targets = await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json();
  const target = targets.find((t) => t.webSocketDebuggerUrl) ?? targets[0];
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((ok, fail) => {
    ws.on('open', ok);
    ws.on('error', fail);
  });
  let id = 0;
  const pending = new Map();
  ws.on('message', (data) => {
    const m = JSON.parse(String(data));
    if (m.id && pending.has(m.id)) {
      pending.get(m.id)(m.result ?? m);
      pending.delete(m.id);
    }
  });
  const send = (method, params = {}) =>
    new Promise((ok) => {
      id += 1;
      pending.set(id, ok);
      ws.send(JSON.stringify({ id, method, params }));
    });
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: 50 });
  await send('Profiler.start');
  const t0 = performance.now();
  for (let i = 0; i < requests; i += 1) await call();
  const ms = performance.now() - t0;
  const { profile } = await send('Profiler.stop');
  ws.close();
  console.log(`${requests} × GET ${path} as ${user}: ${(ms / requests).toFixed(2)} ms per request (profiler on)`);
  const idle = profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id);
  const busy = profile.samples.reduce((a, s, i) => a + (idle.includes(s) ? 0 : (profile.timeDeltas[i] ?? 0)), 0);
  console.log(`worker CPU: ${(busy / 1000 / requests).toFixed(2)} ms per request`);
  printProfile(profile, { glue: (name) => /^(__wbg|__wbindgen|fetch|handle)/.test(name) });
} finally {
  await w.stop();
}
