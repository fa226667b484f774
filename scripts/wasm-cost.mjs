// What the worker's wasm costs, and where it goes (make bench): the time V8 takes to compile and
// instantiate build/index_bg.wasm (workerd compiles the module when an isolate starts: the cold
// start's wasm share), then code bytes per crate read from the name section of the unoptimised
// build (.state/worker-named.wasm, the worker's target/…/release/onbehalf.wasm as `make worker` left it:
// the browser builds overwrite that path; wasm-opt shrinks every crate, the shares stay indicative).
// Usage: node scripts/wasm-cost.mjs [build/index_bg.wasm] [.state/worker-named.wasm] [runs=15]
import { existsSync, readFileSync } from 'node:fs';
import { launchChromium } from './lib/chromium.mjs';

const [shipped = 'build/index_bg.wasm', named = '.state/worker-named.wasm', runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 15);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// --- cold start -------------------------------------------------------------------------------
// In Chromium's V8 (Node's V8 is older than the wasm features the worker uses): compile and
// instantiate with every import a stub (instantiating runs no Rust code; the glue calls start).
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  const times = await page.evaluate(
    async ({ b64, runs }) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const compile = [];
      const instantiate = [];
      for (let i = 0; i < runs; i += 1) {
        const t0 = performance.now();
        const module = await WebAssembly.compile(bytes);
        const t1 = performance.now();
        const imports = {};
        for (const imp of WebAssembly.Module.imports(module)) {
          imports[imp.module] ??= {};
          if (imp.kind === 'function') imports[imp.module][imp.name] = () => undefined;
          else if (imp.kind === 'memory') imports[imp.module][imp.name] = new WebAssembly.Memory({ initial: 17 });
          else if (imp.kind === 'table')
            imports[imp.module][imp.name] = new WebAssembly.Table({ initial: 1, element: 'anyfunc' });
          else if (imp.kind === 'global') imports[imp.module][imp.name] = new WebAssembly.Global({ value: 'i32' }, 0);
          else if (imp.kind === 'tag') imports[imp.module][imp.name] = WebAssembly.JSTag;
        }
        const t2 = performance.now();
        await WebAssembly.instantiate(module, imports);
        instantiate.push(performance.now() - t2);
        compile.push(t1 - t0);
      }
      return { compile, instantiate, v8: navigator.userAgent.match(/Chrome\/([\d.]+)/)?.[1] };
    },
    { b64: readFileSync(shipped).toString('base64'), runs },
  );
  console.log(
    `worker wasm cold start (Chromium ${times.v8}, ${runs} runs): compile median ${median(times.compile).toFixed(1)} ms, ` +
      `instantiate median ${median(times.instantiate).toFixed(2)} ms`,
  );
} finally {
  await browser.close();
}

// --- code per crate ---------------------------------------------------------------------------
if (!existsSync(named)) {
  console.log(`(no ${named}: build the worker first for the per-crate breakdown)`);
  process.exit(0);
}
const b = readFileSync(named);
let i = 8;
const leb = () => {
  let r = 0;
  let s = 0;
  for (;;) {
    const x = b[i];
    i += 1;
    r += (x & 0x7f) * 2 ** s;
    s += 7;
    if (x < 0x80) return r;
  }
};
const name = () => {
  const n = leb();
  const s = b.toString('utf8', i, i + n);
  i += n;
  return s;
};
let imported = 0;
const bodies = [];
const names = new Map();
let data = 0;
while (i < b.length) {
  const id = b[i];
  i += 1;
  const size = leb();
  const end = i + size;
  if (id === 2) {
    for (let n = leb(); n > 0; n -= 1) {
      name();
      name();
      const kind = b[i];
      i += 1;
      if (kind === 0) {
        leb();
        imported += 1;
      } else if (kind === 1) {
        i += 1;
        const f = leb();
        leb();
        if (f & 1) leb();
      } else if (kind === 2) {
        const f = leb();
        leb();
        if (f & 1) leb();
      } else if (kind === 3) i += 2;
      else if (kind === 4) {
        i += 1;
        leb();
      }
    }
  } else if (id === 10) {
    for (let n = leb(); n > 0; n -= 1) {
      const len = leb();
      bodies.push(len);
      i += len;
    }
  } else if (id === 11) data = size;
  else if (id === 0 && name() === 'name') {
    while (i < end) {
      const sub = b[i];
      i += 1;
      const len = leb();
      const subEnd = i + len;
      if (sub === 1) for (let n = leb(); n > 0; n -= 1) names.set(leb(), name());
      i = subEnd;
    }
  }
  i = end;
}
/** The crate a (legacy- or v0-mangled, or plain) symbol belongs to; onbehalf split by module. */
function crateOf(sym) {
  const path = [];
  const legacy = sym.match(/^_ZN(.*)E$/);
  if (legacy) {
    let rest = legacy[1];
    while (/^\d/.test(rest)) {
      const n = Number(rest.match(/^\d+/)[0]);
      const from = rest.match(/^\d+/)[0].length;
      path.push(rest.slice(from, from + n));
      rest = rest.slice(from + n);
    }
  }
  let first = path[0] ?? sym;
  // `<T as Trait>::f`: the implementing type's crate.
  const impl = first.match(/^_?\$LT\$(?:\$RF\$)?(?:mut\$u20\$)?([A-Za-z_][A-Za-z0-9_]*)/);
  if (impl) first = impl[1];
  const v0 = sym.match(/^_R.*?C[sn]?[A-Za-z0-9_]*?_(\d+)([a-z_][a-z0-9_]*)/);
  if (!legacy && v0) first = v0[2].slice(0, Number(v0[1]));
  if (first === 'onbehalf') {
    const m = path[1] === 'worker' ? `worker::${path[2] ?? ''}` : (path[1] ?? '');
    return `onbehalf::${m.replace(/::$/, '')}`;
  }
  if (sym.includes('onbehalf..')) return 'onbehalf (serde impls of its types)';
  return first.replace(/^_/, '') || '?';
}
const by = new Map();
bodies.forEach((len, k) => {
  const c = crateOf(names.get(imported + k) ?? '?');
  by.set(c, (by.get(c) ?? 0) + len);
});
const total = bodies.reduce((a, x) => a + x, 0);
console.log(
  `worker code by crate (unoptimised ${named}: code ${(total / 1024).toFixed(1)} KiB, data ${(data / 1024).toFixed(1)} KiB)`,
);
for (const [c, len] of [...by.entries()].sort((x, y) => y[1] - x[1]).slice(0, 25))
  console.log(`${(len / 1024).toFixed(1).padStart(8)} KiB ${((100 * len) / total).toFixed(1).padStart(5)} %  ${c}`);
