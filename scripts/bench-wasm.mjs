// The browser module's speed in headless Chromium: validate + build + quote of a typical ECS draft
// (per call, median over batches), next to JSON.parse(JSON.stringify(draft)) of the same draft in the
// same run. Usage: node scripts/bench-wasm.mjs [calls=20000]

import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..');
const calls = Number(process.argv[2] ?? 20000);
const www = join(root, 'www');
const types = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
const server = createServer((req, res) => {
  const path = req.url === '/' ? '/bench.html' : req.url.split('?')[0];
  if (path === '/bench.html') return res.end('<!doctype html><title>bench</title>');
  const dir = path.startsWith('/pkg-boundary/') ? join(root, '.state') : www;
  const file = join(dir, path);
  if (!file.startsWith(dir) || !existsSync(file)) {
    res.statusCode = 404;
    return res.end();
  }
  res.setHeader('Content-Type', types[extname(file)] ?? 'application/octet-stream');
  res.end(readFileSync(file));
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const base = `http://127.0.0.1:${server.address().port}`;

const fixtures = JSON.parse(readFileSync(join(root, 'tests/fixtures/drafts.json'), 'utf8'));
const pick = (name) => fixtures.fixtures.find((f) => f.name === name);
const browser = await chromium.launch({
  executablePath: process.env.CHROME_BIN ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
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
} finally {
  await browser.close();
  server.close();
}
