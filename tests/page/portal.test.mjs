// Page tests of www/ in Debian's headless Chromium (playwright-core; no browser download).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { api, BASE, demo, healthyCustomer, key, latestConsent } from '../http/helpers.mjs';

const ARTIFACTS = 'tests/artifacts';
let browser;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROME_BIN ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
});
after(async () => { await browser?.close(); });

async function page() {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const p = await ctx.newPage();
  const errors = [];
  p.on('pageerror', (e) => errors.push(String(e)));
  p.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  p.on('response', (r) => { if (r.status() >= 400 && !r.url().includes('/v1/')) errors.push(`${r.status()} ${r.url()}`); });
  return { p, errors };
}

test('the prerequisite view shows the API report next to the browser module\'s, identical', async () => {
  const { p, errors } = await page();
  await p.goto(`${BASE}/#key=${key('skyline-operator')}`);
  await p.waitForSelector('body[data-ready="true"]');
  assert.equal(new URL(p.url()).hash, '', 'the key leaves the address bar');
  assert.match(await p.textContent('#whoami'), /Skyline Cloud \(reseller\)/);

  // Masked names only.
  const table = await p.textContent('#customer-table');
  assert.ok(!table.includes('Acme Trading Ltd.') && table.includes('A***'));

  for (const [id, can] of [[demo.customers.ready, true], [demo.customers.referral, false]]) {
    await p.click(`tr[data-customer-id="${id}"]`);
    await p.waitForFunction((want) => document.querySelector('#agreement')?.dataset.match !== undefined
      && document.querySelector('#detail-title').textContent.includes(want), id);
    assert.equal(await p.getAttribute('#agreement', 'data-match'), 'true', 'browser and API agree');
    const apiText = await p.textContent('#api-verdict');
    const wasmText = await p.textContent('#wasm-verdict');
    assert.equal(apiText, wasmText);
    assert.equal(apiText.startsWith('Can order'), can, apiText);
    assert.equal(await p.locator('#wasm-checks li').count(), 8);
    if (!can) assert.match(wasmText, /association_not_reseller_mode/);
    await p.screenshot({ path: `${ARTIFACTS}/prerequisites-${can ? 'ready' : 'referral'}.png`, fullPage: true });
  }

  // The shared fixtures through the module as this page loaded it: same verdicts as the host and wasm tests.
  const fixtures = JSON.parse(readFileSync('tests/fixtures/prerequisites.json', 'utf8'));
  const got = await p.evaluate(async (fx) => {
    const mod = await import('/pkg/onbehalf.js');
    return {
      cases: fx.cases.map((c) => { const r = mod.checkPrerequisites(c.input); return { can_order: r.can_order, blocking: r.blocking, warnings: r.warnings }; }),
      errors: fx.errors.map((c) => mod.checkPrerequisites(c.input).error.code),
    };
  }, fixtures);
  assert.deepEqual(got.cases, fixtures.cases.map((c) => c.expect));
  assert.deepEqual(got.errors, fixtures.errors.map((c) => c.expect_error.code));
  assert.deepEqual(errors, []);
});

test('keyboard: a customer row opens with Enter', async () => {
  const { p } = await page();
  await p.goto(`${BASE}/#key=${key('skyline-viewer')}`);
  await p.waitForSelector('body[data-ready="true"]');
  await p.focus(`tr[data-customer-id="${demo.customers.ready}"]`);
  await p.keyboard.press('Enter');
  await p.waitForFunction(() => document.querySelector('#agreement')?.dataset.match === 'true');
  assert.match(await p.textContent('#api-verdict'), /role_cannot_order/);
  assert.equal(await p.isDisabled('#request-auth'), true, 'a viewer cannot request authorization');
});

test('a customer approves a request on the consent page with the SMS code', async () => {
  const c = await healthyCustomer('skyline-operator', demo.partners.reseller, 4);
  const req = await api('POST', `/v1/customers/${c.id}/authorizations`, { as: 'skyline-operator', body: { capabilities: ['order', 'om'], valid_days: 60 } });
  assert.equal(req.status, 201, req.text);
  const { token, code } = await latestConsent(c.id);
  const { p, errors } = await page();
  await p.goto(`${BASE}/consent.html#token=${token}`);
  await p.waitForFunction(() => document.querySelector('#consent-state').textContent === 'pending');
  assert.match(await p.textContent('#consent-title'), /Skyline Cloud asks/);
  // Narrow to O&M only, then approve with the code.
  await p.uncheck('input[value="order"]');
  await p.fill('#code', code);
  await p.click('#approve-form button[type="submit"]');
  await p.waitForFunction(() => document.querySelector('#consent-state').textContent === 'active');
  await p.screenshot({ path: `${ARTIFACTS}/consent-approved.png`, fullPage: true });
  const list = await api('GET', `/v1/customers/${c.id}/authorizations`, { as: 'skyline-operator' });
  assert.deepEqual(list.body.authorizations[0].capabilities, ['om']);
  // O&M only: the partner still cannot order, and says why.
  const report = await api('GET', `/v1/customers/${c.id}/prerequisites`, { as: 'skyline-operator' });
  assert.ok(report.body.blocking.includes('authorization_lacks_order'), report.body.blocking);
  // Revoke from the same page.
  await p.fill('#reason', 'changed my mind');
  await p.click('#revoke-form button[type="submit"]');
  await p.waitForFunction(() => document.querySelector('#consent-state').textContent === 'revoked');
  assert.deepEqual(errors, []);
});

test('the portal is served with a strict Content-Security-Policy and still works under it', async () => {
  const r = await fetch(`${BASE}/`);
  const csp = r.headers.get('content-security-policy') ?? '';
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.doesNotMatch(csp, /unsafe-inline|'unsafe-eval'/);
  assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
  assert.equal((await fetch(`${BASE}/_headers`)).status === 200, false, 'the headers file itself is not served');
});
