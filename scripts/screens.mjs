// The README's screenshots of the two journeys (`make screens`): a fresh seeded worker under
// `wrangler dev`, headless Chromium, JPEG at 1024 px (and the list at 390 px) into docs/screens/.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from './lib/chromium.mjs';
import { root, startWorker } from './lib/worker.mjs';

// SCREENS_DIR and SCREENS_PNG=1 write elsewhere and as PNG (to look at them without an image converter).
const out = process.env.SCREENS_DIR ?? join(root, 'docs', 'screens');
const png = process.env.SCREENS_PNG === '1';
mkdirSync(out, { recursive: true });
const w = await startWorker({ name: `screens-${process.pid}` });
let code = 1;
try {
  const demo = JSON.parse(readFileSync(w.demoPath, 'utf8'));
  const key = (h) => demo.users.find((u) => u.handle === h).api_key;
  const browser = await launchChromium();
  const shot = (p, name) =>
    p.screenshot(
      png ? { path: join(out, `${name}.png`) } : { path: join(out, `${name}.jpg`), type: 'jpeg', quality: 70 },
    );
  const open = async (handle, width = 1024, height = 720) => {
    const p = await (await browser.newContext({ viewport: { width, height } })).newPage();
    await p.goto(`${w.base}/#key=${key(handle)}`);
    await p.waitForSelector('body[data-ready="true"]');
    return p;
  };
  const only = async (p, id) => {
    await p.fill('#f-id', id);
    await p.press('#f-id', 'Enter');
    await p.waitForSelector(`tr[data-customer-id="${id}"]`);
    await p.waitForFunction(
      () => document.querySelector('onbehalf-customer-table').shadowRoot.querySelector('#total').dataset.total === '1',
    );
  };
  const menu = (p, id, item) =>
    p
      .click(`tr[data-customer-id="${id}"] details.more summary`)
      .then(() =>
        item ? p.click(`tr[data-customer-id="${id}"] details.more button[role="menuitem"]:text-is("${item}")`) : null,
      );

  // The reseller's journey.
  let p = await open('skyline-operator');
  await shot(p, 'reseller-1-customers');
  const C = demo.customers.ready;
  await only(p, C);
  await menu(p, C);
  await shot(p, 'reseller-2-more-menu');
  await menu(p, C);
  await only(p, demo.customers.consent);
  await menu(p, demo.customers.consent, 'Prerequisites');
  await p.waitForSelector('#api-checks li');
  await p.evaluate(() =>
    document.querySelector('onbehalf-customer-table').shadowRoot.querySelector('#detail').scrollIntoView(),
  );
  await shot(p, 'reseller-3-prerequisites');
  await only(p, C);
  await menu(p, C, "Place order on customer's behalf");
  await p.waitForSelector('#switch-dialog[open]');
  await shot(p, 'reseller-4-switch-confirm');
  await p.click('#switch-ok');
  await p.waitForURL(/\/order(\.html)?\?customer=/);
  await p.waitForSelector('body[data-ready="true"]');
  await shot(p, 'reseller-5-select-products');
  await p.click('#place-order');
  await p.waitForSelector('#order-result[data-status]');
  await p.evaluate(() =>
    document.querySelector('onbehalf-order-form').shadowRoot.querySelector('#order-result').scrollIntoView(),
  );
  await shot(p, 'reseller-6-order-placed');
  await p.goto(`${w.base}/orders.html?customer=${C}`);
  await p.waitForSelector('body[data-ready="true"]');
  await shot(p, 'reseller-7-customer-orders');
  await p.click('#switch-role');
  await p.waitForSelector('body[data-ready="true"]');
  await p.waitForTimeout(300);
  await shot(p, 'reseller-8-switched-back');

  // The distributor's journey: a request from a reseller, granted from Permissions.
  const blocked = await (
    await fetch(`${w.base}/v1/customers?can_order=false&association_type=3&limit=100`, {
      headers: { Authorization: `Bearer ${key('skyline-operator')}` },
    })
  ).json();
  const b = blocked.customers.findLast((x) => x.blocking.some((b) => b.startsWith('distributor_permission_')));
  p = await open('skyline-operator');
  await only(p, b.id);
  await menu(p, b.id, 'Prerequisites');
  await p.click('#remedies button:has-text("Ask your distributor")');
  await p.fill('#op-note', 'Two servers for the year-end campaign.');
  await shot(p, 'distributor-1-reseller-asks');
  await p.click('#op-ok');
  p = await open('northwind-admin');
  await p.goto(`${w.base}/permissions.html`);
  await p.waitForSelector('body[data-ready="true"]');
  await shot(p, 'distributor-2-permissions');
  await p.click('#requests-table tr[data-status="open"] button:has-text("Grant")');
  await p.waitForSelector('#requests-table tr[data-status="granted"]');
  await shot(p, 'distributor-3-granted');

  // Narrow: Customer Management at 390 px.
  p = await open('skyline-operator', 390, 844);
  await shot(p, 'narrow-customers-390');
  await browser.close();
  code = 0;
} finally {
  await w.stop(code !== 0);
}
