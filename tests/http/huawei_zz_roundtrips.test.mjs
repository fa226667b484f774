// The D1 round-trip budget (tests/http/budget.mjs) over the emulator suite, and the operations only
// it answers. With Huawei Cloud as the upstream a route may spend up to three more round trips on
// the credentials its Huawei calls need (the partner's sealed key and the customer's agency; the
// cached temporary credentials, read and renewed): measured, not yet folded into the route's batch.

import { test } from 'node:test';
import { checkBudgets, HUAWEI_ONLY } from './budget.mjs';

test('every operation answers within its D1 round-trip budget with Huawei Cloud', (t) =>
  checkBudgets(t, (name) => !(name in HUAWEI_ONLY) && !/huawei-(key|account)/.test(name), 3));
