// Raw, gzip and brotli sizes of the wasm artifacts (make bench). gzip is zlib at level 9 (what a
// server's gzip does); GNU `gzip -9` finds a few percent smaller output on the same bytes.
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log('artifact                          raw         gzip -9     brotli 11');
for (const f of process.argv.slice(2)) {
  const b = readFileSync(f);
  const br = brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
  console.log(
    `${f.padEnd(34)}${kib(b.length).padEnd(12)}${kib(gzipSync(b, { level: 9 }).length).padEnd(12)}${kib(br.length)}`,
  );
}
