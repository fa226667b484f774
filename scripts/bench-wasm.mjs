// The browser module's speed in headless Chromium: validate + build + quote of a typical ECS draft
// (per call, median over batches), next to JSON.parse(JSON.stringify(draft)) of the same draft in the
// same run. Usage: node scripts/bench-wasm.mjs [calls=20000]

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchChromium } from './lib/chromium.mjs';
import { serveFiles } from './lib/static.mjs';

const root = resolve(import.meta.dirname, '..');
const calls = Number(process.argv[2] ?? 20000);
const www = join(root, 'www');
// The module and the measurement-only build next to it, on one origin.
const { base, close } = await serveFiles((path) => (path.startsWith('/pkg-boundary/') ? join(root, '.state') : www), {
  '/': '<!doctype html><title>bench</title>',
});

const fixtures = JSON.parse(readFileSync(join(root, 'tests/fixtures/drafts.json'), 'utf8'));
const pick = (name) => fixtures.fixtures.find((f) => f.name === name);
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await page.goto(`${base}/`);
  const out = await page.evaluate(
    async ({ cases, customer, calls }) => {
      const m = await import('/pkg/onbehalf.js');
      await m.default();
      // The measurement-only build (feature boundary-bench): the same work, other boundary crossings.
      const b = await import('/pkg-boundary/onbehalf.js');
      await b.default();
      // Median over batches of 500 calls of the per-call time (performance.now is coarse in Chromium).
      const time = (fn) => {
        for (let i = 0; i < 2000; i++) fn();
        const batch = 500;
        const per = [];
        for (let b = 0; b < calls / batch; b++) {
          const t0 = performance.now();
          for (let i = 0; i < batch; i++) fn();
          per.push(((performance.now() - t0) * 1000) / batch);
        }
        per.sort((a, b) => a - b);
        return { median_us: per[Math.floor(per.length / 2)], p95_us: per[Math.floor(per.length * 0.95)] };
      };
      const rows = [];
      for (const c of cases) {
        const d = c.draft;
        const ok = m.prepareOrder(d, c.project_id, customer);
        if (ok.error) throw new Error(JSON.stringify(ok.error));
        rows.push({
          draft: c.name,
          what: 'prepareOrder (validate + build + quote, one call)',
          ...time(() => m.prepareOrder(d, c.project_id, customer)),
        });
        rows.push({
          draft: c.name,
          what: 'validateOrder + buildOrderPayload + quoteOrder (three calls)',
          ...time(() => {
            m.validateOrder(d);
            m.buildOrderPayload(d, c.project_id);
            m.quoteOrder(d, customer);
          }),
        });
        rows.push({ draft: c.name, what: 'validateOrder alone', ...time(() => m.validateOrder(d)) });
        const same = JSON.stringify(m.prepareOrder(d, c.project_id, customer));
        if (JSON.stringify(b.prepareOrderSwb(d, c.project_id, customer)) !== same)
          throw new Error('serde-wasm-bindgen variant differs');
        const dt = JSON.stringify(d);
        const ct = JSON.stringify(customer);
        if (b.prepareOrderText(dt, c.project_id, ct) !== same) throw new Error('text variant differs');
        rows.push({
          draft: c.name,
          what: 'boundary: serde-wasm-bindgen in and out (json_compatible), same work',
          ...time(() => b.prepareOrderSwb(d, c.project_id, customer)),
        });
        rows.push({
          draft: c.name,
          what: 'boundary: JSON text in and out, same work (no JS objects)',
          ...time(() => b.prepareOrderText(dt, c.project_id, ct)),
        });
        rows.push({
          draft: c.name,
          what: 'boundary: JSON text in and out + JSON.stringify/JSON.parse by the caller',
          ...time(() => JSON.parse(b.prepareOrderText(JSON.stringify(d), c.project_id, JSON.stringify(customer)))),
        });
        rows.push({ draft: c.name, what: 'JSON.parse of the result text alone', ...time(() => JSON.parse(same)) });
        rows.push({
          draft: c.name,
          what: 'JSON.parse(JSON.stringify(draft))',
          ...time(() => JSON.parse(JSON.stringify(d))),
        });
        rows.push({ draft: c.name, what: 'draft JSON bytes', median_us: JSON.stringify(d).length, p95_us: null });
      }
      return { ua: navigator.userAgent, rows };
    },
    { cases: [pick('ecs-monthly'), pick('ecs-yearly-data-disks-eip')], customer: fixtures.customer, calls },
  );
  console.log(
    `Chromium: ${out.ua.match(/Chrome\/[\d.]+/)?.[0]}; ${calls} calls per row after 2000 warm-up calls; per-call time, median and p95 over batches of 500`,
  );
  console.log('| draft | what | median µs | p95 µs |');
  console.log('|---|---|---|---|');
  for (const r of out.rows) {
    if (r.what === 'draft JSON bytes') console.log(`| ${r.draft} | ${r.what} | ${r.median_us} | |`);
    else console.log(`| ${r.draft} | ${r.what} | ${r.median_us.toFixed(2)} | ${r.p95_us.toFixed(2)} |`);
  }
  // Issue 15's goal: prepareOrder <= 15 µs median for the typical ECS draft (ecs-monthly).
  const typical = out.rows.find((r) => r.draft === 'ecs-monthly' && r.what.startsWith('prepareOrder'));
  const ok = typical.median_us <= 15;
  console.log(
    `goal: prepareOrder (ecs-monthly) <= 15 µs median: ${typical.median_us.toFixed(2)} µs, ${ok ? 'pass' : 'FAIL'}`,
  );
} finally {
  await browser.close();
  close();
}
