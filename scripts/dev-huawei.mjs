// `make dev UPSTREAM=huawei-emulator`: the dev server ordering in the local Huawei Cloud emulator
// instead of the simulation. Starts the emulator, serves the worker with UPSTREAM=huawei pointed at
// it, then configures the demo as a partner admin would: each demo partner's Huawei key
// (PUT /v1/huawei-key), and each customer's Huawei account and agency (PUT
// /v1/customers/{id}/huawei-account), registering the same accounts and agencies in the emulator,
// and each partner's customer directory there (its demo customers and 25 more).
// Ctrl-C stops both.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startEmulator } from './lib/emulator.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const port = Number(arg('port', '8787'));
const db = arg('db', '.state/dev-d1');
const demo = JSON.parse(readFileSync(arg('demo', '.state/demo.json'), 'utf8'));
const base = `http://127.0.0.1:${port}`;

const emu = await startEmulator({ port: Number(arg('emulator-port', '8790')), jobSeconds: 6 });
const vars = Object.entries({ ...emu.vars, HUAWEI_TIMEOUT_MS: '8000' }).flatMap(([k, v]) => ['--var', `${k}:${v}`]);
const wrangler = spawn(
  'wrangler',
  [
    'dev',
    '--local',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--persist-to',
    db,
    '--var',
    'MODE:development',
    ...vars,
    '--test-scheduled',
    '--show-interactive-dev-session=false',
  ],
  { stdio: 'inherit' },
);
const stop = () => {
  emu.stop();
  wrangler.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
wrangler.on('exit', (code) => {
  emu.stop();
  process.exit(code ?? 0);
});

for (let i = 0; i < 240; i++) {
  try {
    if ((await fetch(`${base}/v1/health`)).ok) break;
  } catch {
    /* not yet */
  }
  await new Promise((r) => setTimeout(r, 250));
}

async function api(method, path, key, body) {
  const r = await fetch(base + path, {
    method,
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, body: await r.json() };
}
const post = (path, body) => fetch(emu.base + path, { method: 'POST', body: JSON.stringify(body) });

let customers = 0;
for (const admin of demo.users.filter((u) => u.role === 'admin')) {
  const partner = admin.handle.split('-')[0];
  const key = { ak: `DEV${randomBytes(8).toString('hex').toUpperCase()}`, sk: randomBytes(24).toString('base64') };
  await post('/_emulator/partners', { ...key, domain_name: `${partner}-hw` });
  await api('PUT', '/v1/huawei-key', admin.api_key, { access_key_id: key.ak, secret_access_key: key.sk });
  let cursor = '';
  for (;;) {
    const page = await api('GET', `/v1/customers?limit=100${cursor && `&cursor=${cursor}`}`, admin.api_key);
    for (const c of page.body.customers ?? []) {
      if (c.association?.partner_id !== admin.partner_id) continue;
      const account = { domain_name: `acct-${c.id.slice(0, 12)}`, agency_name: `onbehalf-${partner}` };
      await post('/_emulator/customers', {
        domain_name: account.domain_name,
        agencies: [{ name: account.agency_name, trusts: `${partner}-hw` }],
      });
      const r = await api('PUT', `/v1/customers/${c.id}/huawei-account`, admin.api_key, account);
      if (r.status === 200) customers++;
    }
    if (!page.body.next_cursor) break;
    cursor = encodeURIComponent(page.body.next_cursor);
  }
}
// Each partner's customer directory in the emulator: its demo customers as stored (so a sync keeps
// them) and 25 more that only Huawei knows (so Sync in Customer Management has something to add).
const rows = await new Promise((resolve, reject) => {
  const sql =
    'SELECT id, partner_id, account_name, real_name, association_type, associated_on, mobile_country_code, mobile, email, ' +
    'account_manager, verified_status, customer_type, level, frozen, budget_type, budget_amount_minor, budget_used_minor FROM customers';
  const child = spawn('wrangler', ['d1', 'execute', 'DB', '--local', '--persist-to', db, '--json', '--command', sql]);
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.on('error', reject);
  child.on('close', () => {
    try {
      resolve(JSON.parse(out)[0]?.results ?? []);
    } catch (e) {
      reject(e);
    }
  });
});
let listed = 0;
for (const admin of demo.users.filter((u) => u.role === 'admin')) {
  const partner = admin.handle.split('-')[0];
  const mine = rows
    .filter((r) => r.partner_id === admin.partner_id)
    .map((r) => ({
      customer_id: r.id,
      account_name: r.account_name,
      customer: r.real_name,
      association_type: r.association_type,
      associated_on: r.associated_on,
      telephone: r.mobile,
      country_code: r.mobile_country_code,
      email: r.email,
      verified_status: String(r.verified_status),
      customer_type: r.customer_type,
      customer_level: r.level,
      is_frozen: r.frozen,
      account_managers: r.account_manager ? [{ account_name: r.account_manager }] : [],
      budget:
        r.association_type === '3' && r.budget_type
          ? {
              budget_amount: r.budget_amount_minor / 100,
              used_amount: (r.budget_used_minor ?? 0) / 100,
              budget_type: r.budget_type === 'monthly' ? 'MONTHLY' : 'PACKAGE',
            }
          : null,
    }));
  await post('/_emulator/directory', { partner: `${partner}-hw`, customers: mine, count: 25 });
  listed += mine.length + 25;
}
console.log(
  `\nHuawei Cloud emulator at ${emu.base}: the demo partners' keys and ${customers} customers' agencies are set; ` +
    `their directories list ${listed} customers (Customer Management > Sync from Huawei Cloud adds the 25 per partner only Huawei knows).`,
);
console.log("Orders now go through IAM (agency), the pickers list the customers' VPCs, and jobs take 6 s.\n");
