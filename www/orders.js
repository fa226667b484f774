// Customer Orders (a top-level page: your customers' orders as Huawei Cloud lists them, with
// onbehalf's provenance or "placed elsewhere", Huawei's filters, cursor paging, cancel of an order
// pending payment) and View Resources (what was provisioned for one customer).

import { request } from './lib/api.js';
import { $, el } from './lib/dom.js';
import { money, orderStatus, serviceName, timeEl } from './lib/format.js';
import { mountBanner, mountSignOut } from './session.js';

const apiKey = sessionStorage.getItem('onbehalf.key');
const customer = new URLSearchParams(location.search).get('customer');

const api = (path) => request(apiKey, 'GET', path);

const state = { cursor: null, me: null };
const day = (d, end) => (d ? `${d}T${end ? '23:59:59' : '00:00:00'}Z` : null);

/** Customer Orders: Huawei's list (or the simulation's) with onbehalf's provenance, page by page. */
async function loadOrders({ more = false } = {}) {
  const p = new URLSearchParams();
  const f = new FormData($('#order-filters'));
  for (const k of ['customer_id', 'status', 'service_type_code', 'order_id']) if (f.get(k)) p.set(k, f.get(k));
  if (f.get('created_from')) p.set('created_from', day(f.get('created_from'), false));
  if (f.get('created_to')) p.set('created_to', day(f.get('created_to'), true));
  p.set('limit', '20');
  if (more && state.cursor) p.set('cursor', state.cursor);
  const r = await api(`/v1/customer-orders?${p}`);
  $('#orders-error').textContent = r.status === 200 ? '' : (r.body.error?.message ?? `HTTP ${r.status}`);
  const rows = (r.body.orders ?? []).map((o) => {
    const cancel = el('td', {});
    if (o.status === 6 && state.me?.abilities.place_order) {
      const b = el('button', { type: 'button', class: 'link', text: 'Cancel order' });
      b.addEventListener('click', async () => {
        b.disabled = true;
        const c = await request(apiKey, 'POST', `/v1/customer-orders/${o.order_id}/cancel`, {
          body: { customer_id: o.customer_id },
        });
        $('#orders-error').textContent = c.status === 200 ? '' : (c.body.error?.message ?? `HTTP ${c.status}`);
        loadOrders();
      });
      cancel.append(b);
    }
    return el(
      'tr',
      { 'data-order-id': o.order_id, 'data-origin': o.origin },
      el('td', { text: o.order_id }),
      el('td', { text: `${o.customer_id.slice(0, 8)}…`, title: o.customer_id }),
      el('td', { text: serviceName(o.service_type_code) }),
      el('td', { text: o.origin }),
      el('td', { 'data-status': String(o.status), text: orderStatus(o.status) }),
      el('td', { class: 'num', text: o.amount ? money(o.amount) : '—' }),
      el('td', {}, timeEl(o.created_at)),
      el('td', {}, timeEl(o.payment_time)),
      el('td', { text: o.placed?.placed_by_name ?? o.placed?.placed_by ?? '' }),
      el('td', { text: o.placed?.session_id ?? '' }),
      cancel,
    );
  });
  const body = $('#orders-table tbody');
  if (more) body.append(...rows);
  else body.replaceChildren(...rows);
  state.cursor = r.body.next_cursor ?? null;
  $('#orders-more').hidden = !state.cursor;
  const shown = body.children.length;
  $('#orders-info').textContent =
    r.body.total === null || r.body.total === undefined ? `${shown} shown` : `${shown} of ${r.body.total}`;
  $('#orders-table').dataset.count = String(shown);
  $('#orders-table').dataset.source = r.body.source ?? '';
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
      el('td', {}, timeEl(x.effective_time)),
      el('td', { text: x.expire_time ? x.expire_time.slice(0, 10) : '—' }),
      el('td', { text: x.status === 1 ? 'Normal' : String(x.status) }),
    ),
  );
  $('#resources-table tbody').replaceChildren(...rows);
  $('#resources-table').dataset.count = String(rows.length);
  const h = await api(`/v1/customer-resources?customer_id=${customer}&limit=100`);
  const lines = (h.body.resources ?? []).map((x) =>
    el(
      'tr',
      { 'data-resource-id': x.resource_id, 'data-origin': x.origin },
      el('td', { text: x.resource_id }),
      el('td', { text: x.resource_name ?? '' }),
      el('td', { text: x.region_code ?? '' }),
      el('td', { text: serviceName(x.service_type_code) }),
      el('td', { text: x.origin }),
      el('td', { text: x.placed?.placed_by_name ?? x.placed?.placed_by ?? '' }),
    ),
  );
  $('#huawei-resources-table tbody').replaceChildren(...lines);
  $('#huawei-resources-table').dataset.count = String(lines.length);
}

async function start() {
  if (!apiKey) {
    $('#page-error').hidden = false;
    $('#page-error').textContent = 'Sign in on Customer Management first.';
    return;
  }
  const me = await api('/v1/me');
  state.me = me.body;
  $('#whoami').textContent =
    `${me.body.user?.name} · ${me.body.role} · ${me.body.partner?.name} (${me.body.partner?.kind})`;
  mountBanner();
  mountSignOut();
  if (customer) $('#o-customer').value = customer;
  $('#orders-page').hidden = false;
  $('#order-filters').addEventListener('submit', (ev) => {
    ev.preventDefault();
    loadOrders();
  });
  $('#r-billing').addEventListener('change', loadResources);
  $('#orders-more').addEventListener('click', () => loadOrders({ more: true }));
  if (location.hash === '#resources') $('#r-billing').value = '';
  await Promise.all([loadOrders(), loadResources()]);
  document.body.dataset.ready = 'true';
}

start();
