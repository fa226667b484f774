// <onbehalf-consent token api-base>: the customer's side of an authorization request, as a custom
// element: review what a partner asks, approve with the SMS code (optionally narrowed), reject, or
// revoke later; and the activity on the customer's account. Events: onbehalf:consent {state,
// authorization} after every load. Theming: the --onbehalf-* custom properties (README); parts: card.
import { OnbehalfBase, styled } from './base.js';

const TEMPLATE = `<div class="card consent" part="card">
    <h2 id="consent-title">Authorization request</h2>
    <p id="consent-summary"></p>
    <p>State: <strong id="consent-state" data-testid="consent-state">…</strong></p>

    <form id="approve-form" hidden>
      <fieldset>
        <legend>Allow the partner to</legend>
        <label><input type="checkbox" name="cap" value="order"> place orders on my behalf</label>
        <label><input type="checkbox" name="cap" value="om"> operate my resources (O&amp;M)</label>
      </fieldset>
      <label for="code">Verification code (sent by SMS to <span id="consent-mobile"></span>)</label>
      <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required>
      <div class="actions">
        <button type="submit">Approve</button>
        <button type="button" id="reject">Reject</button>
        <button type="button" id="resend" class="link">Send a new code</button>
      </div>
    </form>

    <form id="revoke-form" hidden>
      <label for="reason">Reason for revoking</label>
      <input id="reason" name="reason" minlength="4" maxlength="200" required>
      <button type="submit">Revoke authorization</button>
    </form>
    <p id="consent-message" role="status"></p>
    <section aria-labelledby="activity-title">
      <h3 id="activity-title">Activity on your account</h3>
      <p class="muted">What partners did on your account: requests, decisions, sessions acting as you, orders and payments.</p>
      <ol id="activity" class="checks" data-testid="activity"></ol>
    </section>

</div>`;

function mount(host, root) {
  const $ = (sel) => root.querySelector(sel);
  const $$ = (sel) => root.querySelectorAll(sel);
  const names = { order: 'place orders on your behalf', om: 'operate your resources (O&M)' };

  async function call(method, path, body) {
    const init = { method, headers: {} };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const r = await fetch(`${host.apiBase}/v1/consent/${host.token}${path}`, init);
    return { status: r.status, body: await r.json().catch(() => ({})) };
  }

  function say(text) {
    $('#consent-message').textContent = text;
  }

  async function load() {
    const r = await call('GET', '');
    if (r.status !== 200) {
      $('#consent-state').textContent = 'unavailable';
      say(r.body.error?.message ?? 'This link is not valid.');
      return;
    }
    const { authorization: a, partner, customer, code } = r.body;
    $('#consent-title').textContent = `${partner.name} asks to act on your behalf`;
    $('#consent-summary').textContent =
      `For account ${customer.account_name}: ${a.capabilities.map((c) => names[c]).join(' and ')}, for ${a.valid_days} days after approval.`;
    $('#consent-state').textContent = a.state;
    $('#consent-mobile').textContent = customer.mobile;
    for (const box of $$('input[name="cap"]')) {
      box.checked = a.capabilities.includes(box.value);
      box.disabled = !a.capabilities.includes(box.value);
    }
    $('#approve-form').hidden = a.state !== 'pending';
    $('#revoke-form').hidden = a.state !== 'active';
    if (a.state === 'pending') say(`Code valid until ${code.expires_at}; ${code.attempts_left} attempt(s) left.`);
    if (a.state === 'active') say(`Authorized until ${a.expires_at}. You can revoke at any time.`);
    host.dataset.state = a.state;
    host.emit('onbehalf:consent', { state: a.state, authorization: a });
    await activity();
  }

  const ACTIONS = {
    'authorization.requested': 'asked for authorization',
    'authorization.approved': 'you approved',
    'authorization.rejected': 'you rejected',
    'authorization.revoked': 'you revoked the authorization',
    'authorization.withdrawn': 'withdrew its request',
    'consent.code_sent': 'a code was sent',
    'consent.code_failed': 'a wrong code was entered',
    'session.started': 'started acting as you',
    'session.ended': 'stopped acting as you',
    'session.refused': 'was refused to act as you',
    'order.placed': 'placed an order',
    'order.paid': 'paid an order',
    'order.cancelled': 'cancelled an order',
    'order.refused': 'was refused an order',
    'resources.enabled': 'enabled pay-per-use resources',
    'quote.created': 'asked for a quote',
    'customer.revealed': 'viewed your hidden details (with a reason)',
  };

  async function activity() {
    const r = await call('GET', '/events');
    if (r.status !== 200) return;
    $('#activity').replaceChildren(
      ...r.body.events.map((e) => {
        const li = document.createElement('li');
        li.dataset.action = e.action;
        li.textContent = `${e.at.replace('T', ' ').replace('Z', ' UTC')} · ${e.actor_kind === 'customer' ? 'You' : 'Partner'}: ${ACTIONS[e.action] ?? e.action}${e.target_id ? ` (${e.target_id})` : ''}`;
        return li;
      }),
    );
  }

  $('#approve-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const capabilities = [...$$('input[name="cap"]:checked')].map((b) => b.value);
    const r = await call('POST', '/approve', { code: $('#code').value.trim(), capabilities });
    await load();
    if (r.status !== 200) say(`${r.body.error?.message ?? 'Failed.'}`);
  });
  $('#reject').addEventListener('click', async () => {
    const r = await call('POST', '/reject', {});
    await load();
    if (r.status !== 200) say(r.body.error?.message ?? 'Failed.');
  });
  $('#resend').addEventListener('click', async () => {
    const r = await call('POST', '/code');
    say(r.status === 202 ? 'A new code is on its way.' : (r.body.error?.message ?? 'Failed.'));
  });
  $('#revoke-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const r = await call('POST', '/revoke', { reason: $('#reason').value.trim() });
    await load();
    if (r.status !== 200) say(r.body.error?.message ?? 'Failed.');
  });

  return { load };
}

class OnbehalfConsent extends OnbehalfBase {
  static observedAttributes = ['token'];
  connectedCallback() {
    this.start();
  }
  attributeChangedCallback() {
    this.start();
  }
  async start() {
    if (!this.isConnected || !this.token) return;
    if (!this.view) {
      this.shadowRoot.innerHTML = TEMPLATE;
      this.view = mount(this, this.shadowRoot);
      await styled;
    }
    this.view.load();
  }
}

customElements.define('onbehalf-consent', OnbehalfConsent);
