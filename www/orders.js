// Customer Orders (yearly/monthly orders placed on behalf) and View Resources (what was provisioned
// for one customer), read with the partner's key.

import { request } from './lib/api.js';
import { $, el } from './lib/dom.js';
import { money, orderStatus, serviceName } from './lib/format.js';
import { mountBanner } from './session.js';

const apiKey = sessionStorage.getItem('onbehalf.key');
const customer = new URLSearchParams(location.search).get('customer');

const api = (path) => request(apiKey, 'GET', path);

async function loadOrders() {
  const p = new URLSearchParams();
  for (const [k, v] of new FormData($('#order-filters'))) if (v) p.set(k, v);
  const r = await api(`/v1/orders?${p}`);
  const rows = (r.body.orders ?? []).map((o) =>
    el(
      'tr',
      { 'data-order-id': o.order_id },
      el('td', { text: o.order_id }),
      el('td', { text: `${o.customer_id.slice(0, 8)}…` }),
      el('td', { text: serviceName(o.service_type_code) }),
      el('td', { text: o.source }),
      el('td', { 'data-status': String(o.status), text: orderStatus(o.status) }),
      el('td', { class: 'num', text: money(o.amount) }),
      el('td', { text: o.created_at.replace('T', ' ').slice(0, 16) }),
      el('td', { text: o.payment_time ? o.payment_time.replace('T', ' ').slice(0, 16) : '' }),
      el('td', { text: o.placed_by }),
      el('td', { text: o.session_id }),
    ),
  );
  $('#orders-table tbody').replaceChildren(...rows);
  $('#orders-table').dataset.count = String(rows.length);
}

async function loadResources() {
  if (!customer) {
    $('#resources').hidden = true;
    return;
  }
  const billing = $('#r-billing').value;
  const r = await api(`/v1/customers/${customer}/resources${billing ? `?billing=${billing}` : ''}`);
  $('#resources-customer').textContent = `customer ${customer}`;
  const rows = (r.body.resources ?? []).map((x) =>
    el(
      'tr',
      { 'data-resource-id': x.resource_id },
      el('td', { text: x.resource_id }),
      el('td', { text: x.resource_name }),
      el('td', { text: `${x.region_code} ${x.availability_zone_code ?? ''}` }),
      el('td', { text: serviceName(x.service_type_code) }),
      el('td', { text: x.resource_type_code.replace('hws.resource.type.', '') }),
      el('td', { text: x.resource_spec_code }),
      el('td', { text: x.effective_time.replace('T', ' ').slice(0, 16) }),
      el('td', { text: x.expire_time ? x.expire_time.slice(0, 10) : '—' }),
      el('td', { text: x.status === 1 ? 'Normal' : String(x.status) }),
    ),
  );
  $('#resources-table tbody').replaceChildren(...rows);
  $('#resources-table').dataset.count = String(rows.length);
}

async function start() {
  if (!apiKey) {
    $('#page-error').hidden = false;
    $('#page-error').textContent = 'Sign in on Customer Management first.';
    return;
  }
  const me = await api('/v1/me');
  $('#whoami').textContent =
    `${me.body.user?.name} · ${me.body.role} · ${me.body.partner?.name} (${me.body.partner?.kind})`;
  mountBanner();
  if (customer) $('#o-customer').value = customer;
  $('#orders-page').hidden = false;
  $('#order-filters').addEventListener('submit', (ev) => {
    ev.preventDefault();
    loadOrders();
  });
  $('#r-billing').addEventListener('change', loadResources);
  if (location.hash === '#resources') $('#r-billing').value = '';
  await Promise.all([loadOrders(), loadResources()]);
  document.body.dataset.ready = 'true';
}

start();
