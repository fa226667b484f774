// Select Products against Huawei Cloud (the emulator): the pickers list the customer's own VPCs,
// subnets, security groups and key pairs instead of id fields, the project is the customer's real one,
// and an order Huawei provisions shows processing, then completed. Runs in the Huawei suite
// (scripts/run-http-tests.mjs: a worker with UPSTREAM=huawei and ONBEHALF_EMULATOR).

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { launchChromium } from '../../scripts/lib/chromium.mjs';
import { api, BASE, demo, key } from '../http/helpers.mjs';

const EMU = process.env.ONBEHALF_EMULATOR;
const C = demo.customers.ready;
let browser;

const emu = async (path, body) => (await fetch(EMU + path, { method: 'POST', body: JSON.stringify(body) })).json();

before(async () => {
  browser = await launchChromium({ resend: true });
  // A partner admin's configuration, as README describes it (idempotent: set again here).
  const k = { ak: `PG${randomBytes(9).toString('hex').toUpperCase()}`, sk: randomBytes(20).toString('hex') };
  await emu('/_emulator/partners', { ...k, domain_name: 'skyline-page' });
  const account = { domain_name: 'cust-ready-page', agency_name: 'onbehalf-skyline' };
  await emu('/_emulator/customers', {
    domain_name: account.domain_name,
    agencies: [{ name: account.agency_name, trusts: 'skyline-page' }],
  });
  const body = { access_key_id: k.ak, secret_access_key: k.sk };
  assert.equal((await api('PUT', '/v1/huawei-key', { as: 'skyline-admin', body })).status, 200);
  assert.equal(
    (await api('PUT', `/v1/customers/${C}/huawei-account`, { as: 'skyline-operator', body: account })).status,
    200,
  );
});
after(async () => {
  await browser?.close();
});

const inForm = (p, js) => p.waitForFunction(js, null, { timeout: 30_000 });

test("pickers from the customer's project, then an order Huawei provisions: processing, then completed", async () => {
  const p = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
  const errors = [];
  p.on('pageerror', (e) => errors.push(String(e)));
  await p.goto(`${BASE}/#key=${key('skyline-operator')}`);
  await p.waitForSelector('body[data-ready="true"]');
  await p.fill('#f-id', C);
  await p.click('#filters button[type="submit"]');
  await p.waitForSelector(`tr[data-customer-id="${C}"]`);
  await p.click(`tr[data-customer-id="${C}"] details.more summary`);
  await p.click(`tr[data-customer-id="${C}"] details.more button:has-text("Place order on customer's behalf")`);
  await p.click('#switch-ok');
  await p.waitForURL(/\/order(\.html)?\?customer=/);
  await p.waitForSelector('#session-banner[data-state="live"]');
  await inForm(
    p,
    () => !document.querySelector('onbehalf-order-form').shadowRoot.querySelector('#ecs-vpc-pick').hidden,
  );
  // Pickers, not id fields; the project is the customer's own.
  assert.equal(await p.isVisible('#ecs-vpc'), false, 'the id field gives way to the picker');
  const vpcs = await p.$$eval('#ecs-vpc-pick option', (os) => os.map((o) => o.textContent));
  assert.deepEqual(
    vpcs.map((t) => t.split(' · ')[0]),
    ['vpc-prod', 'vpc-test'],
  );
  assert.match(await p.textContent('#pick-note'), /\(huawei\)/);
  // Choosing another VPC lists its own subnets and security groups, and the draft follows.
  const second = await p.$eval('#ecs-vpc-pick', (s) => s.options[1].value);
  await p.selectOption('#ecs-vpc-pick', second);
  await inForm(p, () =>
    /vpc-test/.test(
      document.querySelector('onbehalf-order-form').shadowRoot.querySelector('#ecs-subnet-pick').textContent,
    ),
  );
  const draft = await p.evaluate(() => window.onbehalfOrder.draft());
  assert.equal(draft.ecs.vpc_id, second);
  assert.equal(draft.ecs.login.key_name, 'kp-default');
  assert.equal(await p.getAttribute('#draft-form', 'data-valid'), 'true', await p.textContent('#other-errors'));
  await p.click('#place-order');
  await p.waitForSelector('#order-result[data-status]');
  assert.equal(await p.getAttribute('#order-result', 'data-status'), '202', await p.textContent('#order-result'));
  assert.equal(await p.getAttribute('#order-result', 'data-order-status'), '3');
  assert.match(await p.textContent('#priced-by'), /Priced by Huawei Cloud/);
  await inForm(
    p,
    () =>
      document.querySelector('onbehalf-order-form').shadowRoot.querySelector('#order-result').dataset.orderStatus ===
      '5',
  );
  assert.equal(await p.getAttribute('#tracking', 'data-state'), 'succeeded');
  await p.screenshot({ path: 'tests/artifacts/order-huawei.png', fullPage: true });
  assert.deepEqual(errors, []);
});
