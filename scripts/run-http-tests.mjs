// Starts the real worker under `wrangler dev` (workerd) on a free port with a fresh local D1,
// migrates and seeds it, runs the HTTP and page tests against it, and stops it (always).
import { randomBytes } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const state = join(root, '.state');
process.env.PATH = `${join(root, 'node_modules', '.bin')}:${process.env.PATH}`;

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
  });
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}`);
}

const port = Number(process.env.ONBEHALF_TEST_PORT || await freePort());
const dir = join(state, `test-${process.pid}`);
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const db = join(dir, 'd1');
const base = `http://127.0.0.1:${port}`;
const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');

run('wrangler', ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', db], { stdio: ['ignore', 'ignore', 'inherit'] });
run('cargo', ['run', '--quiet', '--bin', 'onbehalf-seed', '--', '--now', now, '--customers', '200', '--origin', base,
  '--sql', join(dir, 'seed.sql'), '--credentials', join(dir, 'demo.json')]);
run('wrangler', ['d1', 'execute', 'DB', '--local', '--persist-to', db, '--file', join(dir, 'seed.sql')], { stdio: ['ignore', 'ignore', 'inherit'] });

// The worker is already built by make; wrangler's own build step then finds it up to date.
const server = spawn('wrangler', ['dev', '--local', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', db,
  '--var', 'MODE:development', '--var', `SESSION_SECRET:${randomBytes(32).toString('hex')}`,
  '--show-interactive-dev-session=false', '--log-level', 'warn'],
  { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
let log = '';
server.stdout.on('data', (d) => { log += d; });
server.stderr.on('data', (d) => { log += d; });

function stop() {
  try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
}
process.on('exit', stop);
process.on('SIGINT', () => { stop(); process.exit(130); });

async function waitReady() {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`${base}/v1/health`);
      if (r.ok) return;
    } catch { /* not yet */ }
    if (server.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  console.error(log);
  throw new Error('wrangler dev did not become ready');
}

let code = 1;
try {
  await waitReady();
  const files = ['tests/http', 'tests/page'].flatMap((d) =>
    readdirSync(join(root, d)).filter((f) => f.endsWith('.test.mjs')).map((f) => join(d, f)));
  const only = process.env.ONBEHALF_TESTS ? files.filter((f) => f.includes(process.env.ONBEHALF_TESTS)) : files;
  const r = spawnSync('node', ['--test', '--test-concurrency=1', ...only], {
    cwd: root, stdio: 'inherit',
    env: { ...process.env, ONBEHALF_URL: base, ONBEHALF_DEMO: join(dir, 'demo.json'), ONBEHALF_DB: db },
  });
  code = r.status ?? 1;
} catch (e) {
  console.error(e.message);
} finally {
  stop();
  // workerd needs a moment to exit after its process group is signalled.
  const until = Date.now() + 5000;
  while (Date.now() < until) {
    try { process.kill(-server.pid, 0); } catch { break; }
    await new Promise((r) => setTimeout(r, 100));
  }
  try { process.kill(-server.pid, 'SIGKILL'); } catch { /* gone */ }
  if (code === 0 && existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  if (code !== 0) console.error(`wrangler dev log (last 3000 chars):\n${log.slice(-3000)}`);
}
process.exit(code);
