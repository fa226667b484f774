// The reseller portal: customers (masked by the server) and, for the selected customer, the
// prerequisite report from the worker API next to the browser module's verdict on the same input.
import init, { checkPrerequisites } from './pkg/onbehalf.js';

const $ = (sel) => document.querySelector(sel);
const el = (tag, attrs = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k);
  return e;
};

// A key in the URL fragment (#key=obk_...) is moved to sessionStorage and removed from the address bar.
const fragKey = new URLSearchParams(location.hash.slice(1)).get('key');
if (fragKey) {
  sessionStorage.setItem('onbehalf.key', fragKey);
  history.replaceState(null, '', location.pathname);
}
let apiKey = sessionStorage.getItem('onbehalf.key');
let me = null;

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

function stateTags(c) {
  const span = el('span');
  if (c.frozen.frozen) span.append(el('span', { class: 'tag frozen', text: c.frozen.auto ? 'auto-frozen' : 'frozen' }));
  if (c.verified_status !== 2) span.append(el('span', { class: 'tag', text: 'unverified' }));
  if (c.budget) span.append(el('span', { class: 'tag', text: `budget ${c.budget.usage_percent}%` }));
  return span;
}

function renderCustomers(list) {
  const tbody = $('#customer-table tbody');
  tbody.replaceChildren();
  for (const c of list) {
    const tr = el('tr', { tabindex: '0', 'data-customer-id': c.id, 'aria-selected': 'false' },
      el('td', { text: c.real_name }), el('td', { text: c.account_name }),
      el('td', { text: `${c.mobile.country_code} ${c.mobile.number}` }),
      el('td', { text: c.association.type === '3' ? 'reseller' : 'referral' }),
      el('td', {}, stateTags(c)));
    const open = () => select(c, tr);
    tr.addEventListener('click', open);
    tr.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); open(); } });
    tbody.append(tr);
  }
}

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

let current = null;
async function select(c, row) {
  current = c;
  for (const r of document.querySelectorAll('#customer-table tbody tr')) r.setAttribute('aria-selected', String(r === row));
  $('#detail-title').textContent = `${c.real_name} · ${c.id}`;
  $('#detail-body').hidden = false;
  $('#action-result').textContent = '';
  delete $('#agreement').dataset.match;
  $('#agreement').textContent = 'Checking…';
  await refresh();
}

async function refresh() {
  const c = current;
  const r = await api('GET', `/v1/customers/${c.id}/prerequisites?include=input`);
  if (r.status !== 200) {
    $('#api-verdict').textContent = `${r.status} ${r.body.error?.code ?? ''}`;
    return;
  }
  const { input, ...apiReport } = r.body;
  const wasmReport = checkPrerequisites(input);
  renderReport(apiReport, '#api-verdict', '#api-checks');
  if (wasmReport.error) {
    $('#wasm-verdict').textContent = `error: ${wasmReport.error.code}`;
  } else {
    renderReport(wasmReport, '#wasm-verdict', '#wasm-checks');
  }
  const same = JSON.stringify(apiReport) === JSON.stringify(wasmReport);
  const a = $('#agreement');
  a.className = `agreement ${same ? 'match' : 'mismatch'}`;
  a.dataset.match = String(same);
  a.textContent = same ? 'Identical reports: the worker and this page ran the same Rust core on the same input.'
    : 'The reports differ: this is a bug, please report it.';
  const canRequest = me?.abilities.request_authorization && c.association.type === '3';
  $('#request-auth').disabled = !canRequest;
}

$('#request-auth').addEventListener('click', async () => {
  const r = await api('POST', `/v1/customers/${current.id}/authorizations`, { capabilities: ['order', 'om'] });
  $('#action-result').textContent = r.status === 201
    ? `Request ${r.body.id} sent; the customer gets a link by email and a code by SMS.`
    : `${r.body.error?.code}: ${r.body.error?.message}`;
  await refresh();
});

async function start() {
  if (!apiKey) return showSignIn();
  const r = await api('GET', '/v1/me');
  if (r.status !== 200) {
    sessionStorage.removeItem('onbehalf.key');
    return showSignIn(r.body.error?.message ?? 'Sign-in failed.');
  }
  me = r.body;
  $('#whoami').textContent = `${me.user.name} · ${me.role} · ${me.partner.name} (${me.partner.kind})`;
  $('#signin').hidden = true;
  $('#app').hidden = false;
  const list = await api('GET', '/v1/customers?limit=100');
  renderCustomers(list.body.customers ?? []);
  document.body.dataset.ready = 'true';
}

await init();
start();
