// The D1 round-trip budget (tests/http/budget.mjs) over the emulator suite, and the operations only
// it answers. With Huawei Cloud as the upstream a route may spend up to two more round trips on the
// credentials its Huawei calls need: the partner's sealed key (partner APIs), and storing renewed
// temporary credentials (a session's agency row is read with the session itself).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkBudgets, HUAWEI_ONLY } from './budget.mjs';
import { api } from './helpers.mjs';

test('operations seen nowhere else in this suite', async () => {
  const list = await api('GET', '/v1/customers?limit=1', { as: 'skyline-operator' });
  const id = list.body.customers[0].id;
  const account = await api('GET', `/v1/customers/${id}/huawei-account`, { as: 'skyline-operator' });
  assert.equal(account.status, 200, account.text);
});

test('every operation answers within its D1 round-trip budget with Huawei Cloud', (t) =>
  checkBudgets(t, (name) => !(name in HUAWEI_ONLY) && !/huawei-(key|account)/.test(name), 2));
