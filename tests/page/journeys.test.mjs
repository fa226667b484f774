// The reseller's journey at 390, 1024 and 1440 px, as a user walks it: search, More > Place order,
// the confirm step, Select Products, Place order (fresh budget figures afterwards), Customer Orders,
// Switch Role back to the same search. At every step: no sideways page scroll, axe-core finds no
// serious or critical violation, and a screenshot is kept (tests/artifacts/journey-<width>-<step>.png).

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { launchChromium } from '../../scripts/lib/chromium.mjs';
import { api, BASE, demo, key } from '../http/helpers.mjs';
import { violations } from './axe.mjs';

const ARTIFACTS = 'tests/artifacts';
mkdirSync(ARTIFACTS, { recursive: true });

let browser;
before(async () => {
  browser = await launchChromium({ resend: true });
});
after(async () => {
  await browser?.close();
});

const money = (minor, currency) =>
  `${(minor / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency}`;

for (const width of [390, 1024, 1440]) {
  test(`the reseller's journey at ${width} px`, async () => {
    const ctx = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true });
    const p = await ctx.newPage();
    const errors = [];
    p.on('pageerror', (e) => errors.push(String(e)));
    const step = async (name) => {
      const over = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(over <= 0, `${name} at ${width} px: the page scrolls sideways by ${over} px`);
      assert.deepEqual(await violations(p), [], `${name} at ${width} px: serious or critical violations`);
      await p.screenshot({ path: `${ARTIFACTS}/journey-${width}-${name}.png`, fullPage: true });
    };
    const C = demo.customers.ready;
    await p.goto(`${BASE}/#key=${key('skyline-operator')}`);
    await p.waitForSelector('body[data-ready="true"]');
    await step('1-list');
    await p.fill('#f-id', C);
    await p.press('#f-id', 'Enter');
    await p.waitForFunction(
      () => document.querySelector('onbehalf-customer-table').shadowRoot.querySelector('#total').dataset.total === '1',
    );
    await p.click(`tr[data-customer-id="${C}"] details.more summary`);
    await step('2-more');
    await p.click(`tr[data-customer-id="${C}"] details.more button:has-text("Place order on customer's behalf")`);
    await p.waitForSelector('#switch-dialog[open]');
    await step('3-confirm');
    await p.click('#switch-ok');
    await p.waitForURL(/\/order(\.html)?\?customer=/);
    await p.waitForSelector('body[data-ready="true"]');
    await p.waitForSelector('#session-banner[data-state="live"]');
    await p.check('input[name="service"][value="evs"]');
    await step('4-select-products');
    await p.click('#place-order');
    await p.waitForSelector('#order-result[data-status]');
    assert.equal(await p.getAttribute('#order-result', 'data-status'), '201', await p.textContent('#order-result'));
    const b = (await api('GET', `/v1/customers/${C}`, { as: 'skyline-operator' })).body.budget;
    const want = `remaining now ${money(b.amount.minor - b.used.minor, b.amount.currency)}`;
    await p.waitForFunction(
      (w) =>
        document
          .querySelector('onbehalf-order-form')
          .shadowRoot.querySelector('[data-testid="budget-impact"]')
          ?.textContent.includes(w),
      want,
    );
    await step('5-placed');
    await p.click('#orders-link');
    await p.waitForURL(new RegExp(`/orders(\\.html)?\\?customer=${C}`));
    await p.waitForSelector('body[data-ready="true"]');
    await step('6-customer-orders');
    await p.click('#switch-role');
    await p.waitForURL(new RegExp(`customer_id=${C}`));
    await p.waitForSelector(`tr[data-customer-id="${C}"]`);
    await step('7-back');
    assert.deepEqual(errors, []);
    await ctx.close();
  });
}
