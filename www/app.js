// Customer Management in the portal: sign-in with an API key, then the <onbehalf-customer-table>
// element; More > Place order on customer's behalf opens the confirm dialog and a switch-role session.

import { request } from './lib/api.js';
import { $ } from './lib/dom.js';
import { signedIn } from './lib/format.js';
import { mountBanner, switchInto } from './session.js';

// A key in the URL fragment (#key=obk_...) is moved to sessionStorage and removed from the address bar.
const fragKey = new URLSearchParams(location.hash.slice(1)).get('key');
if (fragKey) {
  sessionStorage.setItem('onbehalf.key', fragKey);
  history.replaceState(null, '', location.pathname);
}
let apiKey = sessionStorage.getItem('onbehalf.key');
const table = $('#table');

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

table.addEventListener('onbehalf:loaded', () => {
  document.body.dataset.ready = 'true';
  document.body.dataset.loads = String(Number(document.body.dataset.loads ?? 0) + 1);
});
table.addEventListener('onbehalf:place-order', async (ev) => {
  const c = ev.detail.customer;
  // The confirm dialog, then a session acting as the customer, then Select Products.
  if (await switchInto(apiKey, c.id, `${c.real_name} (${c.id.slice(0, 8)}…)`))
    location.href = `/order.html?customer=${c.id}`;
});
table.addEventListener('onbehalf:view-orders', (ev) => {
  location.href = `/orders.html?customer=${ev.detail.customer.id}#orders`;
});
table.addEventListener('onbehalf:view-resources', (ev) => {
  location.href = `/orders.html?customer=${ev.detail.customer.id}#resources`;
});

async function start() {
  if (!apiKey) return showSignIn();
  const { status, body: me } = await request(apiKey, 'GET', '/v1/me');
  if (status !== 200) {
    sessionStorage.removeItem('onbehalf.key');
    return showSignIn(me.error?.message ?? 'Sign-in failed.');
  }
  mountBanner();
  $('#whoami').textContent = signedIn(me);
  $('#signin').hidden = true;
  $('#app').hidden = false;
  table.token = apiKey;
}

start();
