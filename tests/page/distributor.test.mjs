// The distributor journey, in the portal: a reseller blocked by a missing distributor permission asks
// its distributor from the customer's Prerequisites; the distributor sees the request on its
// Permissions page and grants it with one click; the reseller's check passes; the grant is revoked
// from the same page. The whole journey at 390, 1024 and 1440 px: at every step no sideways page scroll,
// no serious or critical axe-core violation, and a screenshot (tests/artifacts/distributor-<width>-<step>.png).

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

async function open(handle, path, width = 1024) {
  // axe is injected by the test: the context bypasses the portal's CSP for it.
  const ctx = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true });
  const p = await ctx.newPage();
  const errors = [];
  p.on('pageerror', (e) => errors.push(String(e)));
  await p.goto(`${BASE}/#key=${key(handle)}`);
  await p.waitForSelector('body[data-ready="true"]');
  if (path !== '/') {
    await p.goto(`${BASE}${path}`);
    await p.waitForSelector('body[data-ready="true"]');
  }
  return { p, errors };
}

const clean = async (p, state) => assert.deepEqual(await violations(p), [], `${state}: serious or critical violations`);
const sideways = (p) => p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/** A Skyline customer whose only missing prerequisite on the partner side is the distributor's permission. */
async function blockedByDistributor() {
  const r = await api('GET', '/v1/customers?can_order=false&association_type=3&limit=100', { as: 'skyline-operator' });
  assert.equal(r.status, 200, r.text);
  const c = r.body.customers.findLast(
    (x) =>
      x.association.partner_id === demo.partners.reseller &&
      x.blocking.some((b) => b.startsWith('distributor_permission_')),
  );
  assert.ok(c, 'a customer blocked by a missing, revoked or expired distributor permission');
  return c;
}

for (const width of [390, 1024, 1440])
  test(`at ${width} px: a reseller asks its distributor from Prerequisites; the distributor grants it from Permissions`, async () => {
    const c = await blockedByDistributor();
    // At every step: no sideways page scroll, nothing serious for axe, a screenshot.
    const step = async (p, name) => {
      assert.ok(
        (await sideways(p)) <= 0,
        `${name} at ${width} px: the page scrolls sideways by ${await sideways(p)} px`,
      );
      await clean(p, `${name} at ${width} px`);
      await p.screenshot({ path: `${ARTIFACTS}/distributor-${width}-${name}.png`, fullPage: true });
    };
    const reseller = await open('skyline-operator', '/', width);
    let p = reseller.p;
    await p.fill('#f-id', c.id);
    await p.press('#f-id', 'Enter');
    await p.waitForSelector(`tr[data-customer-id="${c.id}"]`);
    await p.click(`tr[data-customer-id="${c.id}"] details.more summary`);
    await p.click(`tr[data-customer-id="${c.id}"] details.more button[role="menuitem"]:text-is("Prerequisites")`);
    await p.waitForSelector('#remedies button:has-text("Ask your distributor")');
    assert.match(await p.textContent('#api-checks'), /What to do: Ask your distributor to grant/);
    await step(p, '1-prerequisites');
    await p.click('#remedies button:has-text("Ask your distributor")');
    await p.waitForSelector('#op-dialog[open]');
    await p.fill('#op-note', 'Two servers for the year-end campaign.');
    await step(p, '2-ask');
    await p.click('#op-ok');
    await p.waitForFunction(() =>
      document
        .querySelector('onbehalf-customer-table')
        .shadowRoot.querySelector('#announce')
        .textContent.includes('distributor was asked'),
    );
    assert.equal(await p.isVisible('#op-dialog[open]'), false);
    assert.deepEqual(reseller.errors, []);

    // The distributor's Permissions page: the open request, granted in one click.
    const dist = await open('northwind-admin', '/permissions.html', width);
    p = dist.p;
    const row = `#requests-table tr[data-status="open"]:has(td:text-is("customer ${c.id}"))`;
    await p.waitForSelector(row);
    assert.match(await p.textContent(row), /Skyline Cloud.*order placement.*Two servers for the year-end campaign/s);
    await step(p, '3-permissions');
    await p.click(`${row} button:has-text("Grant")`);
    await p.waitForFunction(() =>
      /Granted Skyline Cloud order placement/.test(document.querySelector('#announce').textContent),
    );
    const granted = `#permissions-table tr[data-state="active"]:has(td:text-is("customer ${c.id}"))`;
    await p.waitForSelector(granted);
    assert.equal(await p.locator(row).count(), 0, 'the request is answered');
    await step(p, '4-granted');

    // The reseller's check passes now.
    const report = await api('GET', `/v1/customers/${c.id}/prerequisites`, { as: 'skyline-operator' });
    assert.equal(report.body.checks.find((x) => x.check === 'distributor_permission').status, 'pass');

    // Revoked from the same page: the check fails again.
    await p.click(`${granted} button:has-text("Revoke")`);
    await p.waitForFunction(
      (id) =>
        ![...document.querySelectorAll('#permissions-table tr[data-state="active"]')].some((r) =>
          r.textContent.includes(id),
        ),
      c.id,
    );
    const after = await api('GET', `/v1/customers/${c.id}/prerequisites`, { as: 'skyline-operator' });
    assert.ok(after.body.blocking.includes('distributor_permission_revoked'), after.body.blocking);
    assert.deepEqual(dist.errors, []);
  });

test("a reseller's Permissions page: what it received and the requests it sent, which it can withdraw", async () => {
  const ask = await api('POST', '/v1/permission-requests', { as: 'harbor-operator', body: { capabilities: ['om'] } });
  assert.equal(ask.status, 201, ask.text);
  const { p, errors } = await open('harbor-operator', '/permissions.html');
  assert.equal(await p.isVisible('#grant'), false, 'no grant form for a reseller');
  const row = `#requests-table tr[data-request-id="${ask.body.id}"]`;
  await p.waitForSelector(`${row}[data-status="open"]`);
  await clean(p, 'Permissions (reseller)');
  await p.click(`${row} button:has-text("Withdraw")`);
  await p.waitForSelector(`${row}[data-status="withdrawn"]`);
  assert.deepEqual(errors, []);
});
