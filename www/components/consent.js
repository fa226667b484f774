// <onbehalf-consent token api-base>: the customer's side of an authorization request, as a custom
// element: review what a partner asks, approve with the SMS code (optionally narrowed, naming the
// Huawei Cloud account and the agency created for the partner), reject, or revoke later; and the activity on the customer's account. Events: onbehalf:consent {state,
// authorization} after every load. Theming: the --onbehalf-* custom properties (README); parts: card.
import { request } from '../lib/api.js';
import { localTime } from '../lib/format.js';
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
      <fieldset id="agency" hidden>
        <legend>Your Huawei Cloud agency for this partner</legend>
        <p class="muted" id="agency-help">The partner orders in your Huawei Cloud account through an agency you create, never with
          your password. In the Huawei Cloud console, open IAM &gt; Agencies &gt; Create Agency, choose the agency type
          "Account", enter the partner's account name (<strong id="agency-partner">given by the partner</strong>), and grant
          the permissions you allow (for ordering: ECS, EVS and VPC FullAccess and BSS Administrator, in the regions you buy
          in). Name the agency as below, or enter the name you chose; you can delete the agency at any time, which stops the
          partner at once.</p>
        <label for="agency-domain">Your Huawei Cloud account name</label>
        <input id="agency-domain" name="domain_name" autocomplete="off" maxlength="64">
        <label for="agency-name">Agency name</label>
        <input id="agency-name" name="agency_name" autocomplete="off" maxlength="64">
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

const NAMES = { order: 'place orders on your behalf', om: 'operate your resources (O&M)' };

/** Audit actions as the customer reads them. */
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
  'agency.assumed': 'signed in to your Huawei Cloud account through your agency',
  'order.in_doubt': 'sent an order to Huawei Cloud that is being confirmed',
  'order.completed': 'completed an order in your Huawei Cloud account',
  'order.failed': 'had an order fail in Huawei Cloud',
  'huawei_account.set': 'recorded your Huawei Cloud account and agency',
  'customer.budget_set': 'set your budget',
  'customer.frozen': 'froze your account',
  'customer.unfrozen': 'unfroze your account',
  'quote.created': 'asked for a quote',
  'customer.revealed': 'viewed your hidden details (with a reason)',
};

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
    if (!this.built) {
      this.shadowRoot.innerHTML = TEMPLATE;
      this.wire();
      this.built = true;
      await styled;
    }
    this.load();
  }
  /** Calls the consent link's API: the token is in the path, there is no Authorization header. */
  consent(method, path, body) {
    return request('', method, `/v1/consent/${this.token}${path}`, { body, base: this.apiBase });
  }
  say(text) {
    this.$('#consent-message').textContent = text;
  }
  /** Runs an action, reloads, and says why it failed if it did. */
  async act(path, body, ok = 200) {
    const r = await this.consent('POST', path, body);
    await this.load();
    if (r.status !== ok) this.say(r.body.error?.message ?? 'Failed.');
  }
  wire() {
    this.$('#approve-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const capabilities = [...this.$$('input[name="cap"]:checked')].map((b) => b.value);
      const body = { code: this.$('#code').value.trim(), capabilities };
      const domain = this.$('#agency-domain').value.trim();
      const agency = this.$('#agency-name').value.trim();
      if (capabilities.includes('order') && domain && agency)
        body.huawei_account = { domain_name: domain, agency_name: agency };
      this.act('/approve', body);
    });
    this.$('#reject').addEventListener('click', () => this.act('/reject', {}));
    this.$('#resend').addEventListener('click', async () => {
      const r = await this.consent('POST', '/code');
      this.say(r.status === 202 ? 'A new code is on its way.' : (r.body.error?.message ?? 'Failed.'));
    });
    this.$('#revoke-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      this.act('/revoke', { reason: this.$('#reason').value.trim() });
    });
  }
  async load() {
    const r = await this.consent('GET', '');
    if (r.status !== 200) {
      this.$('#consent-state').textContent = 'unavailable';
      this.say(r.body.error?.message ?? 'This link is not valid.');
      return;
    }
    const { authorization: a, partner, customer, code } = r.body;
    this.$('#consent-title').textContent = `${partner.name} asks to act on your behalf`;
    const what = a.capabilities.map((c) => NAMES[c]).join(' and ');
    this.$('#consent-summary').textContent =
      a.state === 'pending'
        ? `For account ${customer.account_name}: ${what}, for ${a.valid_days} days after approval.`
        : `For your account ${customer.account_name}: ${what}.`;
    this.$('#consent-state').textContent = a.state;
    this.$('#consent-mobile').textContent = customer.mobile;
    for (const box of this.$$('input[name="cap"]')) {
      box.checked = a.capabilities.includes(box.value);
      box.disabled = !a.capabilities.includes(box.value);
    }
    this.$('#approve-form').hidden = a.state !== 'pending';
    // Ordering needs the agency: the customer confirms (or names) it with the approval.
    const h = r.body.huawei_account;
    this.$('#agency').hidden = !h || !a.capabilities.includes('order');
    if (h) {
      if (h.partner_account_name) this.$('#agency-partner').textContent = h.partner_account_name;
      if (!this.$('#agency-domain').value) this.$('#agency-domain').value = h.domain_name ?? '';
      if (!this.$('#agency-name').value) this.$('#agency-name').value = h.agency_name ?? h.suggested_agency_name;
    }
    this.$('#revoke-form').hidden = a.state !== 'active';
    if (a.state === 'pending')
      this.say(`Code valid until ${localTime(code.expires_at)}; ${code.attempts_left} attempt(s) left.`);
    if (a.state === 'active')
      this.say(
        `You authorized ${partner.name} to ${what} for your account ` +
          `${customer.account_name} until ${localTime(a.expires_at)}. You can revoke this at any time.`,
      );
    this.dataset.state = a.state;
    this.emit('onbehalf:consent', { state: a.state, authorization: a });
    await this.activity();
  }
  async activity() {
    const r = await this.consent('GET', '/events');
    if (r.status !== 200) return;
    this.$('#activity').replaceChildren(
      ...r.body.events.map((e) => {
        const li = document.createElement('li');
        li.dataset.action = e.action;
        const who = e.actor_kind === 'customer' ? 'You' : 'Partner';
        const what = `${ACTIONS[e.action] ?? e.action}${e.target_id ? ` (${e.target_id})` : ''}`;
        li.textContent = `${e.at.replace('T', ' ').replace('Z', ' UTC')} · ${who}: ${what}`;
        return li;
      }),
    );
  }
}

customElements.define('onbehalf-consent', OnbehalfConsent);
