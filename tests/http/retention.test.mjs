// What is kept only for a while: the Cron Trigger forgets Idempotency-Key rows past their 24 h
// retention (src/sql/retention.rs), and only those.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, sql } from './helpers.mjs';

test('the minute sweep deletes keys past retention and keeps the others', async () => {
  const p = 'f'.repeat(32);
  const row = (key, expires) => `('${p}', '${p}', '${key}', 'fp', 'done', '2026-01-01T00:00:00Z', '${expires}')`;
  await sql(
    `INSERT INTO idempotency_keys (partner_id, customer_id, key, fingerprint, state, created_at, expires_at) VALUES ${row('ret-old', '2026-01-02T00:00:00Z')}, ${row('ret-live', '2099-01-01T00:00:00Z')}`,
  );
  const r = await fetch(`${BASE}/__scheduled?cron=*+*+*+*+*`);
  assert.equal(r.status, 200);
  const left = await sql(`SELECT key FROM idempotency_keys WHERE partner_id = '${p}' ORDER BY key`);
  assert.deepEqual(
    left.map((x) => x.key),
    ['ret-live'],
  );
  await sql(`DELETE FROM idempotency_keys WHERE partner_id = '${p}'`);
});
