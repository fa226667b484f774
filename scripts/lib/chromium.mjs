// Debian's headless Chromium for every page test and every script that runs code in a browser
// (playwright-core's own browser download cannot work on these machines). One set of flags: no
// sandbox (containers), no GPU, /tmp instead of a small /dev/shm, and none of the browser's own
// background traffic (updates, sync, QUIC probes) during a measurement or a test.
import { chromium } from 'playwright-core';

export function launchChromium() {
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
