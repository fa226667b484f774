// The npm package (make package): the tarball installs into a scratch folder and a plain page imports
// it with <script type="module">, in Chromium, and gets the API's answers.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { launchChromium } from '../../scripts/lib/chromium.mjs';
import { serveFiles } from '../../scripts/lib/static.mjs';

const root = resolve(import.meta.dirname, '..', '..');

test('the package installs from its tarball and works in a plain page', async () => {
  const tarball = readdirSync(join(root, 'dist')).find((f) => /^onbehalf-browser-.*\.tgz$/.test(f));
  assert.ok(tarball, 'make package made a tarball');
  const dir = mkdtempSync(join(tmpdir(), 'onbehalf-pkg-'));
  writeFileSync(join(dir, 'package.json'), '{"name":"scratch","private":true}');
  const r = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', join(root, 'dist', tarball)], {
    cwd: dir,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  const pkgDir = join(dir, 'node_modules', 'onbehalf-browser');
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.sideEffects, false);
  assert.equal(pkg.exports['.'].types, './onbehalf.d.ts');
  const dts = readFileSync(join(pkgDir, 'onbehalf.d.ts'), 'utf8');
  for (const s of [
    'export function prepareOrder(',
    'export function validateOrder(',
    'export interface OrderDraft',
    'export interface Quote',
    'export interface HuaweiRequest',
  ]) {
    assert.ok(dts.includes(s), `types: ${s}`);
  }
  // A bundler resolves the package through its `exports` (esbuild, as wrangler ships it); the wasm file
  // is copied next to the bundle, as the package README says.
  writeFileSync(
    join(dir, 'entry.mjs'),
    "import init, { validateOrder } from 'onbehalf-browser';\nawait init();\nwindow.bundled = validateOrder;\n",
  );
  const esbuild = join(root, 'node_modules', '.bin', 'esbuild');
  const b = spawnSync(esbuild, ['entry.mjs', '--bundle', '--format=esm', '--outfile=bundle/app.js'], {
    cwd: dir,
    encoding: 'utf8',
  });
  assert.equal(b.status, 0, b.stderr);
  copyFileSync(join(pkgDir, 'onbehalf_bg.wasm'), join(dir, 'bundle', 'onbehalf_bg.wasm'));
  writeFileSync(
    join(dir, 'bundled.html'),
    '<!doctype html><title>bundled</title><script type="module" src="/bundle/app.js"></script>',
  );
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><title>host</title><script type="module">
    import init, { validateOrder, prepareOrder, version } from './node_modules/onbehalf-browser/onbehalf.js';
    await init();
    window.onbehalfPkg = { validateOrder, prepareOrder, version };
    document.title = 'ready';
  </script>`,
  );
  const { base, close } = await serveFiles(() => dir, { '/': readFileSync(join(dir, 'index.html'), 'utf8') });
  const browser = await launchChromium({ resend: true });
  try {
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    await page.waitForFunction(() => document.title === 'ready');
    const fixtures = JSON.parse(readFileSync(join(root, 'tests/fixtures/drafts.json'), 'utf8'));
    const f = fixtures.fixtures[0];
    const golden = JSON.parse(readFileSync(join(root, 'tests/golden', `${f.name}.json`), 'utf8'));
    const got = await page.evaluate(
      ({ f, customer }) => ({
        version: window.onbehalfPkg.version(),
        valid: window.onbehalfPkg.validateOrder(f.draft),
        prepared: window.onbehalfPkg.prepareOrder(f.draft, f.project_id, customer),
      }),
      { f, customer: fixtures.customer },
    );
    assert.equal(got.version, pkg.version);
    assert.deepEqual(got.valid, { valid: true });
    assert.deepEqual(got.prepared, golden, 'the packaged module gives the golden answer');
    const bundled = await browser.newPage();
    await bundled.goto(`${base}/bundled.html`);
    await bundled.waitForFunction(() => typeof window.bundled === 'function');
    assert.deepEqual(
      await bundled.evaluate((d) => window.bundled(d), f.draft),
      { valid: true },
      'the bundled package works',
    );
  } finally {
    await browser.close();
    close();
  }
  // Without fetch (a Worker's static wasm import, or Node): initSync with a compiled module.
  const m = await import(join(pkgDir, 'onbehalf.js'));
  m.initSync({ module: new WebAssembly.Module(readFileSync(join(pkgDir, 'onbehalf_bg.wasm'))) });
  const f0 = JSON.parse(readFileSync(join(root, 'tests/fixtures/drafts.json'), 'utf8')).fixtures[0];
  assert.deepEqual(m.validateOrder(f0.draft), { valid: true }, 'initSync path');
});
