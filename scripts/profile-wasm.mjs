// Where prepareOrder's time goes in Chromium: the V8 sampling profiler (CDP) over many calls of the
// browser module built with its function names (`wasm-pack build --profiling`, .state/pkg-prof),
// self time per function and per crate. Usage:
//   wasm-pack build --profiling --target web --out-dir .state/pkg-prof --out-name onbehalf --no-pack -- --no-default-features --features browser
//   node scripts/profile-wasm.mjs [calls=200000] [draft=ecs-monthly]
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchChromium } from './lib/chromium.mjs';
import { printProfile } from './lib/profile.mjs';
import { serveFiles } from './lib/static.mjs';

const root = resolve(import.meta.dirname, '..');
const calls = Number(process.argv[2] ?? 200000);
const draftName = process.argv[3] ?? 'ecs-monthly';
const pkg = join(root, '.state', 'pkg-prof');
const { base, close } = await serveFiles(() => pkg, { '/': '<!doctype html><title>profile</title>' });
const fixtures = JSON.parse(readFileSync(join(root, 'tests/fixtures/drafts.json'), 'utf8'));
const c = fixtures.fixtures.find((f) => f.name === draftName);

const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await page.goto(`${base}/`);
  await page.evaluate(async () => {
    const m = await import('/onbehalf.js');
    await m.default();
    window.m = m;
  });
  const warm = ({ d, p, cu, n }) => {
    for (let i = 0; i < n; i++) window.m.prepareOrder(d, p, cu);
  };
  const args = { d: c.draft, p: c.project_id, cu: fixtures.customer };
  await page.evaluate(warm, { ...args, n: 5000 });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
  await cdp.send('Profiler.start');
  const t0 = Date.now();
  await page.evaluate(warm, { ...args, n: calls });
  const ms = Date.now() - t0;
  const { profile } = await cdp.send('Profiler.stop');
  console.log(
    `${calls} prepareOrder(${draftName}) in ${ms} ms = ${((ms * 1000) / calls).toFixed(1)} µs per call (profiler on)`,
  );
  printProfile(profile, { glue: (name) => name.includes('prepareOrder') });
} finally {
  await browser.close();
  close();
}
