// The audit trail as a hash chain: every write seals its events; the verify endpoint recomputes the
// chain and names the first event changed behind the worker's back.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, sql } from './helpers.mjs';

test('the audit chain verifies, and a row changed in the database is found', async () => {
  // Writes, so that there are fresh events to seal.
  const user = (await api('GET', '/v1/me', { as: 'skyline-viewer' })).body.user.id;
  for (let i = 0; i < 4; i += 1) {
    const k = await api('POST', '/v1/api-keys', {
      as: 'skyline-admin',
      body: { user_id: user, label: `audit test ${i}` },
    });
    assert.equal(k.status, 201, k.text);
  }
  const ok = await api('GET', '/v1/audit/verify', { as: 'skyline-viewer' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.ok, true, ok.text);
  assert.ok(ok.body.checked > 0);
  assert.equal(ok.body.unsealed, 0, 'every event is sealed once its request has answered');
  const events = await api('GET', '/v1/audit?limit=5', { as: 'skyline-admin' });
  assert.match(events.body.events[0].hash, /^[0-9a-f]{64}$/);

  // Change one sealed event's detail directly in D1, then put it back.
  const [row] = await sql(
    'SELECT seq, detail FROM audit_events WHERE hash IS NOT NULL ORDER BY seq DESC LIMIT 1 OFFSET 2',
  );
  await sql(`UPDATE audit_events SET detail = '{"tampered":true}' WHERE seq = ${row.seq}`);
  const bad = await api('GET', '/v1/audit/verify', { as: 'skyline-viewer' });
  assert.equal(bad.body.ok, false);
  assert.equal(bad.body.first_broken_seq, row.seq);
  await sql(`UPDATE audit_events SET detail = '${row.detail.replaceAll("'", "''")}' WHERE seq = ${row.seq}`);
  assert.equal((await api('GET', '/v1/audit/verify', { as: 'skyline-viewer' })).body.ok, true, 'restored');

  // Removing an event breaks the chain at its successor.
  const [last] = await sql('SELECT max(seq) AS seq FROM audit_events');
  const [victim] = await sql(`SELECT * FROM audit_events WHERE seq = ${last.seq - 1}`);
  await sql(`DELETE FROM audit_events WHERE seq = ${victim.seq}`);
  const gap = await api('GET', '/v1/audit/verify', { as: 'skyline-viewer' });
  assert.equal(gap.body.first_broken_seq, last.seq);
  const cols = Object.keys(victim);
  const lit = (v) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${String(v).replaceAll("'", "''")}'`);
  await sql(`INSERT INTO audit_events (${cols.join(', ')}) VALUES (${cols.map((c) => lit(victim[c])).join(', ')})`);
  assert.equal((await api('GET', '/v1/audit/verify', { as: 'skyline-viewer' })).body.ok, true, 'restored');
  assert.equal((await api('GET', '/v1/audit/verify')).status, 401);
});
