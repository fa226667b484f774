// Select Products (www/order.html) in Debian's headless Chromium, and the "same fixtures, same
// answers" check: every shared draft fixture through the browser module in this Chromium and
// through the API, compared as JSON (errors, payloads and quotes for the same customer).

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { launchChromium } from '../../scripts/lib/chromium.mjs';
import { api, BASE, demo, key } from '../http/helpers.mjs';

const ARTIFACTS = 'tests/artifacts';
const fixtures = JSON.parse(readFileSync('tests/fixtures/drafts.json', 'utf8'));
let browser;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchChromium({ resend: true });
});
after(async () => {
  await browser?.close();
});

async function orderPage(as = 'skyline-operator', customer = demo.customers.ready) {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const p = await ctx.newPage();
  const errors = [];
  p.on('pageerror', (e) => errors.push(String(e)));
  p.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await p.goto(`${BASE}/#key=${key(as)}`);
  await p.waitForSelector('body[data-ready="true"]');
  await p.goto(`${BASE}/order.html?customer=${customer}`);
  await p.waitForSelector('body[data-ready="true"]');
  return { p, errors };
}

const draftOf = (p) => p.evaluate(() => window.onbehalfOrder.draft());
const errorAt = (p, path) => p.getAttribute(`[data-path="error:${path}"]`, 'data-code');
const valid = (p) => p.getAttribute('#draft-form', 'data-valid');

test('ECS form: valid by default, payload panel is what the API builds, errors appear next to their fields', async () => {
  const { p, errors } = await orderPage();
  // Named by its full id: no masked name, and no clear name the user did not reveal.
  assert.match(await p.textContent('#customer-label'), /^for customer [0-9a-f]{32}/);
  assert.equal(await valid(p), 'true', await p.textContent('#other-errors'));
  // The payload panel shows exactly what POST /v1/drafts/payload returns for the same draft.
  const d = await draftOf(p);
  const server = await api('POST', '/v1/drafts/payload', {
    as: 'skyline-operator',
    body: { draft: d, project_id: await p.inputValue('#project') },
  });
  assert.equal(server.status, 200, server.text);
  const panel = await p.textContent('#payload');
  assert.equal(panel, `${server.body.method} ${server.body.path}\n${JSON.stringify(server.body.body, null, 2)}`);
  assert.match(panel, /"isAutoPay": "true"/, 'ECS flags are strings');
  // The quote shows the budget impact of the real customer.
  assert.match(await p.textContent('[data-testid="total"]'), /Total: [\d,.]+ USD/);
  assert.ok((await p.getAttribute('[data-testid="budget-impact"]', 'data-level')) !== null);
  await p.screenshot({ path: `${ARTIFACTS}/order-ecs-valid.png`, fullPage: true });

  // Provoke errors as a user would: they appear as you type, next to the field, by path.
  await p.fill('#period-num', '12');
  await p.fill('[data-path="ecs.data_disks.0.size"]', '5');
  await p.fill('#root-size', '20');
  await p.fill('#ecs-bw-size', '420');
  await p.fill('#op-user', '');
  assert.equal(await valid(p), 'false');
  assert.equal(await errorAt(p, 'billing.period_num'), 'out_of_range');
  assert.equal(await errorAt(p, 'ecs.data_disks.0.size'), 'out_of_range');
  assert.equal(await errorAt(p, 'ecs.root_disk.size'), 'below_image_minimum');
  assert.equal(await errorAt(p, 'ecs.eip.bandwidth.size'), 'bandwidth_step');
  assert.equal(await errorAt(p, 'ecs.metadata.op_svc_userid'), 'required');
  assert.equal(await p.getAttribute('#root-size', 'aria-invalid'), 'true');
  assert.equal(await p.textContent('#payload'), '', 'no payload while the draft is invalid');
  // The API says the same about the same draft: every error the page shows, and no other.
  const same = await api('POST', '/v1/drafts/validate', { as: 'skyline-operator', body: await draftOf(p) });
  const shown = await p.$$eval('[data-path^="error:"]', (els) =>
    els.map((e) => `${e.dataset.path.slice(6)} ${e.dataset.code}`).sort(),
  );
  assert.deepEqual(shown, same.body.error.details.map((x) => `${x.path.join('.')} ${x.code}`).sort());
  await p.screenshot({ path: `${ARTIFACTS}/order-ecs-errors.png`, fullPage: true });

  // Fix them: valid again; a GPSSD2 disk in yearly/monthly is refused, pay-per-use needs its IOPS.
  await p.fill('#period-num', '3');
  await p.fill('[data-path="ecs.data_disks.0.size"]', '100');
  await p.fill('#root-size', '40');
  await p.fill('#ecs-bw-size', '400');
  await p.fill('#op-user', '8ea65f4099ba412883e2a0de932ea2e0');
  assert.equal(await valid(p), 'true', await p.textContent('#other-errors'));
  await p.selectOption('[data-path="ecs.data_disks.0.type"]', 'GPSSD2');
  assert.equal(await errorAt(p, 'ecs.data_disks.0.type'), 'pay_per_use_only');
  await p.selectOption('#mode', 'pay_per_use');
  assert.equal(await p.isHidden('#period-num'), true);
  assert.match(await p.textContent('#other-errors'), /throughput/);
  assert.equal(await errorAt(p, 'ecs.data_disks.0.iops'), 'required');
  await p.fill('[data-path="ecs.data_disks.0.iops"]', '3000');
  await p.selectOption('[data-path="ecs.data_disks.0.type"]', 'SAS');
  await p.fill('[data-path="ecs.data_disks.0.iops"]', '');
  assert.equal(await valid(p), 'true', await p.textContent('#other-errors'));
  assert.match(await p.textContent('[data-testid="total"]'), /Estimated month/);
  assert.match(await p.textContent('#quote'), /Hourly rate/);

  // Store the quote: the API prices it the same.
  await p.click('#save-quote');
  await p.waitForSelector('#quote-result[data-status]');
  assert.equal(await p.getAttribute('#quote-result', 'data-status'), '201', await p.textContent('#quote-result'));
  assert.match(await p.textContent('#quote-result'), /Quote qt_[0-9a-f]{24}/);
  const shownTotal = (await p.textContent('[data-testid="total"] strong')).trim();
  assert.ok(
    (await p.textContent('#quote-result')).includes(shownTotal),
    'the stored quote has the total the page showed',
  );
  assert.deepEqual(errors, []);
});

test('EVS and EIP forms build their Huawei payloads; errors by path', async () => {
  const { p, errors } = await orderPage();
  await p.check('input[name="service"][value="evs"]');
  await p.selectOption('#period-type', 'year');
  assert.equal(await valid(p), 'true', await p.textContent('#other-errors'));
  let panel = await p.textContent('#payload');
  assert.match(panel, /^POST \/v2\.1\/[0-9a-f]{32}\/cloudvolumes/);
  assert.match(panel, /"bssParam"/);
  await p.fill('#period-num', '2');
  assert.equal(await errorAt(p, 'billing.period_num'), 'out_of_range', 'a standalone EVS disk is sold for 1 year only');
  await p.fill('#period-num', '1');
  await p.fill('#evs-size', '40000');
  assert.equal(await errorAt(p, 'evs.size'), 'out_of_range');
  await p.fill('#evs-size', '500');
  await p.screenshot({ path: `${ARTIFACTS}/order-evs.png`, fullPage: true });

  await p.check('input[name="service"][value="eip"]');
  await p.selectOption('#period-type', 'month');
  assert.equal(await valid(p), 'true', await p.textContent('#other-errors'));
  panel = await p.textContent('#payload');
  assert.match(panel, /^POST \/v2\.0\/[0-9a-f]{32}\/publicips/);
  assert.match(panel, /"is_auto_pay": true/, 'EIP flags are booleans');
  await p.selectOption('#eip-share', 'WHOLE');
  assert.equal(await errorAt(p, 'eip.bandwidth.id'), 'required');
  await p.fill('#eip-bw-id', '9d4f3a2e-1c0b-4a5d-8e7f-6a5b4c3d2e1f');
  await p.selectOption('#mode', 'pay_per_use');
  assert.equal(await valid(p), 'true', await p.textContent('#other-errors'));
  assert.match(await p.textContent('#payload'), /^POST \/v1\/[0-9a-f]{32}\/publicips/);
  await p.selectOption('#region', 'ap-southeast-2');
  await p.selectOption('#eip-type', '5_sbgp');
  assert.equal(await errorAt(p, 'eip.type'), 'unavailable_in_region');
  await p.screenshot({ path: `${ARTIFACTS}/order-eip.png`, fullPage: true });
  assert.deepEqual(errors, []);
});

test('same fixtures, same answers: the browser module in Chromium and the API agree on every draft', async () => {
  const { p } = await orderPage();
  const customer = (await api('GET', `/v1/customers/${demo.customers.ready}`, { as: 'skyline-operator' })).body;
  const local = await p.evaluate(
    async ({ list, customer }) => {
      const m = await import('/pkg/onbehalf.js');
      await m.default();
      return list.map((f) => ({
        name: f.name,
        validate: m.validateOrder(f.draft),
        payload: m.buildOrderPayload(f.draft, f.project_id),
        quote: m.quoteOrder(f.draft, { id: customer.id, budget: customer.budget }),
      }));
    },
    { list: fixtures.fixtures, customer },
  );
  assert.equal(local.length, fixtures.fixtures.length);
  for (const [i, f] of fixtures.fixtures.entries()) {
    const b = local[i];
    const v = await api('POST', '/v1/drafts/validate', { as: 'skyline-operator', body: f.draft });
    const pl = await api('POST', '/v1/drafts/payload', {
      as: 'skyline-operator',
      body: { draft: f.draft, project_id: f.project_id },
    });
    const q = await api('POST', '/v1/quotes', { as: 'skyline-operator', body: f.draft });
    assert.deepEqual(b.validate, v.body, `${f.name}: validate`);
    assert.deepEqual(b.payload, pl.body, `${f.name}: payload`);
    assert.deepEqual(b.quote, q.status === 201 ? q.body.quote : q.body, `${f.name}: quote, budget impact included`);
  }
});
