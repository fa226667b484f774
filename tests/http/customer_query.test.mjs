// Customer Management's query over HTTP: each filter, combinations, sorting, paging, errors, isolation.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, assertError, demo, sql } from './helpers.mjs';

const R = demo.partners.reseller;
const as = 'skyline-operator';

/** Query string from an object; array values repeat the parameter (`tag=a&tag=b`). */
function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const x of [].concat(v)) u.append(k, x);
  return u.toString();
}

async function list(params, who = as) {
  const qs_ = qs(params);
  const r = await api('GET', `/v1/customers?${qs_}`, { as: who });
  assert.equal(r.status, 200, `${qs_}: ${r.text}`);
  return r.body;
}

/** Every row of a query, walking the cursors. */
async function all(params, who = as) {
  const rows = [];
  let cursor;
  let total;
  for (let i = 0; i < 100; i += 1) {
    const page = await list({ ...params, limit: '40', ...(cursor ? { cursor } : {}) }, who);
    total = page.total;
    // Under 1,000 matches the count is exact (filtered counts stop after 1,000: docs/scale.md).
    assert.equal(page.total_exact, true);
    rows.push(...page.customers);
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }
  assert.equal(rows.length, total, 'walking the pages yields exactly the total');
  assert.equal(new Set(rows.map((r) => r.id)).size, rows.length, 'no row twice');
  return rows;
}

test('each filter alone returns exactly the matching rows', async () => {
  const everyone = await all({});
  assert.ok(everyone.length > 50);
  assert.ok(
    everyone.every((c) => c.association.partner_id === R),
    'a reseller sees only its customers',
  );

  const check = async (params, pred, label) => {
    const rows = await all(params);
    const expected = everyone
      .filter(pred)
      .map((c) => c.id)
      .sort();
    assert.deepEqual(rows.map((c) => c.id).sort(), expected, label);
    return rows;
  };
  await check({ frozen: 'true' }, (c) => c.frozen.frozen, 'frozen');
  await check({ auto_frozen: 'true' }, (c) => c.frozen.auto, 'auto-frozen');
  await check({ auto_frozen: 'false', frozen: 'true' }, (c) => c.frozen.frozen && !c.frozen.auto, 'frozen by hand');
  await check({ association_type: '1' }, (c) => c.association.type === '1', 'referral');
  const mid = everyone.map((c) => c.association.associated_on).sort()[Math.floor(everyone.length / 2)];
  await check({ associated_from: mid }, (c) => c.association.associated_on >= mid, 'associated from');
  await check({ associated_to: mid }, (c) => c.association.associated_on <= mid, 'associated to');
  await check(
    { account_manager: 'ZHANG' },
    (c) => (c.account_manager ?? '').toLowerCase().includes('zhang'),
    'manager contains, any case',
  );
  await check(
    { spend_min: '100000', spend_max: '300000' },
    (c) => c.month_to_date_spend.minor >= 100000 && c.month_to_date_spend.minor <= 300000,
    'spend range',
  );
  const exp = everyone
    .map((c) => c.earliest_expiry)
    .filter(Boolean)
    .sort()[10];
  await check({ expiry_to: exp }, (c) => c.earliest_expiry !== null && c.earliest_expiry <= exp, 'expiry before');
  await check(
    { budget_usage_min: '75', budget_usage_max: '99' },
    (c) => c.budget && c.budget.usage_percent >= 75 && c.budget.usage_percent <= 99,
    'budget 75-99 %',
  );
  await check({ tag: 'vip' }, (c) => c.tags.includes('vip'), 'one tag');
  await check({ tag: ['vip', 'gov'] }, (c) => c.tags.includes('vip') || c.tags.includes('gov'), 'any of two tags');
  await check({ can_order: 'true' }, (c) => c.can_order, 'can order now');
  await check({ can_order: 'false' }, (c) => !c.can_order, 'cannot order');
  await check({ authorization: 'active' }, (c) => c.authorization.state === 'active', 'authorization active');
  await check({ customer_id: demo.customers.ready }, (c) => c.id === demo.customers.ready, 'id');

  const ready = await all({ can_order: 'true' });
  assert.ok(
    ready.some((c) => c.id === demo.customers.ready),
    'the ready customer can order',
  );
  assert.ok(ready.every((c) => c.blocking.length === 0));
});

test('name, account and mobile search find customers without revealing them', async () => {
  const details = demo.customer_details;
  const ready = details[demo.customers.ready];
  const consent = details[demo.customers.consent];
  for (const [params, id] of [
    [{ customer_name: 'acme trad' }, demo.customers.ready],
    [{ customer_name: 'ACME' }, demo.customers.ready],
    [{ customer_name: '科技' }, demo.customers.consent],
    [{ customer_name: '示例科技有限' }, demo.customers.consent],
    [{ account_name: ready.account_name.slice(1, 6) }, demo.customers.ready],
    [{ mobile: ready.mobile }, demo.customers.ready],
    [{ mobile: `+86 ${ready.mobile}` }, demo.customers.ready],
    [{ mobile: `${consent.country_code}${consent.mobile}` }, demo.customers.consent],
  ]) {
    const page = await list(params);
    assert.ok(
      page.customers.some((c) => c.id === id),
      JSON.stringify(params),
    );
    assert.ok(
      !JSON.stringify(page).includes(ready.mobile) && !JSON.stringify(page).includes(consent.mobile),
      'the number never comes back',
    );
    assert.ok(!JSON.stringify(page).includes(ready.real_name));
  }
  assert.equal(
    (await list({ mobile: ready.mobile.replace(/.$/, (d) => String((Number(d) + 1) % 10)) })).customers.some(
      (c) => c.id === demo.customers.ready,
    ),
    false,
  );
  assert.equal((await list({ customer_name: 'no such name anywhere' })).total, 0);
});

test('sorting by each sortable column, both ways, is monotonic with ties broken by id', async () => {
  const keyOf = {
    associated_on: (c) => c.association.associated_on,
    mtd_spend: (c) => c.month_to_date_spend.minor,
    earliest_expiry: (c) => c.earliest_expiry ?? '',
    budget_usage: (c) => (c.budget ? c.budget.usage_percent : -1),
    account_manager: (c) => c.account_manager ?? '',
    customer_id: (c) => c.id,
  };
  for (const [sort, key] of Object.entries(keyOf)) {
    for (const order of ['asc', 'desc']) {
      const rows = await all({ sort, order });
      for (let i = 1; i < rows.length; i += 1) {
        const [a, b] = [key(rows[i - 1]), key(rows[i])];
        const ok =
          order === 'asc'
            ? a < b || (a === b && rows[i - 1].id < rows[i].id)
            : a > b || (a === b && rows[i - 1].id > rows[i].id);
        assert.ok(ok, `${sort} ${order} at ${i}: ${a} then ${b}`);
      }
    }
  }
});

test('a row inserted between two pages neither repeats nor vanishes', async () => {
  const first = await list({ sort: 'mtd_spend', order: 'desc', limit: '10' });
  const lastSpend = first.customers.at(-1).month_to_date_spend.minor;
  // Insert, behind the worker's back, one customer that sorts before the cursor and one after it.
  const id = (n) => `${'e'.repeat(31)}${n}`;
  const row = (n, spend) =>
    `('${id(n)}', '${R}', '3', '2026-01-01T00:00:00Z', 'inserted${n}', 'Inserted ${n}', '0086', '1300000000${n}', 'i${n}@x.example', 1, 2, 1, 'V1', 0, 0, 'USD', ${spend}, '2026-01-01T00:00:00Z')`;
  const insert =
    `INSERT INTO customers (id, partner_id, association_type, associated_on, account_name, real_name, mobile_country_code, mobile, email, account_manager, verified_status, customer_type, level, frozen, auto_frozen, currency, mtd_spend_minor, created_at) VALUES ${row(1, 999_999_999)}, ${row(2, Math.max(lastSpend - 1, 0))}`.replace(
      ", 1, 2, 1, 'V1'",
      ", NULL, 2, 1, 'V1'",
    );
  await sql(insert);
  const rest = [];
  let cursor = first.next_cursor;
  while (cursor) {
    const page = await list({ sort: 'mtd_spend', order: 'desc', limit: '10', cursor });
    rest.push(...page.customers);
    cursor = page.next_cursor;
  }
  const seen = [...first.customers, ...rest].map((c) => c.id);
  assert.equal(new Set(seen).size, seen.length, 'no repeats');
  assert.ok(!seen.includes(id(1)), 'a row that sorts before the cursor is not pulled into later pages');
  assert.ok(seen.includes(id(2)), 'a row that sorts after the cursor appears');
  const before = (await all({ sort: 'mtd_spend', order: 'desc' })).map((c) => c.id);
  assert.deepEqual(
    seen,
    before.filter((x) => x !== id(1)),
    'nothing vanished',
  );
});

test('invalid filters are 400 with a field error naming the parameter', async () => {
  for (const [params, path, code] of [
    [{ limit: '0' }, ['limit'], 'out_of_range'],
    [{ limit: '1000' }, ['limit'], 'out_of_range'],
    [{ cursor: 'not-a-cursor' }, ['cursor'], 'invalid_format'],
    [{ spend_min: '10', spend_max: '5' }, ['spend_max'], 'out_of_range'],
    [
      { associated_from: '2026-02-01T00:00:00Z', associated_to: '2026-01-01T00:00:00Z' },
      ['associated_to'],
      'out_of_range',
    ],
    [{ frozen: 'maybe' }, ['frozen'], 'invalid_value'],
    [{ colour: 'red' }, ['colour'], 'unknown_field'],
    [{ sort: 'real_name' }, ['sort'], 'invalid_value'],
    [{ mobile: 'abc' }, ['mobile'], 'invalid_format'],
    [{ budget_usage_min: '-5' }, ['budget_usage_min'], 'out_of_range'],
  ]) {
    const r = await api('GET', `/v1/customers?${qs(params)}`, { as });
    assertError(r, 400, 'validation_failed', [path]);
    assert.equal(
      r.body.error.details.find((d) => JSON.stringify(d.path) === JSON.stringify(path)).code,
      code,
      JSON.stringify(params),
    );
  }
  // A cursor from one query is refused on another.
  const page = await list({ sort: 'mtd_spend', limit: '5' });
  assertError(
    await api('GET', `/v1/customers?sort=budget_usage&limit=5&cursor=${page.next_cursor}`, { as }),
    400,
    'validation_failed',
    [['cursor']],
  );
});

test("isolation: resellers see their own, distributors their resellers' (and can narrow to one)", async () => {
  const delta = await all({}, 'delta-operator');
  assert.ok(delta.every((c) => c.association.partner_id === demo.partners.other_reseller));
  const skyline = await all({});
  assert.ok(!skyline.some((c) => delta.some((d) => d.id === c.id)));
  const dist = await all({}, 'northwind-viewer');
  const partners = new Set(dist.map((c) => c.association.partner_id));
  assert.deepEqual(
    [...partners].sort(),
    [demo.partners.distributor, demo.partners.reseller, demo.partners.reseller2].sort(),
  );
  const onlySkyline = await all({ reseller_id: R }, 'northwind-viewer');
  assert.deepEqual(onlySkyline.map((c) => c.id).sort(), skyline.map((c) => c.id).sort());
  // A reseller naming someone else's reseller gets nothing, not their customers.
  assert.equal((await list({ reseller_id: demo.partners.reseller2 })).total, 0);
});
