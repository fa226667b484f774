// How the portal and its components write money, statuses, services and time left: once.

/** Integer minor units with their currency: `{minor: 123456, currency: 'USD'}` → `1,234.56 USD`. */
export function money(m) {
  if (!m) return '';
  return `${(m.minor / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${m.currency}`;
}

/** A catalog rate in minor units × 10⁴ per unit: `{minor_e4, currency, per}` → `0.0798 USD/GB`. */
export function unitPrice(r) {
  return `${(r.minor_e4 / 1e6).toLocaleString('en-US', { maximumFractionDigits: 6 })} ${r.currency}/${r.per}`;
}

/** Huawei's customer order statuses. */
export const ORDER_STATUS = { 3: 'Processing', 4: 'Cancelled', 5: 'Completed', 6: 'Pending payment' };

/** An order status code in words (the code itself when unknown). */
export const orderStatus = (code) => ORDER_STATUS[code] ?? String(code);

/** Huawei service type codes as the portal names them. */
export const SERVICES = { 'hws.service.type.ec2': 'ECS', 'hws.service.type.ebs': 'EVS', 'hws.service.type.vpc': 'EIP' };

/** A service type code in words (the code itself when unknown). */
export const serviceName = (code) => SERVICES[code] ?? code;

/** Seconds left as `mm:ss` (never negative). */
export function countdown(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** Seconds from now until an RFC 3339 time. */
export const secondsUntil = (at) => (Date.parse(at) - Date.now()) / 1000;

/** The signed-in line of `GET /v1/me`: `<user> · <role> · <partner> (<kind>)`. */
export function signedIn(me) {
  return `${me.user.name} · ${me.role} · ${me.partner.name} (${me.partner.kind})`;
}

/** An RFC 3339 UTC time in the reader's time zone: `2026-12-01 18:30` (local), for text. */
export function localTime(at, { seconds = false } = {}) {
  if (!at) return '';
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return at;
  const p = (n) => String(n).padStart(2, '0');
  const s = seconds ? `:${p(d.getSeconds())}` : '';
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}${s}`;
}

/** The same time as a `<time>` element: local text, the UTC value as its datetime and tooltip. */
export function timeEl(at, options) {
  const t = document.createElement('time');
  if (!at) return t;
  t.dateTime = at;
  t.title = `${at.replace('T', ' ').replace(/(\.\d+)?Z$/, '')} UTC`;
  t.textContent = localTime(at, options);
  return t;
}

/** A customer's authorization state in words. */
export function authorizationText(a) {
  if (!a) return '';
  if (a.state === 'active')
    return a.expires_at ? `authorized until ${localTime(a.expires_at).slice(0, 10)}` : 'authorized';
  if (a.state === 'pending') return 'authorization requested';
  return 'not authorized';
}
