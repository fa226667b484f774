// Starts the real worker under `wrangler dev` with a fresh local D1 (scripts/lib/worker.mjs), runs
// the HTTP and page tests against it, and stops it (always). Tests named huawei*.test.mjs run
// against a second worker with UPSTREAM=huawei and the Huawei Cloud emulator
// (scripts/lib/emulator.mjs). ONBEHALF_TESTS=a,b picks files whose names contain one of the words;
// ONBEHALF_TEST_NAME=<regex> the tests whose names match.
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from './lib/emulator.mjs';
import { root, startWorker } from './lib/worker.mjs';

const files = ['tests/http', 'tests/page', 'tests/shards'].flatMap((d) =>
  readdirSync(join(root, d))
    .filter((f) => f.endsWith('.test.mjs'))
    .sort()
    .map((f) => join(d, f)),
);
const picks = process.env.ONBEHALF_TESTS?.split(',').filter(Boolean);
const only = picks ? files.filter((f) => picks.some((p) => f.includes(p))) : files;
const huawei = only.filter((f) => f.includes('/huawei'));
const sharded = only.filter((f) => f.startsWith('tests/shards/'));
const simulated = only.filter((f) => !f.includes('/huawei') && !sharded.includes(f));

async function suite(list, { name, vars, extraEnv = {}, worker = {} }) {
  if (list.length === 0) return 0;
  const w = await startWorker({ name, port: process.env.ONBEHALF_TEST_PORT, vars, ...worker });
  let code = 1;
  try {
    // ONBEHALF_TEST_NAME=<regex>: only the tests whose names match (node --test-name-pattern).
    const named = process.env.ONBEHALF_TEST_NAME ? [`--test-name-pattern=${process.env.ONBEHALF_TEST_NAME}`] : [];
    const r = spawnSync('node', ['--test', '--test-concurrency=1', ...named, ...list], {
      cwd: root,
      stdio: 'inherit',
      env: {
        ...process.env,
        ...extraEnv,
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
    if (code !== 0) {
      writeFileSync(join(w.dir, 'wrangler.log'), w.log());
      console.error(`wrangler dev log (last 3000 chars; all of it in ${w.dir}/wrangler.log):\n${w.log().slice(-3000)}`);
    }
  }
  return code;
}

let code = await suite(simulated, { name: `test-${process.pid}` });
// Two shards (tests/shards/wrangler.toml): both databases seeded alike, then each keeps only the
// credentials of the trees routed to it (SHARDS: the Southgate tree in DB_2).
const southgate =
  "SELECT u.id FROM partner_users u JOIN partners p ON p.id = u.partner_id WHERE p.name IN ('Southgate Distribution', 'Delta Reseller')";
const forget = (not) =>
  `DELETE FROM portal_tokens WHERE user_id ${not} IN (${southgate}); DELETE FROM api_keys WHERE user_id ${not} IN (${southgate});`;
if (code === 0)
  code = await suite(sharded, {
    name: `test-shards-${process.pid}`,
    extraEnv: { ONBEHALF_CONFIG: 'tests/shards/wrangler.toml' },
    worker: {
      config: 'tests/shards/wrangler.toml',
      databases: ['DB', 'DB_2'],
      afterSeed: { DB: forget(''), DB_2: forget('NOT') },
      varsFromDemo: (demo) => ({ SHARDS: JSON.stringify({ [demo.partners.other_distributor]: 'DB_2' }) }),
    },
  });
if (code === 0 && huawei.length > 0) {
  const emu = await startEmulator();
  try {
    code = await suite(huawei, {
      name: `test-huawei-${process.pid}`,
      vars: emu.vars,
      extraEnv: { ONBEHALF_EMULATOR: emu.base },
    });
    if (code !== 0) console.error(`emulator log (last 2000 chars):\n${emu.log().slice(-2000)}`);
  } finally {
    emu.stop();
  }
}
process.exit(code);
