// Customer Management in the portal: sign-in with an API key, then the <onbehalf-customer-table>
// element. The filters, sort and page live in the address (Back and Forward walk through searches, a
// link opens the same result); More > Place order on customer's behalf confirms inside the element,
// which starts the switch-role session; the portal keeps it and opens Select Products.

import { request } from './lib/api.js';
import { $ } from './lib/dom.js';
import { signedIn } from './lib/format.js';
import { mountBanner, mountSignOut, remember } from './session.js';

const KEY = 'onbehalf.key';

/** A key in the URL fragment (#key=obk_...) replaces the stored one and leaves the address bar. */
function keyFromFragment() {
  const k = new URLSearchParams(location.hash.slice(1)).get('key');
  if (!k) return false;
  sessionStorage.setItem(KEY, k);
  history.replaceState(history.state, '', location.pathname + location.search);
  return true;
}
keyFromFragment();
// A second #key= link opened in this tab: sign in with it (the page starts over).
window.addEventListener('hashchange', () => {
  if (keyFromFragment()) location.reload();
});

let apiKey = sessionStorage.getItem(KEY);
const table = $('#table');

function showSignIn(message = '') {
  $('#signin').hidden = false;
  $('#app').hidden = true;
  $('#signin-error').textContent = message;
}

$('#signin-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  apiKey = $('#key-input').value.trim();
  sessionStorage.setItem(KEY, apiKey);
  start();
});

// ---------------------------------------------------------------------------------------------------
// The query in the address: ?customer_name=…&tag=a&tag=b&sort=…&order=…&page=2&cursor=…
// ---------------------------------------------------------------------------------------------------

/** The saved result of an address (`{query, page, cursor}`), plus the cursors Back remembers. */
function savedFromAddress() {
  const u = new URLSearchParams(location.search);
  const query = {};
  for (const [k, v] of u) {
    if (k === 'page' || k === 'cursor') continue;
    if (k === 'tag') query.tag = [...(query.tag ?? []), v];
    else query[k] = v;
  }
  return { query, page: Number(u.get('page') ?? 0), cursor: u.get('cursor'), cursors: history.state?.cursors };
}

function addressOf({ query, page, cursor }) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) for (const x of [].concat(v)) u.append(k, x);
  if (page > 0 && cursor) {
    u.set('page', String(page));
    u.set('cursor', cursor);
  }
  const s = u.toString();
  return `${location.pathname}${s ? `?${s}` : ''}`;
}

let restoring = false;
table.addEventListener('onbehalf:loaded', (ev) => {
  document.body.dataset.ready = 'true';
  document.body.dataset.loads = String(Number(document.body.dataset.loads ?? 0) + 1);
  const to = addressOf(ev.detail);
  const state = { cursors: ev.detail.cursors ?? [null] };
  if (restoring || to === location.pathname + location.search) history.replaceState(state, '', to);
  else history.pushState(state, '', to);
  restoring = false;
});
window.addEventListener('popstate', () => {
  restoring = true;
  table.restore(savedFromAddress());
});

table.addEventListener('onbehalf:place-order', (ev) => {
  // The element confirmed and started the session: keep it, with where to come back to.
  remember(ev.detail.session, ev.detail.label);
  location.href = `/order.html?customer=${ev.detail.customer.id}`;
});
table.addEventListener('onbehalf:view-orders', (ev) => {
  location.href = `/orders.html?customer=${ev.detail.customer.id}#orders`;
});
table.addEventListener('onbehalf:view-resources', (ev) => {
  location.href = `/orders.html?customer=${ev.detail.customer.id}#resources`;
});

async function start() {
  if (!apiKey) {
    const out = sessionStorage.getItem('onbehalf.signedout');
    sessionStorage.removeItem('onbehalf.signedout');
    return showSignIn(out ? 'You signed out.' : '');
  }
  const { status, body: me } = await request(apiKey, 'GET', '/v1/me');
  if (status !== 200) {
    sessionStorage.removeItem(KEY);
    return showSignIn(me.error?.message ?? 'Sign-in failed.');
  }
  mountBanner();
  mountSignOut();
  $('#whoami').textContent = signedIn(me);
  $('#signin').hidden = true;
  $('#app').hidden = false;
  if (location.search) {
    restoring = true;
    table.restore(savedFromAddress());
  }
  table.token = apiKey;
}

start();
