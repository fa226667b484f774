// `make package`: the browser module as an installable npm package, assembled from the very files the
// portal uses (www/pkg, built by `make browser`), into dist/onbehalf-browser/ and a tarball (npm pack).

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const version = readFileSync(join(root, 'Cargo.toml'), 'utf8').match(/^version = "([^"]+)"/m)[1];
const out = join(root, 'dist', 'onbehalf-browser');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const files = ['onbehalf.js', 'onbehalf.d.ts', 'onbehalf_bg.wasm', 'onbehalf_bg.wasm.d.ts'];
for (const f of files) copyFileSync(join(root, 'www', 'pkg', f), join(out, f));
const pkg = {
  name: 'onbehalf-browser',
  version,
  description:
    'Check order-on-behalf prerequisites, filter customers, and validate, build and price Huawei Cloud orders in the browser, with the same rules and error codes as the onbehalf API.',
  license: 'Apache-2.0',
  type: 'module',
  main: './onbehalf.js',
  module: './onbehalf.js',
  types: './onbehalf.d.ts',
  exports: {
    '.': { types: './onbehalf.d.ts', default: './onbehalf.js' },
    './onbehalf_bg.wasm': './onbehalf_bg.wasm',
    './package.json': './package.json',
  },
  files: [...files, 'README.md'],
  // Importing the module does nothing until `init()` (or `initSync`) is called.
  sideEffects: false,
};
writeFileSync(join(out, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
writeFileSync(
  join(out, 'README.md'),
  `# onbehalf-browser ${version}

The onbehalf browser module: the same Rust core as the onbehalf API, compiled to WebAssembly.

\`\`\`html
<script type="module">
  import init, { catalog, prepareOrder, checkPrerequisites, filterCustomers, errorCodes } from './node_modules/onbehalf-browser/onbehalf.js';
  await init();   // fetches onbehalf_bg.wasm next to onbehalf.js
  const r = prepareOrder(draft, projectId, { id: customer.id, budget: customer.budget });
  if (r.error) console.log(r.error.details);   // every error: {path, code, message}
  else console.log(r.payload, r.quote);
</script>
\`\`\`

In a bundler: \`import init from 'onbehalf-browser'\` and let it copy \`onbehalf-browser/onbehalf_bg.wasm\`.
In a Worker: \`import { initSync } from 'onbehalf-browser'; import wasm from 'onbehalf-browser/onbehalf_bg.wasm'; initSync({ module: wasm });\`.
Every export returns plain objects and never throws; failures are \`{ error: { code, message, details } }\`.
`,
);
const r = spawnSync('npm', ['pack', '--pack-destination', join(root, 'dist')], { cwd: out, encoding: 'utf8' });
if (r.status !== 0) {
  console.error(r.stderr);
  process.exit(1);
}
console.log(`dist/${r.stdout.trim().split('\n').pop()}`);
