// Two shards under wrangler dev (tests/shards/wrangler.toml): SHARDS routes the Southgate tree
// (Southgate Distribution and its reseller Delta) to DB_2, every other tree stays in DB. Both
// databases were seeded alike, then each kept only the credentials of its own trees. A partner's
// reads and writes go to its tree's database and nowhere else.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, demo, sql } from '../http/helpers.mjs';

const SOUTHGATE = demo.partners.other_distributor;

/** A new API key of the Southgate admin (its row is written in DB_2). */
async function southgateKey(label) {
  const me = await api('GET', '/v1/me', { as: 'southgate-admin' });
  const made = await api('POST', '/v1/api-keys', { as: 'southgate-admin', body: { user_id: me.body.user.id, label } });
  assert.equal(made.status, 201, made.text);
  return made.body;
}

test('each tree is served from its own database: the credential is found where it lives', async () => {
  const south = await api('GET', '/v1/me', { as: 'southgate-admin' });
  assert.equal(south.status, 200, south.text);
  assert.equal(south.body.partner.id, SOUTHGATE);
  const north = await api('GET', '/v1/me', { as: 'northwind-admin' });
  assert.equal(north.status, 200, north.text);
  assert.equal(north.body.partner.id, demo.partners.distributor);
  assert.equal((await sql('SELECT count(*) AS n FROM api_keys', 'DB')).at(0).n > 0, true);
  const misplaced = await sql(
    `SELECT count(*) AS n FROM api_keys k JOIN partner_users u ON u.id = k.user_id WHERE u.partner_id = '${SOUTHGATE}'`,
    'DB',
  );
  assert.equal(misplaced[0].n, 0, 'the default database holds no Southgate key');
});

test('a write lands in the writer’s shard only, and what is read comes from there', async () => {
  const tag = `shard-${Date.now()}`;
  const own = async (as, partner) => {
    const list = await api('GET', '/v1/customers?limit=100', { as });
    assert.equal(list.status, 200, list.text);
    return list.body.customers.find((x) => x.association.partner_id === partner);
  };
  // Delta (a reseller of Southgate) operates its own customers; they live in DB_2 with their distributor.
  const c = await own('delta-operator', demo.partners.other_reseller);
  const tagged = await api('PATCH', `/v1/customers/${c.id}/tags`, { as: 'delta-operator', body: { add: [tag] } });
  assert.equal(tagged.status, 200, tagged.text);
  const q = `SELECT count(*) AS n FROM customer_tags WHERE tag = '${tag}'`;
  assert.equal((await sql(q, 'DB_2'))[0].n, 1, 'written in DB_2');
  assert.equal((await sql(q, 'DB'))[0].n, 0, 'not in DB');
  const audit = `SELECT count(*) AS n FROM audit_events WHERE action = 'customer.tags_changed' AND detail LIKE '%${tag}%'`;
  assert.equal((await sql(audit, 'DB_2'))[0].n, 1, 'its audit event too');
  assert.equal((await sql(audit, 'DB'))[0].n, 0);

  // A tag put behind the API into DB's copy of the same customer is not what Southgate reads.
  const ghost = `${tag}-ghost`;
  await sql(`INSERT INTO customer_tags (customer_id, tag) VALUES ('${c.id}', '${ghost}')`, 'DB');
  const none = await api('GET', `/v1/customers?tag=${ghost}`, { as: 'delta-operator' });
  assert.equal(none.status, 200, none.text);
  assert.equal(none.body.customers.length, 0, 'read from DB_2, where that tag is not');
  const found = await api('GET', `/v1/customers?tag=${tag}`, { as: 'delta-operator' });
  assert.deepEqual(
    found.body.customers.map((x) => x.id),
    [c.id],
  );

  // Northwind's write goes to DB.
  const n = await own('northwind-admin', demo.partners.distributor);
  const t2 = `${tag}-n`;
  assert.equal(
    (await api('PATCH', `/v1/customers/${n.id}/tags`, { as: 'northwind-admin', body: { add: [t2] } })).status,
    200,
  );
  assert.equal((await sql(`SELECT count(*) AS n FROM customer_tags WHERE tag = '${t2}'`, 'DB'))[0].n, 1);
  assert.equal((await sql(`SELECT count(*) AS n FROM customer_tags WHERE tag = '${t2}'`, 'DB_2'))[0].n, 0);
});

test('a key made by a Southgate admin lives in DB_2 and works at once', async () => {
  const made = await southgateKey('shard test');
  assert.equal((await sql(`SELECT count(*) AS n FROM api_keys WHERE id = '${made.id}'`, 'DB_2'))[0].n, 1);
  assert.equal((await sql(`SELECT count(*) AS n FROM api_keys WHERE id = '${made.id}'`, 'DB'))[0].n, 0);
  const used = await api('GET', '/v1/me', { rawKey: made.key });
  assert.equal(used.status, 200, used.text);
  assert.equal(used.body.partner.id, SOUTHGATE);
});

test('a credential found in a shard its tree is not routed to is refused, never served across', async () => {
  // A Southgate key whose row is also in DB (a tree half moved, a wrong map). Never used before, so
  // no isolate knows where it lives: every shard is asked, DB answers first, and the worker refuses
  // to serve Southgate from DB.
  const made = await southgateKey('to be copied');
  const [row] = await sql(`SELECT * FROM api_keys WHERE id = '${made.id}'`, 'DB_2');
  const cols = Object.keys(row);
  const lit = (v) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${String(v).replaceAll("'", "''")}'`);
  await sql(`INSERT INTO api_keys (${cols.join(', ')}) VALUES (${cols.map((k) => lit(row[k])).join(', ')})`, 'DB');
  const r = await api('GET', '/v1/me', { rawKey: made.key });
  assert.equal(r.status, 500, r.text);
  assert.equal(r.body.error.code, 'internal');
  assert.ok(!r.text.includes(SOUTHGATE), 'nothing of the partner is answered');
  await sql(`DELETE FROM api_keys WHERE id = '${made.id}'`, 'DB');
});
