// Customer Management: the 12 filters, masked columns with audited reveal, verdict chips, sorting,
// paging, a More menu per row; and for a customer, the API's prerequisite report next to the
// browser module's. Filtering the loaded page is instant (filterCustomers); the server answers the rest.
import init, { checkPrerequisites, filterCustomers } from './pkg/onbehalf.js';
import { mountBanner, switchInto } from './session.js';
import { $, el } from './dom.js';


// A key in the URL fragment (#key=obk_...) is moved to sessionStorage and removed from the address bar.
const fragKey = new URLSearchParams(location.hash.slice(1)).get('key');
if (fragKey) {
  sessionStorage.setItem('onbehalf.key', fragKey);
  history.replaceState(null, '', location.pathname);
}
let apiKey = sessionStorage.getItem('onbehalf.key');
let me = null;
const partnerNames = new Map(); // a distributor's own name and its resellers', for the Reseller column

async function api(method, path, body) {
  const headers = { Authorization: `Bearer ${apiKey}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await r.json().catch(() => ({}));
  return { status: r.status, body: json };
}

function showSignIn(message = '') {
  $('#signin').hidden = false;
  $('#app').hidden = true;
  $('#signin-error').textContent = message;
}

$('#signin-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  apiKey = $('#key-input').value.trim();
  sessionStorage.setItem('onbehalf.key', apiKey);
  start();
});

// ---------------------------------------------------------------------------------------------
// Query state
// ---------------------------------------------------------------------------------------------
const state = { sort: null, order: null, cursors: [null], page: 0, rows: [], tags: [], revealed: new Map() };
const day = (d, end) => (d ? `${d}T${end ? '23:59:59' : '00:00:00'}Z` : null);

/** The query parameters (same names as GET /v1/customers and filterCustomers). */
function params() {
  const f = new FormData($('#filters'));
  const p = {};
  const set = (k, v) => { if (v !== null && v !== undefined && v !== '') p[k] = v; };
  const frozen = f.get('frozen_state');
  if (frozen === 'frozen') p.frozen = 'true';
  if (frozen === 'auto') p.auto_frozen = 'true';
  if (frozen === 'not') p.frozen = 'false';
  for (const k of ['association_type', 'customer_name', 'account_name', 'customer_id', 'account_manager', 'mobile',
    'budget_usage_min', 'budget_usage_max', 'can_order', 'authorization', 'reseller_id']) set(k, (f.get(k) ?? '').trim());
  set('associated_from', day(f.get('associated_from'), false));
  set('associated_to', day(f.get('associated_to'), true));
  set('expiry_from', day(f.get('expiry_from'), false));
  set('expiry_to', day(f.get('expiry_to'), true));
  for (const k of ['spend_min', 'spend_max']) if (f.get(k)) p[k] = String(Math.round(Number(f.get(k)) * 100));
  if (state.tags.length) p.tag = [...state.tags];
  if (state.sort) { p.sort = state.sort; p.order = state.order; }
  return p;
}

function qs(p) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(p)) for (const x of [].concat(v)) u.append(k, x);
  return u.toString();
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------
const money = (m) => `${(m.minor / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })} ${m.currency}`;

function budgetBar(c) {
  if (!c.budget) return el('span', { class: 'muted', text: 'no budget' });
  const pct = c.budget.usage_percent;
  const level = c.budget_level;
  const fill = el('span', { class: 'fill' });
  fill.style.width = `${Math.min(pct, 100)}%`; // CSSOM, not a style attribute: the CSP forbids inline styles
  const bar = el('span', { class: `budget lvl-${level}`, role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(pct), 'aria-label': `Budget ${pct} %` }, fill);
  return el('span', { class: 'budgetcell' }, bar, el('span', { text: ` ${pct}%` }));
}

function chips(c) {
  const span = el('span', { class: 'chipset' });
  if (c.frozen.frozen) span.append(el('span', { class: 'tag frozen', text: c.frozen.auto ? 'auto-frozen' : 'frozen' }));
  span.append(el('span', { class: `tag auth-${c.authorization.state}`, text: `auth: ${c.authorization.state}` }));
  span.append(el('span', { class: `tag ${c.can_order ? 'ok' : 'no'}`, text: c.can_order ? 'can order' : 'cannot order', title: c.blocking.join(', ') }));
  for (const t of c.tags) span.append(el('span', { class: 'tag', text: t }));
  return span;
}

/** The eye icon (an inline SVG: no emoji font needed). */
function eyeIcon() {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', 'icon');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', document.querySelector('th .eye path').getAttribute('d'));
  svg.append(path);
  return svg;
}

function sensitiveCell(c, field) {
  const shown = state.revealed.get(c.id)?.[field];
  const value = shown !== undefined ? (field === 'mobile' ? `${shown.country_code} ${shown.number}` : shown)
    : (field === 'mobile' ? `${c.mobile.country_code} ${c.mobile.number}` : c[field]);
  const td = el('td', { 'data-field': field, class: shown !== undefined ? 'revealed' : 'masked' }, el('span', { text: value }));
  if (shown === undefined && me?.abilities.reveal_sensitive) {
    const b = el('button', { type: 'button', class: 'eye small', 'aria-label': `Show ${field.replace('_', ' ')} of this customer` }, eyeIcon());
    b.addEventListener('click', (ev) => { ev.stopPropagation(); reveal([c.id], field); });
    td.append(' ', b);
  }
  return td;
}

function moreMenu(c) {
  const details = el('details', { class: 'more' }, el('summary', { text: 'More' }));
  const menu = el('div', { class: 'menu', role: 'menu' });
  const item = (label, enabled, why, action) => {
    const b = el('button', { type: 'button', role: 'menuitem', text: label });
    if (!enabled) { b.disabled = true; b.title = why; b.append(el('small', { class: 'why', text: why })); }
    else b.addEventListener('click', () => { details.open = false; action(); });
    menu.append(b);
  };
  item("Place order on customer's behalf", c.can_order && me?.abilities.place_order,
    c.can_order ? 'Your role may not order.' : `Blocked: ${c.blocking.join(', ')}`, async () => {
      // The confirm dialog, then a session acting as the customer, then Select Products.
      if (await switchInto(apiKey, c.id, `${c.real_name} (${c.id.slice(0, 8)}…)`)) location.href = `/order.html?customer=${c.id}`;
    });
  item('Request authorization', me?.abilities.request_authorization && c.association.type === '3' && c.authorization.state === 'none',
    c.authorization.state !== 'none' ? `Authorization is ${c.authorization.state}.` : 'Not available for this customer or role.', () => requestAuthorization(c));
  item('Prerequisites', true, '', () => showDetail(c));
  item('View resources', true, '', () => { location.href = `/orders.html?customer=${c.id}#resources`; });
  item('Orders', true, '', () => { location.href = `/orders.html?customer=${c.id}#orders`; });
  details.append(menu);
  return details;
}

function renderRows(rows) {
  const tbody = $('#customer-table tbody');
  tbody.replaceChildren();
  for (const c of rows) {
    const tr = el('tr', { 'data-customer-id': c.id },
      sensitiveCell(c, 'real_name'), sensitiveCell(c, 'account_name'), sensitiveCell(c, 'mobile'),
      el('td', { class: 'partner-col', 'data-partner-id': c.association.partner_id, text: partnerNames.get(c.association.partner_id) ?? '' }),
      el('td', { text: c.association.type === '3' ? 'reseller' : 'referral' }),
      el('td', { text: c.association.associated_on.slice(0, 10) }),
      el('td', { text: c.account_manager ?? '' }),
      el('td', { class: 'num', text: money(c.month_to_date_spend) }),
      el('td', { text: c.earliest_expiry ? c.earliest_expiry.slice(0, 10) : '' }),
      el('td', {}, budgetBar(c)),
      el('td', {}, chips(c)),
      el('td', {}, moreMenu(c)));
    tbody.append(tr);
  }
  for (const b of document.querySelectorAll('th .sort')) {
    const active = b.dataset.sort === (state.sort ?? 'associated_on');
    const order = state.sort ? state.order : 'desc';
    b.closest('th').setAttribute('aria-sort', active ? (order === 'asc' ? 'ascending' : 'descending') : 'none');
  }
  for (const b of document.querySelectorAll('th .eye')) b.hidden = !me?.abilities.reveal_sensitive;
  for (const cell of document.querySelectorAll('.partner-col')) cell.hidden = me?.partner.kind !== 'distributor';
}

// ---------------------------------------------------------------------------------------------
// Loading: instant local filtering of the loaded page, then the server
// ---------------------------------------------------------------------------------------------
async function load({ resetPaging = true } = {}) {
  if (resetPaging) { state.cursors = [null]; state.page = 0; }
  const p = params();
  $('#filter-error').textContent = '';
  // Instant: the browser module filters what is already loaded (same rules as the server).
  if (state.rows.length && resetPaging) {
    const local = filterCustomers(state.rows, p);
    if (!local.error) {
      const keep = new Set(local.ids);
      renderRows(local.ids.map((id) => state.rows.find((r) => r.id === id)).filter(Boolean));
      $('#local-note').textContent = local.server_only.length
        ? `Asking the server (${local.server_only.join(', ')} need data this page does not hold)…` : `${keep.size} on this page match; asking the server for all pages…`;
    }
  }
  const cursor = state.cursors[state.page];
  const r = await api('GET', `/v1/customers?${qs({ ...p, limit: '20', ...(cursor ? { cursor } : {}) })}`);
  $('#local-note').textContent = '';
  if (r.status !== 200) {
    const e = r.body.error ?? {};
    $('#filter-error').textContent = `${e.message ?? 'Search failed.'} ${(e.details ?? []).map((d) => `${d.path.join('.')}: ${d.message}`).join(' ')}`;
    return;
  }
  state.rows = r.body.customers;
  state.cursors[state.page + 1] = r.body.next_cursor;
  renderRows(state.rows);
  $('#total').textContent = `(${r.body.total} in total)`;
  $('#total').dataset.total = String(r.body.total);
  $('#pageinfo').textContent = `page ${state.page + 1} of ${Math.max(1, Math.ceil(r.body.total / 20))}`;
  $('#prev').disabled = state.page === 0;
  $('#next').disabled = !r.body.next_cursor;
  document.body.dataset.ready = 'true';
  document.body.dataset.loads = String(Number(document.body.dataset.loads ?? 0) + 1);
}

$('#filters').addEventListener('submit', (ev) => { ev.preventDefault(); load(); });
$('#filters').addEventListener('reset', () => { state.tags = []; renderTags(); setTimeout(() => load(), 0); });
for (const sel of document.querySelectorAll('#filters select')) sel.addEventListener('change', () => load());
$('#prev').addEventListener('click', () => { state.page -= 1; load({ resetPaging: false }); });
$('#next').addEventListener('click', () => { state.page += 1; load({ resetPaging: false }); });
for (const b of document.querySelectorAll('th .sort')) {
  b.addEventListener('click', () => {
    const key = b.dataset.sort;
    if (state.sort === key) state.order = state.order === 'asc' ? 'desc' : 'asc';
    else { state.sort = key; state.order = 'asc'; }
    load();
  });
}

function renderTags() {
  const box = $('#tag-chips');
  box.replaceChildren();
  for (const t of state.tags) {
    const b = el('button', { type: 'button', class: 'chip', 'aria-label': `Remove tag ${t}`, text: `${t} ×` });
    b.addEventListener('click', () => { state.tags = state.tags.filter((x) => x !== t); renderTags(); load(); });
    box.append(b);
  }
}
$('#f-tag').addEventListener('keydown', (ev) => {
  if (ev.key !== 'Enter') return;
  ev.preventDefault();
  const t = ev.target.value.trim();
  if (t && !state.tags.includes(t)) { state.tags.push(t); renderTags(); load(); }
  ev.target.value = '';
});

// ---------------------------------------------------------------------------------------------
// Reveal (eye icons): asks for a reason, audited by the server
// ---------------------------------------------------------------------------------------------
let pendingReveal = null;
function reveal(ids, field) {
  pendingReveal = { ids, field };
  $('#reveal-what').textContent = `${field.replace('_', ' ')} of ${ids.length} customer${ids.length > 1 ? 's' : ''}`;
  $('#reveal-error').textContent = '';
  $('#reveal-reason').value = '';
  $('#reveal-dialog').showModal();
}
for (const b of document.querySelectorAll('th .eye')) {
  b.addEventListener('click', () => reveal(state.rows.map((r) => r.id), b.dataset.field));
}
$('#reveal-cancel').addEventListener('click', () => $('#reveal-dialog').close());
$('#reveal-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const { ids, field } = pendingReveal;
  const reason = $('#reveal-reason').value.trim();
  const r = ids.length === 1
    ? await api('POST', `/v1/customers/${ids[0]}/reveal`, { fields: [field], reason })
    : await api('POST', '/v1/customers/reveal', { ids, fields: [field], reason });
  if (r.status !== 200) { $('#reveal-error').textContent = r.body.error?.message ?? 'Refused.'; return; }
  for (const c of (r.body.customers ?? [r.body])) state.revealed.set(c.id, { ...(state.revealed.get(c.id) ?? {}), [field]: c[field] });
  $('#reveal-dialog').close();
  renderRows(state.rows);
});

// ---------------------------------------------------------------------------------------------
// Detail: the prerequisite report from the API next to the browser module's
// ---------------------------------------------------------------------------------------------
function renderReport(report, verdictSel, listSel) {
  const v = $(verdictSel);
  v.className = `verdict ${report.can_order ? 'yes' : 'no'}`;
  v.textContent = report.can_order ? 'Can order on behalf' : `Cannot order: ${report.blocking.join(', ')}`;
  const ol = $(listSel);
  ol.replaceChildren();
  for (const c of report.checks) {
    const li = el('li', { 'data-check': c.check, 'data-status': c.status },
      el('span', { class: `status ${c.status}`, text: c.status }), ` ${c.message} `);
    if (c.code) li.append(el('code', { text: c.code }));
    if (c.remedy) li.append(el('span', { class: 'remedy', text: `→ ${c.remedy}` }));
    ol.append(li);
  }
}

async function showDetail(c) {
  $('#detail').hidden = false;
  $('#detail-title').textContent = `Prerequisites · ${c.real_name} · ${c.id}`;
  $('#action-result').textContent = '';
  delete $('#agreement').dataset.match;
  $('#agreement').textContent = 'Checking…';
  const r = await api('GET', `/v1/customers/${c.id}/prerequisites?include=input`);
  if (r.status !== 200) { $('#api-verdict').textContent = `${r.status} ${r.body.error?.code ?? ''}`; return; }
  const { input, ...apiReport } = r.body;
  const wasmReport = checkPrerequisites(input);
  renderReport(apiReport, '#api-verdict', '#api-checks');
  if (wasmReport.error) $('#wasm-verdict').textContent = `error: ${wasmReport.error.code}`;
  else renderReport(wasmReport, '#wasm-verdict', '#wasm-checks');
  const same = JSON.stringify(apiReport) === JSON.stringify(wasmReport);
  const a = $('#agreement');
  a.className = `agreement ${same ? 'match' : 'mismatch'}`;
  a.dataset.match = String(same);
  a.textContent = same ? 'Identical reports: the worker and this page ran the same Rust core on the same input.'
    : 'The reports differ: this is a bug, please report it.';
  $('#detail').scrollIntoView({ block: 'nearest' });
}

async function requestAuthorization(c) {
  const r = await api('POST', `/v1/customers/${c.id}/authorizations`, { capabilities: ['order', 'om'] });
  await showDetail(c);
  $('#action-result').textContent = r.status === 201
    ? `Request ${r.body.id} sent; the customer gets a link by email and a code by SMS.`
    : `${r.body.error?.code}: ${r.body.error?.message}`;
  load({ resetPaging: false });
}

async function start() {
  if (!apiKey) return showSignIn();
  const r = await api('GET', '/v1/me');
  if (r.status !== 200) {
    sessionStorage.removeItem('onbehalf.key');
    return showSignIn(r.body.error?.message ?? 'Sign-in failed.');
  }
  me = r.body;
  mountBanner();
  $('#whoami').textContent = `${me.user.name} · ${me.role} · ${me.partner.name} (${me.partner.kind})`;
  $('#signin').hidden = true;
  $('#app').hidden = false;
  if (me.partner.kind === 'distributor') {
    const res = await api('GET', '/v1/resellers');
    partnerNames.set(me.partner.id, `${me.partner.name} (own)`);
    for (const p of res.body.resellers ?? []) {
      partnerNames.set(p.id, p.name);
      $('#f-reseller').append(el('option', { value: p.id, text: p.name }));
    }
    $('#reseller-filter').hidden = false;
  }
  await load();
}

await init();
start();
