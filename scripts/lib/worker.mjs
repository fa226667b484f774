// Starts the real worker under `wrangler dev` (workerd) on a free port with a fresh local D1,
// migrated and seeded; used by the HTTP/page tests and by the benchmarks.

import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '..', '..');
const state = join(root, '.state');
process.env.PATH = `${join(root, 'node_modules', '.bin')}:${process.env.PATH}`;

export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}`);
}

/**
 * The configuration `wrangler dev` serves a test or benchmark worker from: `config` with the built
 * worker (build/) and the portal (www/) copied into `dir`, and no [build] section. wrangler watches
 * what it serves (the custom build's watch_dir, the assets directory, the bundle's inputs) and reloads
 * the worker when any of it changes or when its watcher starts, answering the requests in flight
 * with 503 "Your worker restarted mid-request"; a snapshot nobody writes to is served as it was
 * built, whatever happens in the checkout meanwhile.
 */
function snapshotConfig(config, dir) {
  const from = resolve(root, config);
  const at = (p) => resolve(dirname(from), p);
  const text = readFileSync(from, 'utf8');
  const value = (key) => text.match(new RegExp(`^${key} = "([^"]*)"`, 'm'))?.[1];
  const main = value('main');
  const assets = value('directory');
  if (!main || !assets) throw new Error(`${config}: no main or [assets] directory`);
  for (const [src, to] of [
    [dirname(at(main)), 'build'],
    [at(assets), 'www'],
  ]) {
    rmSync(join(dir, to), { recursive: true, force: true });
    cpSync(src, join(dir, to), { recursive: true });
  }
  const out = join(dir, 'wrangler.toml');
  writeFileSync(
    out,
    text
      .replace(/^\[build\]\n(?:(?!\[)[^\n]*\n)*/m, '')
      .replace(/^main = "[^"]*"/m, `main = "build/${main.split('/').pop()}"`)
      .replace(/^directory = "[^"]*"/m, 'directory = "www"')
      .replace(/^migrations_dir = "([^"]*)"/gm, (_, m) => `migrations_dir = ${JSON.stringify(at(m))}`),
  );
  return out;
}

/**
 * A seeded worker: `{base, dir, db, demoPath, stop(keep), log()}`; `mode` is its MODE (development
 * unless a test needs production, where there is no dev outbox). `customers` demo customers are
 * generated; with `reuse`, a database already loaded under `.state/<name>` is served again as it is
 * (the benchmarks' large databases); `release` builds the seed program optimised; `analyze` gathers the
 * query planner's statistics as production would; `vars` are passed to the worker (`--var`); `config`
 * is another wrangler configuration (tests/shards/wrangler.toml) whose `databases` are all migrated
 * and seeded alike, then each given its `afterSeed[binding]` SQL; `inspectorPort` opens workerd's
 * DevTools inspector there (scripts/profile-worker.mjs).
 */
export async function startWorker({
  name = `test-${process.pid}`,
  customers = 200,
  port,
  reuse = false,
  release = false,
  analyze = false,
  vars = {},
  config,
  databases = ['DB'],
  afterSeed = {},
  varsFromDemo,
  mode = 'development',
  inspectorPort,
} = {}) {
  const cfg = config ? ['--config', config] : [];
  port = Number(port || (await freePort()));
  const dir = join(state, name);
  const db = join(dir, 'd1');
  const base = `http://127.0.0.1:${port}`;
  const loaded = join(dir, 'loaded');
  const quiet = { stdio: ['ignore', 'ignore', 'inherit'] };
  const migrate = () => {
    for (const d of databases)
      run('wrangler', ['d1', 'migrations', 'apply', d, '--local', '--persist-to', db, ...cfg], quiet);
  };
  const gatherStats = () =>
    run(
      'wrangler',
      ['d1', 'execute', 'DB', '--local', '--persist-to', db, '--command', 'PRAGMA optimize; ANALYZE;'],
      quiet,
    );
  if (!(reuse && existsSync(loaded))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    migrate();
    const seed = ['run', '--quiet', ...(release ? ['--release'] : []), '--bin', 'onbehalf-seed', '--'];
    run('cargo', [
      ...seed,
      '--now',
      now,
      '--customers',
      String(customers),
      '--origin',
      base,
      '--sql',
      join(dir, 'seed.sql'),
      '--credentials',
      join(dir, 'demo.json'),
    ]);
    const t0 = Date.now();
    for (const d of databases) {
      run(
        'wrangler',
        ['d1', 'execute', d, '--local', '--persist-to', db, '--file', join(dir, 'seed.sql'), ...cfg],
        quiet,
      );
      if (afterSeed[d])
        run('wrangler', ['d1', 'execute', d, '--local', '--persist-to', db, '--command', afterSeed[d], ...cfg], quiet);
    }
    if (reuse) console.error(`loaded ${customers} customers in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    if (analyze) gatherStats();
    writeFileSync(loaded, '');
  } else {
    // A database kept from an earlier run gets the migrations added since (an index a benchmark is
    // meant to measure, say), and fresh statistics for the planner.
    migrate();
    if (analyze) gatherStats();
  }

  // The worker is already built by make; wrangler serves a snapshot of it (see snapshotConfig).
  const served = snapshotConfig(config ?? 'wrangler.toml', dir);
  const server = spawn(
    'wrangler',
    [
      'dev',
      '--config',
      served,
      '--local',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--persist-to',
      db,
      '--var',
      `MODE:${mode}`,
      '--var',
      `SESSION_SECRET:${randomBytes(32).toString('hex')}`,
      '--var',
      `VAULT_KEY:${randomBytes(32).toString('hex')}`,
      ...Object.entries({
        ...vars,
        ...(varsFromDemo ? varsFromDemo(JSON.parse(readFileSync(join(dir, 'demo.json'), 'utf8'))) : {}),
      }).flatMap(([k, v]) => ['--var', `${k}:${v}`]),
      // The Cron Trigger on demand: GET /__scheduled?cron=*+*+*+*+* (GET /cdn-cgi/handler/scheduled fails
      // with a DataCloneError on the ScheduledController before a workers-rs handler runs).
      '--test-scheduled',
      ...(inspectorPort ? ['--inspector-port', String(inspectorPort)] : []),
      '--show-interactive-dev-session=false',
      '--log-level',
      process.env.WRANGLER_LOG_LEVEL ?? 'warn',
    ],
    { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  // ONBEHALF_WRANGLER_LOG=<directory>: wrangler's output is also written to <directory>/<name>.log as
  // it comes (to find why a request failed inside wrangler dev; WRANGLER_LOG_LEVEL sets how much).
  const logFile = process.env.ONBEHALF_WRANGLER_LOG ? join(process.env.ONBEHALF_WRANGLER_LOG, `${name}.log`) : null;
  const keepLog = (d) => {
    log += d;
    if (logFile) appendFileSync(logFile, d);
  };
  server.stdout.on('data', keepLog);
  server.stderr.on('data', keepLog);
  const kill = (sig) => {
    try {
      process.kill(-server.pid, sig);
    } catch {
      /* gone */
    }
  };
  process.on('exit', () => kill('SIGTERM'));
  process.on('SIGINT', () => {
    kill('SIGTERM');
    process.exit(130);
  });

  async function stop(keep = false) {
    kill('SIGTERM');
    // workerd needs a moment to exit after its process group is signalled.
    const until = Date.now() + 5000;
    while (Date.now() < until) {
      try {
        process.kill(-server.pid, 0);
      } catch {
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    kill('SIGKILL');
    if (!keep && existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  }

  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/v1/health`)).ok)
        return { base, dir, db, demoPath: join(dir, 'demo.json'), stop, log: () => log };
    } catch {
      /* not yet */
    }
    if (server.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  console.error(log);
  await stop(true);
  throw new Error('wrangler dev did not become ready');
}
