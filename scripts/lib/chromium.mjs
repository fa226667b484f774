// Debian's headless Chromium for every page test and every script that runs code in a browser
// (playwright-core's own browser download cannot work on these machines). One set of flags: no
// sandbox (containers), no GPU, /tmp instead of a small /dev/shm, and none of the browser's own
// background traffic (updates, sync, QUIC probes) during a measurement or a test.
import { chromium } from 'playwright-core';

/**
 * Debian's Chromium. With `resend`, every context's requests go through Node (Playwright's
 * `route.fetch`) and are delivered again, once, when `wrangler dev`'s proxy failed to hand them to the
 * worker: its fetch to the worker failed (tests/http/helpers.mjs says how), which it answers with a
 * plain-text 503 for most methods and, for GET, by holding the request until the next reload, that
 * is forever. A GET with no answer in 15 s, or a 503 without the worker's X-Request-Id, is sent again.
 */
export async function launchChromium({ resend = false } = {}) {
  const browser = await launch();
  if (resend) {
    const newContext = browser.newContext.bind(browser);
    browser.newContext = async (options) => {
      const context = await newContext(options);
      await context.route('**/*', deliver);
      return context;
    };
  }
  return browser;
}

async function deliver(route) {
  const request = route.request();
  for (let attempt = 1; attempt <= 2; attempt += 1) {
    try {
      const response = await route.fetch({ timeout: request.method() === 'GET' ? 15_000 : 60_000 });
      const undelivered = response.status() === 503 && response.headers()['x-request-id'] === undefined;
      if (undelivered && attempt === 1) {
        console.error(
          `# sent again after wrangler dev's proxy failed to deliver it: ${request.method()} ${request.url()}`,
        );
        continue;
      }
      return route.fulfill({ response });
    } catch (e) {
      if (attempt === 1 && request.method() === 'GET' && /Timeout/i.test(String(e))) {
        console.error(`# sent again after no answer in 15 s: GET ${request.url()}`);
        continue;
      }
      return route.abort().catch(() => {});
    }
  }
}

function launch() {
  return chromium.launch({
    executablePath: process.env.CHROME_BIN ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}
