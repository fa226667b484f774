// Page tests of www/ in Debian's headless Chromium (playwright-core; no browser download).

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { launchChromium } from '../../scripts/lib/chromium.mjs';
import { api, BASE, demo, healthyCustomer, key, latestConsent } from '../http/helpers.mjs';

const ARTIFACTS = 'tests/artifacts';
let browser;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchChromium({ resend: true });
});
after(async () => {
  await browser?.close();
});

async function page() {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const p = await ctx.newPage();
  const errors = [];
  p.on('pageerror', (e) => errors.push(String(e)));
  p.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  p.on('response', (r) => {
    if (r.status() >= 400 && !r.url().includes('/v1/')) errors.push(`${r.status()} ${r.url()}`);
  });
  return { p, errors };
}

/** Finds one customer with the ID filter and opens its More > Prerequisites. */
async function openPrerequisites(p, id) {
  await p.fill('#f-id', id);
  await p.click('#filters button[type="submit"]');
  await p.waitForSelector(`tr[data-customer-id="${id}"]`);
  await p.waitForFunction(
    () => document.querySelector('onbehalf-customer-table').shadowRoot.querySelector('#total').dataset.total === '1',
  );
  await p.click(`tr[data-customer-id="${id}"] details.more summary`);
  await p.click(`tr[data-customer-id="${id}"] details.more button:has-text("Prerequisites")`);
  await p.waitForFunction(
    (want) =>
      document.querySelector('onbehalf-customer-table').shadowRoot.querySelector('#agreement')?.dataset.match !==
        undefined &&
      document
        .querySelector('onbehalf-customer-table')
        .shadowRoot.querySelector('#detail-title')
        .textContent.includes(want),
    id,
  );
}

test("the prerequisite view shows the API report next to the browser module's, identical", async () => {
  const { p, errors } = await page();
  await p.goto(`${BASE}/#key=${key('skyline-operator')}`);
  await p.waitForSelector('body[data-ready="true"]');
  assert.equal(new URL(p.url()).hash, '', 'the key leaves the address bar');
  assert.match(await p.textContent('#whoami'), /Skyline Cloud \(reseller\)/);

  // Masked names only.
  const table = await p.textContent('#customer-table');
  assert.ok(!table.includes('Acme Trading Ltd.') && table.includes('***'));

  for (const [id, can] of [
    [demo.customers.ready, true],
    [demo.customers.referral, false],
  ]) {
    await openPrerequisites(p, id);
    assert.equal(await p.getAttribute('#agreement', 'data-match'), 'true', 'browser and API agree');
    const apiText = await p.textContent('#api-verdict');
    const wasmText = await p.textContent('#wasm-verdict');
    assert.equal(apiText, wasmText);
    assert.equal(apiText.startsWith('You can place orders'), can, apiText);
    assert.equal(await p.locator('#wasm-checks li').count(), 8);
    if (!can) {
      assert.match(await p.getAttribute('#wasm-verdict', 'data-blocking'), /\bassociation_not_reseller_mode\b/);
      // People read the check's message and its remedy, not the code (codes stay under Developer details).
      assert.match(apiText, /referral mode; ordering on behalf needs reseller mode/);
      assert.match(
        await p.textContent('#api-checks'),
        /What to do: Ask the customer to associate with you in reseller mode/,
      );
      assert.ok(!(await p.textContent('#api-checks')).includes('association_not_reseller_mode'));
      // The More menu explains why ordering is disabled, in words.
      const order = p.locator(`tr[data-customer-id="${id}"] details.more button:has-text("Place order")`);
      assert.equal(await order.isDisabled(), true);
      assert.match(await order.textContent(), /needs a customer associated in reseller mode/);
      assert.ok(!(await order.textContent()).includes('association_not_reseller_mode'));
    }
    await p.screenshot({ path: `${ARTIFACTS}/prerequisites-${can ? 'ready' : 'referral'}.png`, fullPage: true });
  }

  // The shared fixtures through the module as this page loaded it: same verdicts as the host and wasm tests.
  const fixtures = JSON.parse(readFileSync('tests/fixtures/prerequisites.json', 'utf8'));
  const got = await p.evaluate(async (fx) => {
    const mod = await import('/pkg/onbehalf.js');
    return {
      cases: fx.cases.map((c) => {
        const r = mod.checkPrerequisites(c.input);
        return { can_order: r.can_order, blocking: r.blocking, warnings: r.warnings };
      }),
      errors: fx.errors.map((c) => mod.checkPrerequisites(c.input).error.code),
    };
  }, fixtures);
  assert.deepEqual(
    got.cases,
    fixtures.cases.map((c) => c.expect),
  );
  assert.deepEqual(
    got.errors,
    fixtures.errors.map((c) => c.expect_error.code),
  );
  assert.deepEqual(errors, []);
});

test('Customer Management: filter, sort, page, reveal a column with a reason', async () => {
  const { p, errors } = await page();
  await p.goto(`${BASE}/#key=${key('skyline-operator')}`);
  await p.waitForSelector('body[data-ready="true"]');
  const loads = async () => Number(await p.getAttribute('body', 'data-loads'));

  // Filter: frozen customers only; the total matches the API's.
  let before = await loads();
  await p.selectOption('#f-frozen', 'frozen');
  await p.waitForFunction((n) => Number(document.body.dataset.loads) > n, before);
  const api_ = await api('GET', '/v1/customers?frozen=true&limit=1', { as: 'skyline-operator' });
  assert.equal(await p.getAttribute('#total', 'data-total'), String(api_.body.total));
  const chips = await p.locator('#customer-table tbody tr .tag.frozen').count();
  assert.equal(chips, await p.locator('#customer-table tbody tr').count(), 'every row is frozen');

  // Sort by spend, ascending then descending.
  before = await loads();
  await p.click('th button[data-sort="mtd_spend"]');
  await p.waitForFunction((n) => Number(document.body.dataset.loads) > n, before);
  assert.equal(await p.getAttribute('th:has(button[data-sort="mtd_spend"])', 'aria-sort'), 'ascending');

  // Reset, then page forward.
  before = await loads();
  await p.click('#filters button[type="reset"]');
  await p.waitForFunction((n) => Number(document.body.dataset.loads) > n, before);
  const firstPage = await p
    .locator('#customer-table tbody tr')
    .evaluateAll((rows) => rows.map((r) => r.dataset.customerId));
  before = await loads();
  await p.click('#next');
  await p.waitForFunction((n) => Number(document.body.dataset.loads) > n, before);
  const second = await p
    .locator('#customer-table tbody tr')
    .evaluateAll((rows) => rows.map((r) => r.dataset.customerId));
  assert.equal(second.filter((id) => firstPage.includes(id)).length, 0, 'page 2 repeats nothing of page 1');
  assert.match(await p.textContent('#pageinfo'), /page 2 of/);

  // Reveal the name column of this page: a reason is required, then names show in clear.
  await p.click('th button.eye[data-field="real_name"]');
  await p.fill('#reveal-reason', 'ok');
  await p.click('#reveal-form button[type="submit"]');
  assert.equal(await p.isVisible('#reveal-dialog'), true, 'a 2-character reason is refused by the form');
  await p.fill('#reveal-reason', 'quarterly review with the account manager');
  await p.click('#reveal-form button[type="submit"]');
  await p.waitForFunction(
    () =>
      document
        .querySelector('onbehalf-customer-table')
        .shadowRoot.querySelectorAll('td.revealed[data-field="real_name"]').length > 0,
  );
  const names = await p.locator('td[data-field="real_name"]').allTextContents();
  assert.ok(
    names.every((n) => !n.includes('***')),
    names.join('|'),
  );
  assert.ok((await p.locator('td[data-field="mobile"].masked').count()) > 0, 'other columns stay masked');
  await p.screenshot({ path: `${ARTIFACTS}/customer-management.png`, fullPage: true });
  const audit = await api('GET', '/v1/audit?limit=100', { as: 'skyline-admin' });
  const events = audit.body.events.filter(
    (e) => e.action === 'customer.revealed' && e.detail.reason === 'quarterly review with the account manager',
  );
  assert.equal(events.length, second.length, 'one audit event per revealed customer');
  assert.deepEqual(errors, []);
});

test("a distributor sees its resellers' customers with a Reseller column and can narrow to one reseller", async () => {
  const { p, errors } = await page();
  await p.goto(`${BASE}/#key=${key('northwind-viewer')}`);
  await p.waitForSelector('body[data-ready="true"]');
  assert.equal(await p.isVisible('th.partner-col'), true);
  const names = new Set(await p.locator('td.partner-col').allTextContents());
  assert.ok(
    [...names].every((n) => n !== ''),
    'every row names its partner',
  );
  const before = Number(await p.getAttribute('body', 'data-loads'));
  await p.selectOption('#f-reseller', demo.partners.reseller);
  await p.waitForFunction((n) => Number(document.body.dataset.loads) > n, before);
  const after = new Set(await p.locator('td.partner-col').allTextContents());
  assert.deepEqual([...after], ['Skyline Cloud']);
  const total = await api('GET', `/v1/customers?reseller_id=${demo.partners.reseller}&limit=1`, {
    as: 'northwind-viewer',
  });
  assert.equal(await p.getAttribute('#total', 'data-total'), String(total.body.total));
  assert.deepEqual(errors, []);
});

test('keyboard: the More menu opens and acts with Enter', async () => {
  const { p } = await page();
  await p.goto(`${BASE}/#key=${key('skyline-viewer')}`);
  await p.waitForSelector('body[data-ready="true"]');
  await p.fill('#f-id', demo.customers.ready);
  await p.press('#f-id', 'Enter');
  await p.waitForFunction(
    () => document.querySelector('onbehalf-customer-table').shadowRoot.querySelector('#total').dataset.total === '1',
  );
  await p.focus(`tr[data-customer-id="${demo.customers.ready}"] details.more summary`);
  await p.keyboard.press('Enter');
  const prereq = p.locator(
    `tr[data-customer-id="${demo.customers.ready}"] details.more button:has-text("Prerequisites")`,
  );
  await prereq.focus();
  await p.keyboard.press('Enter');
  await p.waitForFunction(
    () =>
      document.querySelector('onbehalf-customer-table').shadowRoot.querySelector('#agreement')?.dataset.match ===
      'true',
  );
  assert.match(await p.getAttribute('#api-verdict', 'data-blocking'), /role_cannot_order/);
  assert.match(await p.textContent('#api-verdict'), /may not place orders on behalf/);
  assert.equal(await p.isVisible('th button.eye'), false, 'a viewer sees no eye icons');
  const request = p.locator(
    `tr[data-customer-id="${demo.customers.ready}"] details.more button:has-text("Request authorization")`,
  );
  assert.equal(await request.isDisabled(), true, 'a viewer cannot request authorization');
});

test('a customer approves a request on the consent page with the SMS code', async () => {
  const c = await healthyCustomer('skyline-operator', demo.partners.reseller, 4);
  const req = await api('POST', `/v1/customers/${c.id}/authorizations`, {
    as: 'skyline-operator',
    body: { capabilities: ['order', 'om'], valid_days: 60 },
  });
  assert.equal(req.status, 201, req.text);
  const { token, code } = await latestConsent(c.id);
  const { p, errors } = await page();
  await p.goto(`${BASE}/consent.html#token=${token}`);
  await p.waitForFunction(
    () =>
      document.querySelector('onbehalf-consent').shadowRoot.querySelector('#consent-state').textContent === 'pending',
  );
  assert.match(await p.textContent('#consent-title'), /Skyline Cloud asks/);
  // Narrow to O&M only, then approve with the code.
  await p.uncheck('input[value="order"]');
  await p.fill('#code', code);
  await p.click('#approve-form button[type="submit"]');
  await p.waitForFunction(
    () =>
      document.querySelector('onbehalf-consent').shadowRoot.querySelector('#consent-state').textContent === 'active',
  );
  // After approval the page says what was granted and until when, naming the customer's own account in clear.
  const reveal = await api('POST', `/v1/customers/${c.id}/reveal`, {
    as: 'skyline-operator',
    body: { fields: ['account_name'], reason: 'test: compare with the consent page' },
  });
  assert.equal(reveal.status, 200, reveal.text);
  assert.ok(
    (await p.textContent('#consent-summary')).includes(`your account ${reveal.body.account_name}`),
    await p.textContent('#consent-summary'),
  );
  assert.match(
    await p.textContent('#consent-message'),
    /You authorized Skyline Cloud to operate your resources \(O&M\) for your account .* until \d{4}-\d\d-\d\d \d\d:\d\d/,
  );
  // The customer's own view of the audit trail: the request, then its approval.
  await p.waitForSelector('#activity li[data-action="authorization.approved"]');
  assert.ok(await p.$('#activity li[data-action="authorization.requested"]'));
  await p.screenshot({ path: `${ARTIFACTS}/consent-approved.png`, fullPage: true });
  const list = await api('GET', `/v1/customers/${c.id}/authorizations`, { as: 'skyline-operator' });
  assert.deepEqual(list.body.authorizations[0].capabilities, ['om']);
  // O&M only: the partner still cannot order, and says why.
  const report = await api('GET', `/v1/customers/${c.id}/prerequisites`, { as: 'skyline-operator' });
  assert.ok(report.body.blocking.includes('authorization_lacks_order'), report.body.blocking);
  // Revoke from the same page.
  await p.fill('#reason', 'changed my mind');
  await p.click('#revoke-form button[type="submit"]');
  await p.waitForFunction(
    () =>
      document.querySelector('onbehalf-consent').shadowRoot.querySelector('#consent-state').textContent === 'revoked',
  );
  assert.deepEqual(errors, []);
});

test('the consent page explains the agency and records the account and agency the customer confirms', async () => {
  const c = await healthyCustomer('skyline-operator', demo.partners.reseller, 5);
  const req = await api('POST', `/v1/customers/${c.id}/authorizations`, {
    as: 'skyline-operator',
    body: { capabilities: ['order'], valid_days: 30 },
  });
  assert.equal(req.status, 201, req.text);
  const { token, code } = await latestConsent(c.id);
  const { p, errors } = await page();
  await p.goto(`${BASE}/consent.html#token=${token}`);
  await p.waitForSelector('#agency:not([hidden])');
  assert.match(await p.textContent('#agency-help'), /IAM > Agencies > Create Agency/);
  assert.match(await p.inputValue('#agency-name'), /^onbehalf-skyline/, 'the suggested name');
  await p.fill('#agency-domain', 'acme-trading-hw');
  await p.fill('#agency-name', 'onbehalf skyline');
  await p.fill('#code', code);
  await p.click('#approve-form button[type="submit"]');
  await p.waitForFunction(
    () =>
      document.querySelector('onbehalf-consent').shadowRoot.querySelector('#consent-state').textContent === 'active',
  );
  const acc = await api('GET', `/v1/customers/${c.id}/huawei-account`, { as: 'skyline-operator' });
  assert.deepEqual([acc.body.domain_name, acc.body.agency_name], ['acme-trading-hw', 'onbehalf skyline']);
  await p.waitForSelector('#activity li[data-action="huawei_account.set"]');
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

test('every theming property README documents changes how the portal and its components look', async () => {
  // The documented list, read from README's Theming paragraph, so the documentation and this test agree.
  const readme = readFileSync('README.md', 'utf8');
  const para = readme.slice(readme.indexOf('Theming: one vocabulary'), readme.indexOf('::part(...)'));
  const props = [...new Set(para.match(/--onbehalf-[a-z-]+/g))];
  assert.ok(props.length >= 12, `documented: ${props}`);
  const { p, errors } = await page();
  await p.goto(`${BASE}/#key=${key('skyline-operator')}`);
  await p.waitForSelector('body[data-ready="true"]');
  // The computed look of every element, in the page and in every shadow root.
  const look = () =>
    p.evaluate(() => {
      const out = [];
      const walk = (root) => {
        for (const e of root.querySelectorAll('*')) {
          const s = getComputedStyle(e);
          out.push(
            [s.color, s.backgroundColor, s.borderTopColor, s.outlineColor, s.fontFamily, s.borderTopLeftRadius].join(
              '|',
            ),
          );
          if (e.shadowRoot) walk(e.shadowRoot);
        }
      };
      walk(document);
      return out.join('\n');
    });
  const before = await look();
  const value = (prop) => (prop.endsWith('-font') ? 'monospace' : prop.endsWith('-radius') ? '17px' : 'rgb(1, 2, 3)');
  const inert = [];
  for (const prop of props) {
    await p.evaluate(([k, v]) => document.documentElement.style.setProperty(k, v), [prop, value(prop)]);
    if ((await look()) === before) inert.push(prop);
    await p.evaluate((k) => document.documentElement.style.removeProperty(k), prop);
  }
  assert.deepEqual(inert, [], 'documented properties without an effect');
  assert.equal(await look(), before, 'removing them restores the look');
  assert.deepEqual(errors, []);
});

test('the search is in the address: Back and Forward walk through filters and pages, a link opens the same result', async () => {
  const { p, errors } = await page();
  await p.goto(`${BASE}/#key=${key('skyline-operator')}`);
  await p.waitForSelector('body[data-ready="true"]');
  const loads = () => p.evaluate(() => Number(document.body.dataset.loads ?? 0));
  const after = async (act) => {
    const n = await loads();
    await act();
    await p.waitForFunction((want) => Number(document.body.dataset.loads) > want, n);
  };
  const firstRow = () => p.getAttribute('#customer-table tbody tr', 'data-customer-id');
  const unfiltered = await firstRow();
  await after(() => p.selectOption('#f-assoc', '3'));
  assert.match(p.url(), /\?association_type=3$/);
  const page1 = await firstRow();
  await after(() => p.click('#next'));
  assert.match(p.url(), /association_type=3&page=1&cursor=/);
  const page2 = await firstRow();
  assert.notEqual(page2, page1);
  const link = p.url();
  await after(() => p.goBack());
  assert.equal(await firstRow(), page1, 'Back: the first page of the filtered list');
  assert.equal(await p.inputValue('#f-assoc'), '3');
  await after(() => p.goForward());
  assert.equal(await firstRow(), page2, 'Forward: page 2 again');
  await p.waitForTimeout(300);
  assert.equal(p.url(), link, 'the address is not rewritten by a second load');
  await after(() => p.goBack());
  await after(() => p.goBack());
  assert.equal(await p.inputValue('#f-assoc'), '', 'Back twice: no filter');
  assert.equal(await firstRow(), unfiltered);
  await after(() => p.goForward());
  assert.equal(await p.inputValue('#f-assoc'), '3', 'Forward: the filter again');
  // The address of page 2 opened afresh shows page 2 with its filter.
  await p.goto(link);
  await p.waitForSelector('body[data-ready="true"]');
  await p.waitForFunction(() => Number(document.body.dataset.loads) > 0);
  assert.equal(await firstRow(), page2);
  assert.equal(await p.inputValue('#f-assoc'), '3');
  // Restoring a search is one load, not a second one behind it (which would land on page 1).
  await p.waitForTimeout(500);
  assert.equal(await p.evaluate(() => document.body.dataset.loads), '1');
  assert.equal(p.url(), link);
  assert.deepEqual(errors, []);
});

test('Request authorization is a dialog: capabilities, validity, commitment; a pending request is resent or withdrawn', async () => {
  const list = await api('GET', '/v1/customers?authorization=none&association_type=3&limit=100', {
    as: 'skyline-operator',
  });
  const c = list.body.customers.findLast((x) => x.association.partner_id === demo.partners.reseller);
  assert.ok(c, 'a reseller-mode customer without authorization');
  const { p, errors } = await page();
  await p.goto(`${BASE}/#key=${key('skyline-operator')}`);
  await p.waitForSelector('body[data-ready="true"]');
  await p.fill('#f-id', c.id);
  await p.press('#f-id', 'Enter');
  await p.waitForSelector(`tr[data-customer-id="${c.id}"]`);
  await p.click(`tr[data-customer-id="${c.id}"] details.more summary`);
  await p.click(
    `tr[data-customer-id="${c.id}"] details.more button[role="menuitem"]:text-is("Request authorization…")`,
  );
  await p.waitForSelector('#op-dialog[open]');
  // Nothing is sent without the commitment.
  await p.uncheck('#op-cap-om');
  await p.fill('#op-valid_days', '90');
  await p.click('#op-ok');
  assert.equal(await p.isVisible('#op-dialog[open]'), true, 'the dialog stays: the commitment is required');
  let auths = await api('GET', `/v1/customers/${c.id}/authorizations`, { as: 'skyline-operator' });
  assert.equal(auths.body.authorizations.filter((a) => a.state === 'pending').length, 0);
  await p.check('#op-commitment');
  await p.click('#op-ok');
  await p.waitForFunction(() =>
    document
      .querySelector('onbehalf-customer-table')
      .shadowRoot.querySelector('#announce')
      .textContent.startsWith('Authorization requested'),
  );
  auths = await api('GET', `/v1/customers/${c.id}/authorizations`, { as: 'skyline-operator' });
  const pending = auths.body.authorizations.find((a) => a.state === 'pending');
  assert.deepEqual(pending.capabilities, ['order']);
  assert.equal(pending.valid_days, 90);
  // The pending request: Resend within a minute is refused with the reason, in the dialog; Withdraw works.
  await p.waitForSelector(`tr[data-customer-id="${c.id}"]`);
  await p.click(`tr[data-customer-id="${c.id}"] details.more summary`);
  await p.click(
    `tr[data-customer-id="${c.id}"] details.more button[role="menuitem"]:text-is("Authorization request…")`,
  );
  await p.waitForSelector('#op-dialog[open]');
  assert.match(await p.textContent('#op-what'), /asked .* for order placement, 90 days after approval/);
  // Where each message stands (dev mode, no channel: held in the dev outbox).
  assert.match(await p.textContent('#op-messages'), /Email with the consent link via the dev outbox: held, not sent/);
  assert.match(
    await p.textContent('#op-messages'),
    /SMS with the verification code via the dev outbox: held, not sent/,
  );
  await p.click('#op-ok');
  await p.waitForFunction(
    () => document.querySelector('onbehalf-customer-table').shadowRoot.querySelector('#op-error').textContent !== '',
  );
  assert.match(await p.textContent('#op-error'), /retry in \d+ s/);
  await p.fill('#op-reason', 'asked the wrong person');
  await p.click('#op-withdraw');
  await p.waitForFunction(() =>
    document
      .querySelector('onbehalf-customer-table')
      .shadowRoot.querySelector('#announce')
      .textContent.includes('was withdrawn'),
  );
  auths = await api('GET', `/v1/customers/${c.id}/authorizations`, { as: 'skyline-operator' });
  assert.equal(auths.body.authorizations.find((a) => a.id === pending.id).state, 'withdrawn');
  // The refused resend is the one expected failure (Chromium logs the 429 of its fetch).
  assert.deepEqual(
    errors.filter((e) => !/status of 429/.test(e)),
    [],
  );
});
