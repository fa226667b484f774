// Select Products in the portal: the <onbehalf-order-form> element, given the partner's key for the
// customer and quotes, and the switch-role session (if it acts for this customer) for ordering.

import { request } from './lib/api.js';
import { $, el } from './lib/dom.js';
import { signedIn } from './lib/format.js';
import { current as currentSession, mountBanner, mountSignOut, onSessionAnswer } from './session.js';

const apiKey = sessionStorage.getItem('onbehalf.key');
const customerId = new URLSearchParams(location.search).get('customer');

function fail(message) {
  const p = $('#page-error');
  p.hidden = false;
  p.replaceChildren(message, ' ', el('a', { href: '/', text: 'Back to Customer Management' }));
  document.body.dataset.ready = 'true';
}

async function start() {
  if (!apiKey) return fail('Sign in on Customer Management first.');
  if (!/^[0-9a-f]{32}$/.test(customerId ?? '')) return fail('No customer chosen.');
  const me = await request(apiKey, 'GET', '/v1/me');
  if (me.status !== 200) return fail('That API key is not valid.');
  $('#whoami').textContent = signedIn(me.body);
  mountBanner();
  mountSignOut();
  const form = $('#order-form');
  form.token = apiKey;
  const s = currentSession();
  if (s?.customer_id === customerId) {
    form.sessionToken = s.token;
    form.setAttribute('customer-label', s.customer_label);
  }
  // A refused or ended session: the portal says so and returns to the partner view.
  form.addEventListener('onbehalf:order-refused', (ev) => onSessionAnswer(ev.detail.status, ev.detail));
  form.addEventListener('onbehalf:error', (ev) => fail(ev.detail?.message ?? 'Customer not found.'));
  form.setAttribute('customer-id', customerId);
  $('#orders-link').href = `/orders.html?customer=${customerId}`;
  $('#order').hidden = false;
  window.onbehalfOrder = {
    draft: () => form.draft,
    get lastResponse() {
      return form.lastResponse;
    },
  };
  await new Promise((ok) => {
    if (form.dataset.ready) return ok();
    new MutationObserver((_, o) => {
      if (form.dataset.ready) {
        o.disconnect();
        ok();
      }
    }).observe(form, { attributes: true });
  });
  document.body.dataset.ready = 'true';
}

start().catch((e) => fail(String(e)));
