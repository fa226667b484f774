// Order and O&M permissions. A distributor: its resellers' open requests (grant or decline in one
// click), a grant form (a reseller, one customer or all its reseller-mode customers, what, until when),
// and what it granted (revoke). A reseller: what its distributor granted it and the requests it sent
// (withdraw). Everything goes through the API (POST/GET /v1/permission-requests, /v1/distributor-permissions).

import { errorText, request } from './lib/api.js';
import { $, el } from './lib/dom.js';
import { localTime, signedIn, timeEl } from './lib/format.js';
import { mountBanner, mountSignOut } from './session.js';

const apiKey = sessionStorage.getItem('onbehalf.key');
const api = (method, path, body) => request(apiKey, method, path, { body });
const state = { me: null, names: new Map() };

const CAPS = { order: 'order placement', om: 'O&M' };
const caps = (list) => list.map((c) => CAPS[c] ?? c).join(' and ');
const scope = (customerId) => (customerId ? `customer ${customerId}` : 'all reseller-mode customers');
const reseller = (id) => state.names.get(id) ?? id;

function say(message) {
  const s = $('#announce');
  s.textContent = '';
  setTimeout(() => {
    s.textContent = message;
  }, 50);
}

function button(text, act, cls = '') {
  const b = el('button', { type: 'button', text, ...(cls ? { class: cls } : {}) });
  b.addEventListener('click', async () => {
    b.disabled = true;
    try {
      await act();
    } finally {
      b.disabled = false;
    }
  });
  return b;
}

async function grant(body) {
  const r = await api('POST', '/v1/distributor-permissions', body);
  if (r.status !== 201) return errorText(r);
  say(`Granted ${reseller(body.reseller_id)} ${caps(body.capabilities)} for ${scope(body.customer_id)}.`);
  await Promise.all([loadRequests(), loadPermissions()]);
  return null;
}

async function loadRequests() {
  const r = await api('GET', '/v1/permission-requests');
  const distributor = state.me.partner.kind === 'distributor';
  const admin = state.me.abilities.manage_permissions;
  const rows = (r.body.requests ?? []).map((q) => {
    const actions = el('td', { class: 'actions' });
    if (q.status === 'open' && distributor && admin) {
      actions.append(
        button('Grant', async () => {
          const message = await grant({
            reseller_id: q.reseller_id,
            capabilities: q.capabilities,
            ...(q.customer_id ? { customer_id: q.customer_id } : {}),
          });
          if (message) say(message);
        }),
        button(
          'Decline',
          async () => {
            const d = await api('POST', `/v1/permission-requests/${q.id}/decline`, {});
            say(d.status === 200 ? `Declined the request of ${reseller(q.reseller_id)}.` : errorText(d));
            await loadRequests();
          },
          'link',
        ),
      );
    }
    if (q.status === 'open' && !distributor && state.me.abilities.request_authorization)
      actions.append(
        button('Withdraw', async () => {
          const w = await api('POST', `/v1/permission-requests/${q.id}/withdraw`, {});
          say(w.status === 200 ? 'Request withdrawn.' : errorText(w));
          await loadRequests();
        }),
      );
    return el(
      'tr',
      { 'data-request-id': q.id, 'data-status': q.status },
      el('td', { text: reseller(q.reseller_id) }),
      el('td', { text: scope(q.customer_id) }),
      el('td', { text: caps(q.capabilities) }),
      el('td', { text: q.note ?? '' }),
      el('td', {}, timeEl(q.requested_at)),
      el('td', { text: q.status + (q.reason ? `: ${q.reason}` : '') }),
      actions,
    );
  });
  $('#requests-table tbody').replaceChildren(...rows);
  $('#requests-empty').hidden = rows.length > 0;
  $('#requests-table').dataset.count = String(rows.length);
}

async function loadPermissions() {
  const r = await api('GET', '/v1/distributor-permissions');
  $('#permissions-error').textContent = r.status === 200 ? '' : errorText(r);
  const rows = (r.body.permissions ?? []).map((p) => {
    const actions = el('td', { class: 'actions' });
    if (p.state === 'active' && state.me.abilities.manage_permissions)
      actions.append(
        button('Revoke', async () => {
          const v = await api('POST', `/v1/distributor-permissions/${p.id}/revoke`, {});
          say(
            v.status === 200
              ? `Revoked: ${reseller(p.reseller_id)} may no longer ${caps(p.capabilities)}.`
              : errorText(v),
          );
          await loadPermissions();
        }),
      );
    return el(
      'tr',
      { 'data-permission-id': p.id, 'data-state': p.state },
      el('td', { text: reseller(p.reseller_id) }),
      el('td', { text: scope(p.customer_id) }),
      el('td', { text: caps(p.capabilities) }),
      el('td', {}, timeEl(p.granted_at)),
      el('td', { text: p.valid_until ? localTime(p.valid_until).slice(0, 10) : 'no end date' }),
      el('td', { text: p.state }),
      actions,
    );
  });
  $('#permissions-table tbody').replaceChildren(...rows);
  $('#permissions-table').dataset.count = String(rows.length);
}

async function start() {
  if (!apiKey) {
    $('#page-error').hidden = false;
    $('#page-error').replaceChildren('Sign in on ', el('a', { href: '/', text: 'Customer Management' }), ' first.');
    return;
  }
  const me = await api('GET', '/v1/me');
  if (me.status !== 200) {
    $('#page-error').hidden = false;
    $('#page-error').textContent = errorText(me);
    return;
  }
  state.me = me.body;
  mountBanner();
  mountSignOut();
  $('#whoami').textContent = signedIn(me.body);
  const distributor = me.body.partner.kind === 'distributor';
  if (distributor) {
    const res = await api('GET', '/v1/resellers');
    for (const p of res.body.resellers ?? []) {
      state.names.set(p.id, p.name);
      $('#g-reseller').append(el('option', { value: p.id, text: p.name }));
    }
    $('#requests-what').textContent = 'from your resellers';
    $('#granted-what').textContent = 'you granted';
    $('#grant').hidden = !me.body.abilities.manage_permissions;
  } else {
    state.names.set(me.body.partner.id, me.body.partner.name);
    $('#requests-what').textContent = 'you sent to your distributor';
    $('#granted-what').textContent = 'your distributor granted you';
  }
  $('#grant-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = new FormData(ev.target);
    const capabilities = f.getAll('capabilities');
    if (!capabilities.length) {
      $('#grant-error').textContent = 'Choose at least one permission.';
      return;
    }
    const customer = String(f.get('customer_id') ?? '').trim();
    const until = f.get('valid_until');
    $('#grant-ok').disabled = true;
    const message = await grant({
      reseller_id: f.get('reseller_id'),
      capabilities,
      ...(customer ? { customer_id: customer } : {}),
      ...(until ? { valid_until: new Date(`${until}T23:59:59`).toISOString().replace(/\.\d+Z$/, 'Z') } : {}),
    });
    $('#grant-ok').disabled = false;
    $('#grant-error').textContent = message ?? '';
  });
  $('#permissions-page').hidden = false;
  await Promise.all([loadRequests(), loadPermissions()]);
  document.body.dataset.ready = 'true';
}

start();
