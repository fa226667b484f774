// Read replicas (D1 Sessions API): every answer carries the D1 bookmark it left the database at;
// a request that sends it back (X-Onbehalf-Bookmark) reads at least that new, so a partner always
// reads its own writes, whichever replica serves it. Writes start at the primary.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, demo, healthyCustomer } from './helpers.mjs';

const R = 'x-onbehalf-bookmark';

test('a write answers with a bookmark; a read that sends it back sees the write and moves it on', async () => {
  const c = await healthyCustomer('skyline-operator', demo.partners.reseller, 3);
  const before = await api('GET', `/v1/customers/${c.id}`, { as: 'skyline-operator' });
  const tag = `rw-${Date.now()}`;
  const write = await api('PATCH', `/v1/customers/${c.id}/tags`, {
    as: 'skyline-operator',
    body: { add: [tag] },
    headers: before.headers.get(R) ? { 'X-Onbehalf-Bookmark': before.headers.get(R) } : {},
  });
  assert.equal(write.status, 200, write.text);
  const after = write.headers.get(R);
  assert.match(after ?? '', /^[0-9a-f-]+$/, 'a write says where it left the database');
  if (before.headers.get(R)) assert.ok(after >= before.headers.get(R), 'bookmarks only move forward');

  const read = await api('GET', `/v1/customers/${c.id}`, {
    as: 'skyline-operator',
    headers: { 'X-Onbehalf-Bookmark': after },
  });
  assert.equal(read.status, 200, read.text);
  assert.ok(read.body.tags.includes(tag), 'the read at the write’s bookmark sees the write');
  assert.ok(read.headers.get(R) >= after, 'the read answers with a bookmark at least as new');
});

test('a malformed bookmark is not handed to D1: the request reads from the primary and answers normally', async () => {
  const c = await healthyCustomer('skyline-operator', demo.partners.reseller, 3);
  for (const bad of ['first-unconstrained', 'not a bookmark', 'x'.repeat(300), '']) {
    const r = await api('GET', `/v1/customers/${c.id}`, {
      as: 'skyline-operator',
      headers: { 'X-Onbehalf-Bookmark': bad },
    });
    assert.equal(r.status, 200, `${JSON.stringify(bad)}: ${r.text}`);
  }
});
