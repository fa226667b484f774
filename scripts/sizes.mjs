// Raw and gzip sizes of the wasm artifacts (make bench).
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log('artifact                          raw         gzip -9');
for (const f of process.argv.slice(2)) {
  const b = readFileSync(f);
  console.log(`${f.padEnd(34)}${kib(b.length).padEnd(12)}${kib(gzipSync(b, { level: 9 }).length)}`);
}
