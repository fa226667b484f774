// Starts the real worker under `wrangler dev` with a fresh local D1 (scripts/lib/worker.mjs), runs
// the HTTP and page tests against it, and stops it (always). ONBEHALF_TESTS=a,b picks files
// whose names contain one of the words.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { root, startWorker } from './lib/worker.mjs';

const w = await startWorker({ port: process.env.ONBEHALF_TEST_PORT });
let code = 1;
try {
  const files = ['tests/http', 'tests/page'].flatMap((d) =>
    readdirSync(join(root, d))
      .filter((f) => f.endsWith('.test.mjs'))
      .sort()
      .map((f) => join(d, f)),
  );
  const picks = process.env.ONBEHALF_TESTS?.split(',').filter(Boolean);
  const only = picks ? files.filter((f) => picks.some((p) => f.includes(p))) : files;
  const r = spawnSync('node', ['--test', '--test-concurrency=1', ...only], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      ONBEHALF_URL: w.base,
      ONBEHALF_DEMO: w.demoPath,
      ONBEHALF_DB: w.db,
      ONBEHALF_RECORD: join(w.dir, 'responses.jsonl'),
    },
  });
  code = r.status ?? 1;
} catch (e) {
  console.error(e.message);
} finally {
  await w.stop(code !== 0);
  if (code !== 0) console.error(`wrangler dev log (last 3000 chars):\n${w.log().slice(-3000)}`);
}
process.exit(code);
