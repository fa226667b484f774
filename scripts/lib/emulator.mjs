// Starts the Huawei Cloud emulator (tests/huawei-emulator/emulator.py) on a free port with the
// venv's Python (ONBEHALF_PYTHON, which has the huaweicloudsdk models), for the HTTP tests and
// `make dev UPSTREAM=huawei-emulator`.

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort, root } from './worker.mjs';

export async function startEmulator({ port, jobSeconds = 2 } = {}) {
  port = Number(port || (await freePort()));
  const python = process.env.ONBEHALF_PYTHON || 'python3';
  const dir = join(root, 'tests', 'huawei-emulator');
  const proc = spawn(python, ['emulator.py', '--port', String(port), '--job-seconds', String(jobSeconds)], {
    cwd: dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  proc.stdout.on('data', (d) => {
    log += d;
  });
  proc.stderr.on('data', (d) => {
    log += d;
  });
  const base = `http://127.0.0.1:${port}`;
  const stop = () => {
    try {
      process.kill(-proc.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
  };
  process.on('exit', stop);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/_emulator/state`)).ok) break;
    } catch {
      /* not yet */
    }
    if (proc.exitCode !== null) throw new Error(`the Huawei emulator exited:\n${log}`);
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    base,
    stop,
    log: () => log,
    // The worker's variables for this emulator.
    vars: {
      UPSTREAM: 'huawei',
      HUAWEI_REGIONAL_ENDPOINT: `${base}/{service}/{region}`,
      HUAWEI_IAM_ENDPOINT: `${base}/iam`,
      HUAWEI_BSS_ENDPOINT: `${base}/bss`,
      HUAWEI_TIMEOUT_MS: '3000',
    },
  };
}
