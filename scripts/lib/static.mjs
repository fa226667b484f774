// A static file server on a free loopback port, for the scripts and tests that load the browser
// module into Chromium without the worker: `dirOf(path)` names the directory a request path is served
// from (`null`: 404), `pages` are fixed HTML answers by path.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join } from 'node:path';

const TYPES = {
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.html': 'text/html',
  '.json': 'application/json',
};

/** Serves files; answers `{base, close}`. */
export async function serveFiles(dirOf, pages = {}) {
  const server = createServer((req, res) => {
    const path = req.url.split('?')[0];
    if (path in pages) {
      res.setHeader('Content-Type', 'text/html');
      return res.end(pages[path]);
    }
    const dir = dirOf(path);
    const file = dir && join(dir, path);
    if (!file?.startsWith(dir) || !existsSync(file)) {
      res.statusCode = 404;
      return res.end();
    }
    res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
    res.end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { base: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}
