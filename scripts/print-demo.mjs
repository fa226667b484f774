// Prints what `make dev` serves: the portal URL, one demo key per role and partner kind, a consent link.
import { readFileSync } from 'node:fs';

const [file, base] = process.argv.slice(2);
const d = JSON.parse(readFileSync(file, 'utf8'));
const pad = (s, n) => String(s).padEnd(n);
console.log(`\nonbehalf dev server: ${base}  (API under ${base}/v1, portal at ${base}/)\n`);
console.log(`Demo API keys (Authorization: Bearer <key>; or open ${base}/#key=<key>):`);
for (const u of d.users)
  console.log(`  ${pad(u.handle, 20)} ${pad(u.partner_kind, 12)} ${pad(u.role, 9)} ${u.api_key}`);
const c = d.consent[0];
console.log(`\nDemo consent link (customer ${c.customer_id}): ${c.link}`);
console.log(`  verification code: ${c.code}   (messages: ${base}/v1/dev/outbox)`);
const op = d.users.find((u) => u.handle === 'skyline-operator').api_key;
console.log(
  `\nTry: curl -s ${base}/v1/customers/${d.customers.journey}/prerequisites -H "Authorization: Bearer ${op}"`,
);
console.log(
  `Order on behalf: open ${base}/#key=${op}, customer ${d.customers.ready} (Acme Trading, every prerequisite met) > More > Place order.`,
);
console.log(
  `Embed demo (a partner portal using the components): mint a portal token, then open ${base}/embed-demo.html#token=<token>`,
);
console.log(
  `  curl -s -X POST ${base}/v1/portal-tokens -H "Authorization: Bearer ${op}" -H 'Content-Type: application/json' -d '{}'\n`,
);
