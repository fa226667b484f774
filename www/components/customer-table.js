// <onbehalf-customer-table api-base>: Customer Management as a custom element: the 12 filters, the
// masked columns with eye icons (a reason, audited), verdict chips, budget bars, sorting, paging with the
// total, a More menu per row (order, authorization, budget, freeze, tags, account manager), bulk
// freeze/unfreeze of selected rows, the directory sync with its progress, and a customer's
// prerequisite report from the API next to the browser module's. Filtering the loaded page is instant (filterCustomers); the server answers the rest.
// Property: `token` (API key or portal token). Events (bubbling, composed): onbehalf:loaded {total, total_exact,
// page}, onbehalf:place-order {customer}, onbehalf:view-orders {customer}, onbehalf:view-resources
// {customer}. Theming: the --onbehalf-* custom properties (README); parts: filters, table.

import { authorizationText, localTime, money } from '../lib/format.js';
import init, { checkPrerequisites, errorCodes, filterCustomers } from '../pkg/onbehalf.js';
import { el, OnbehalfBase, styled } from './base.js';

const ready = init();
/** The message of each stable error code (the core's table, through the browser module). */
const MESSAGES = ready.then(() => new Map(errorCodes().map((c) => [c.code, c.message])));
let messages = new Map();
MESSAGES.then((m) => {
  messages = m;
});
/** What blocks ordering, in words (one sentence per code). */
export const blockingText = (codes) => codes.map((c) => messages.get(c) ?? c).join(' ');
const STATUS_WORDS = { pass: 'OK', warn: 'Warning', fail: 'Blocks ordering', skip: 'Not needed' };

const TEMPLATE = `    <p id="fatal" class="error card" role="alert" hidden></p>
    <form id="filters" part="filters" class="card filters" aria-label="Customer filters">
      <div class="filter"><label for="f-frozen">Frozen</label>
        <select id="f-frozen" name="frozen_state"><option value="">Any</option><option value="frozen">Frozen</option><option value="auto">Automatically frozen</option><option value="not">Not frozen</option></select></div>
      <div class="filter"><label for="f-assoc">Association type</label>
        <select id="f-assoc" name="association_type"><option value="">Any</option><option value="3">Reseller</option><option value="1">Referral</option></select></div>
      <div class="filter range"><span class="label" id="l-assoc-time">Association time</span>
        <input type="date" name="associated_from" aria-labelledby="l-assoc-time" aria-label="from"><input type="date" name="associated_to" aria-label="Association time to"></div>
      <div class="filter primary"><label for="f-name">Customer name</label><input id="f-name" name="customer_name" placeholder="contains…"></div>
      <div class="filter"><label for="f-account">Customer account</label><input id="f-account" name="account_name" placeholder="contains…"></div>
      <div class="filter primary"><label for="f-id">Customer ID</label><input id="f-id" name="customer_id" placeholder="32 hex digits"></div>
      <div class="filter"><label for="f-manager">Account manager</label><input id="f-manager" name="account_manager" placeholder="contains…"></div>
      <div class="filter range"><span class="label">Month-to-date spend (USD)</span>
        <input type="number" min="0" step="0.01" name="spend_min" aria-label="Spend from"><input type="number" min="0" step="0.01" name="spend_max" aria-label="Spend to"></div>
      <div class="filter range"><span class="label">Resource expiry</span>
        <input type="date" name="expiry_from" aria-label="Expiry from"><input type="date" name="expiry_to" aria-label="Expiry to"></div>
      <div class="filter primary"><label for="f-mobile">Mobile number</label><input id="f-mobile" name="mobile" inputmode="tel" placeholder="exact, with or without +86"></div>
      <div class="filter range"><span class="label">Budget usage (%)</span>
        <input type="number" min="0" max="1000" name="budget_usage_min" aria-label="Budget usage from"><input type="number" min="0" max="1000" name="budget_usage_max" aria-label="Budget usage to"></div>
      <div class="filter"><label for="f-tag">Customer tags</label>
        <div class="chips" id="tag-chips"></div><input id="f-tag" placeholder="type a tag, Enter"></div>
      <div class="filter"><label for="f-can">Can order now</label>
        <select id="f-can" name="can_order"><option value="">Any</option><option value="true">Yes</option><option value="false">No</option></select></div>
      <div class="filter"><label for="f-auth">Authorization</label>
        <select id="f-auth" name="authorization"><option value="">Any</option><option value="active">Active</option><option value="pending">Pending</option><option value="none">None</option></select></div>
      <div class="filter" id="reseller-filter" hidden><label for="f-reseller">Reseller</label>
        <select id="f-reseller" name="reseller_id"><option value="">All (mine and my resellers')</option></select></div>
      <div class="filter actions"><button type="submit">Search</button><button type="reset" class="link">Reset</button>
        <button type="button" class="link filters-toggle" id="filters-toggle" aria-expanded="false" aria-controls="filters">All filters</button></div>
      <p id="filter-error" class="error" role="alert"></p>
    </form>

    <section class="card">
      <div class="listhead"><h2>Customers <small id="total" data-testid="total"></small></h2><span id="local-note" class="muted" aria-live="polite"></span>
        <p id="announce" class="announce" role="status" data-testid="announce"></p>
        <span class="sync"><span id="sync-status" class="muted" role="status" data-testid="sync-status"></span><button type="button" id="sync" hidden>Sync from Huawei Cloud</button></span></div>
      <div class="bulk" id="bulk" hidden><span id="bulk-count"></span>
        <button type="button" id="bulk-freeze">Freeze</button><button type="button" id="bulk-unfreeze">Unfreeze</button></div>
      <div class="tablewrap" tabindex="0" role="region" aria-label="Customers (scrolls sideways)">
      <table id="customer-table" part="table">
        <thead><tr>
          <th scope="col" class="pick"><input type="checkbox" id="pick-all" aria-label="Select every customer on this page"></th>
          <th scope="col">Customer <button type="button" class="eye" data-field="real_name" aria-label="Show customer names on this page"><svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M12 5C6.5 5 2.7 9.3 1.5 12c1.2 2.7 5 7 10.5 7s9.3-4.3 10.5-7C21.3 9.3 17.5 5 12 5zm0 11.5A4.5 4.5 0 1 1 12 7.5a4.5 4.5 0 0 1 0 9zm0-7a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5z"/></svg></button></th>
          <th scope="col">Account <button type="button" class="eye" data-field="account_name" aria-label="Show account names on this page"><svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M12 5C6.5 5 2.7 9.3 1.5 12c1.2 2.7 5 7 10.5 7s9.3-4.3 10.5-7C21.3 9.3 17.5 5 12 5zm0 11.5A4.5 4.5 0 1 1 12 7.5a4.5 4.5 0 0 1 0 9zm0-7a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5z"/></svg></button></th>
          <th scope="col">Mobile <button type="button" class="eye" data-field="mobile" aria-label="Show mobile numbers on this page"><svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M12 5C6.5 5 2.7 9.3 1.5 12c1.2 2.7 5 7 10.5 7s9.3-4.3 10.5-7C21.3 9.3 17.5 5 12 5zm0 11.5A4.5 4.5 0 1 1 12 7.5a4.5 4.5 0 0 1 0 9zm0-7a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5z"/></svg></button></th>
          <th scope="col" class="partner-col" hidden>Reseller</th>
          <th scope="col">Type</th>
          <th scope="col"><button type="button" class="sort" data-sort="associated_on">Associated</button></th>
          <th scope="col"><button type="button" class="sort" data-sort="account_manager">Manager</button></th>
          <th scope="col"><button type="button" class="sort" data-sort="mtd_spend">Spend</button></th>
          <th scope="col"><button type="button" class="sort" data-sort="earliest_expiry">Expiry</button></th>
          <th scope="col"><button type="button" class="sort" data-sort="budget_usage">Budget</button></th>
          <th scope="col">State</th>
          <th scope="col"><span class="sr-only">Actions</span></th>
        </tr></thead>
        <tbody></tbody>
      </table>
      </div>
      <nav class="pager" aria-label="Pages"><button type="button" id="prev">Previous</button><span id="pageinfo"></span><button type="button" id="next">Next</button></nav>
    </section>

    <section class="card detail" id="detail" aria-live="polite" hidden>
      <h2 id="detail-title"></h2>
      <div id="api-verdict" class="verdict" data-testid="api-verdict"></div>
      <ol id="api-checks" class="checks"></ol>
      <div class="actions" id="remedies"></div>
      <p id="action-result" role="status"></p>
      <details class="dev" id="dev-details"><summary>Developer details</summary>
        <p class="muted">The same check twice: the worker API (<code>GET /v1/customers/{id}/prerequisites</code>) and
          the browser module (<code>checkPrerequisites(input)</code>) run in this page on the input the API used.</p>
        <div class="verdict-col">
          <h3>Browser module</h3>
          <div id="wasm-verdict" class="verdict" data-testid="wasm-verdict"></div>
          <ol id="wasm-checks" class="checks"></ol>
        </div>
        <p id="agreement" class="agreement" data-testid="agreement"></p>
      </details>
    </section>

  <dialog id="op-dialog" aria-labelledby="op-title">
    <form method="dialog" id="op-form">
      <h2 id="op-title"></h2>
      <p id="op-what"></p>
      <div id="op-fields"></div>
      <div id="op-history"></div>
      <p id="op-error" class="error" role="alert"></p>
      <div class="actions" id="op-actions"><button type="submit" id="op-ok">Save</button><button type="button" class="link" id="op-cancel">Cancel</button></div>
    </form>
  </dialog>

  <dialog id="switch-dialog" aria-labelledby="switch-title">
    <form method="dialog" id="switch-form">
      <h2 id="switch-title">Switch to the customer</h2>
      <p>You are about to act as <strong id="switch-who"></strong>. Orders you place are charged to the
        customer, listed under its Customer Orders, and every step is audited with your name.</p>
      <label for="switch-minutes">Session length (minutes, at most 60)</label>
      <input id="switch-minutes" type="number" min="1" max="60" value="30" required>
      <p id="switch-error" class="error" role="alert"></p>
      <div class="actions"><button type="submit" id="switch-ok">OK</button><button type="button" class="link" id="switch-cancel">Cancel</button></div>
    </form>
  </dialog>

  <dialog id="reveal-dialog" aria-labelledby="reveal-title">
    <form method="dialog" id="reveal-form">
      <h2 id="reveal-title">Show hidden data</h2>
      <p id="reveal-what"></p>
      <label for="reveal-reason">Reason (recorded in the audit trail)</label>
      <input id="reveal-reason" minlength="4" maxlength="200" required>
      <p id="reveal-error" class="error" role="alert"></p>
      <div class="actions"><button type="submit" value="ok">Show</button><button type="button" class="link" id="reveal-cancel">Cancel</button></div>
    </form>
  </dialog>`;

/** The filters whose form value is the query value, as `GET /v1/customers` names them (read by
 * `params`, written back by `restore`). */
const TEXT_FILTERS = [
  'association_type',
  'customer_name',
  'account_name',
  'customer_id',
  'account_manager',
  'mobile',
  'budget_usage_min',
  'budget_usage_max',
  'can_order',
  'authorization',
  'reseller_id',
];

const day = (d, end) => (d ? `${d}T${end ? '23:59:59' : '00:00:00'}Z` : null);

class OnbehalfCustomerTable extends OnbehalfBase {
  connectedCallback() {
    this.start();
  }
  /** Reloads the current page (after a change made elsewhere). */
  reload() {
    if (this.built) this.load({ resetPaging: false });
  }
  async start() {
    if (!this.isConnected || !this.token || this.built) return;
    this.built = true;
    this.shadowRoot.innerHTML = TEMPLATE;
    this.wire();
    await styled;
    this.boot();
  }

  /** The element's state and its controls' listeners. */
  wire() {
    this.me = null;
    this.partnerNames = new Map(); // a distributor's own name and its resellers', for the Reseller column

    // ---------------------------------------------------------------------------------------------
    // Query state
    // ---------------------------------------------------------------------------------------------
    this.state = { sort: null, order: null, cursors: [null], page: 0, rows: [], tags: [], revealed: new Map() };

    // ---------------------------------------------------------------------------------------------
    // Rendering
    // ---------------------------------------------------------------------------------------------

    // ---------------------------------------------------------------------------------------------
    // Loading: instant local filtering of the loaded page, then the server
    // ---------------------------------------------------------------------------------------------

    this.$('#filters').addEventListener('submit', (ev) => {
      ev.preventDefault();
      this.load();
    });
    // Narrow screens show the three lookups (name, id, mobile); "All filters" opens the rest.
    this.$('#filters-toggle').addEventListener('click', () =>
      this.showAllFilters(!this.$('#filters').classList.contains('expanded')),
    );
    // An open More menu follows its button when the page or the table scrolls, or the window resizes.
    const follow = () => {
      for (const d of this.$$('details.more[open]')) this.placeMenu(d);
    };
    window.addEventListener('scroll', follow, { passive: true });
    window.addEventListener('resize', follow);
    this.$('.tablewrap').addEventListener('scroll', follow, { passive: true });
    this.$('#filters').addEventListener('reset', () => {
      this.state.tags = [];
      this.renderTags();
      setTimeout(() => this.load(), 0);
    });
    for (const sel of this.$$('#filters select')) sel.addEventListener('change', () => this.load());
    this.$('#prev').addEventListener('click', () => {
      // A page restored from an address knows its own cursor, not those before it: back to the first.
      this.state.page = this.state.cursors[this.state.page - 1] === undefined ? 0 : this.state.page - 1;
      this.load({ resetPaging: false });
    });
    this.$('#next').addEventListener('click', () => {
      this.state.page += 1;
      this.load({ resetPaging: false });
    });
    for (const b of this.$$('th .sort')) {
      b.addEventListener('click', () => {
        const key = b.dataset.sort;
        if (this.state.sort === key) this.state.order = this.state.order === 'asc' ? 'desc' : 'asc';
        else {
          this.state.sort = key;
          this.state.order = 'asc';
        }
        this.load();
      });
    }

    this.$('#f-tag').addEventListener('keydown', (ev) => {
      if (ev.key !== 'Enter') return;
      ev.preventDefault();
      const t = ev.target.value.trim();
      if (t && !this.state.tags.includes(t)) {
        this.state.tags.push(t);
        this.renderTags();
        this.load();
      }
      ev.target.value = '';
    });

    // ---------------------------------------------------------------------------------------------
    // Reveal (eye icons): asks for a reason, audited by the server
    // ---------------------------------------------------------------------------------------------
    this.pendingReveal = null;
    for (const b of this.$$('th .eye')) {
      b.addEventListener('click', () =>
        this.reveal(
          this.state.rows.map((r) => r.id),
          b.dataset.field,
        ),
      );
    }
    this.$('#reveal-cancel').addEventListener('click', () => this.$('#reveal-dialog').close());

    // Place order on customer's behalf: the confirm step, then a switch-role session started with this
    // element's token; the host receives onbehalf:place-order with the session.
    this.$('#switch-cancel').addEventListener('click', () => this.$('#switch-dialog').close());
    this.$('#switch-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const c = this.pendingSwitch;
      const ok = this.$('#switch-ok');
      ok.disabled = true;
      ok.textContent = 'Switching…';
      const minutes = Number(this.$('#switch-minutes').value || 30);
      const r = await this.api('POST', `/v1/customers/${c.id}/sessions`, { minutes });
      ok.disabled = false;
      ok.textContent = 'OK';
      if (r.status !== 201) {
        this.$('#switch-error').textContent = this.failure(r);
        return;
      }
      this.$('#switch-dialog').close();
      this.emit('onbehalf:place-order', { customer: c, label: this.label(c), session: r.body });
    });
    this.$('#reveal-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const { ids, field } = this.pendingReveal;
      const reason = this.$('#reveal-reason').value.trim();
      const show = this.$('#reveal-form button[type="submit"]');
      show.disabled = true;
      const r =
        ids.length === 1
          ? await this.api('POST', `/v1/customers/${ids[0]}/reveal`, { fields: [field], reason })
          : await this.api('POST', '/v1/customers/reveal', { ids, fields: [field], reason });
      show.disabled = false;
      if (r.status !== 200) {
        this.$('#reveal-error').textContent = r.body.error?.message ?? 'Refused.';
        return;
      }
      for (const c of r.body.customers ?? [r.body])
        this.state.revealed.set(c.id, { ...(this.state.revealed.get(c.id) ?? {}), [field]: c[field] });
      this.$('#reveal-dialog').close();
      this.renderRows(this.state.rows);
    });

    // ---------------------------------------------------------------------------------------------
    // Partner operations: budget, freeze, tags, account manager (one dialog), bulk freeze, sync
    // ---------------------------------------------------------------------------------------------
    this.selected = new Set();
    this.pendingOp = null;
    this.$('#op-cancel').addEventListener('click', () => this.$('#op-dialog').close());
    this.$('#op-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      this.runOp(this.pendingOp.run);
    });
    this.$('#pick-all').addEventListener('change', (ev) => {
      for (const r of this.state.rows)
        if (this.operable(r)) ev.target.checked ? this.selected.add(r.id) : this.selected.delete(r.id);
      this.renderRows(this.state.rows);
    });
    for (const [id, frozen] of [
      ['#bulk-freeze', true],
      ['#bulk-unfreeze', false],
    ])
      this.$(id).addEventListener('click', () =>
        this.freezeDialog(
          this.state.rows.filter((r) => this.selected.has(r.id)),
          frozen,
        ),
      );
    this.$('#sync').addEventListener('click', async () => {
      this.$('#sync').disabled = true;
      const r = await this.api('POST', '/v1/customers/sync', {});
      if (r.status !== 202) this.$('#sync-status').textContent = r.body.error?.message ?? 'The sync was refused.';
      this.watchSync();
    });

    // ---------------------------------------------------------------------------------------------
    // Detail: the prerequisite report from the API next to the browser module's
    // ---------------------------------------------------------------------------------------------
  }

  /** Whether this user may operate the customer: admin or operator of the partner it is associated with. */
  operable(c) {
    return Boolean(this.me?.abilities.request_authorization && c.association.partner_id === this.me?.partner.id);
  }

  /** Opens the operation dialog: `fields` are elements, `run(formData)` answers an error message or
   * nothing (then the dialog closes and the page reloads); `ok` names the submit button; `extra` are
   * more actions, each `{label, id, run}` like the submit's. */
  openOp(title, what, fields, run, history = null, { ok = 'Save', extra = [] } = {}) {
    this.pendingOp = { run };
    this.$('#op-ok').textContent = ok;
    for (const b of this.$$('#op-actions .extra')) b.remove();
    for (const x of extra) {
      const b = el('button', { type: 'button', class: 'extra', id: x.id, text: x.label });
      b.addEventListener('click', () => this.runOp(x.run));
      this.$('#op-cancel').before(b);
    }
    this.$('#op-title').textContent = title;
    this.$('#op-what').textContent = what;
    this.$('#op-fields').replaceChildren(...fields);
    this.$('#op-history').replaceChildren(...(history ? [history] : []));
    this.$('#op-error').textContent = '';
    this.$('#op-dialog').showModal();
  }

  /** Runs a dialog action with its buttons disabled meanwhile; an answered message stays in the dialog. */
  async runOp(run) {
    const form = this.$('#op-form');
    const buttons = [...this.$$('#op-actions button')];
    for (const b of buttons) b.disabled = true;
    form.setAttribute('aria-busy', 'true');
    this.$('#op-error').textContent = '';
    let message;
    try {
      message = await run(new FormData(form));
    } finally {
      for (const b of buttons) b.disabled = false;
      form.removeAttribute('aria-busy');
    }
    if (message) {
      this.$('#op-error').textContent = message;
      return;
    }
    this.$('#op-dialog').close();
    this.load({ resetPaging: false });
  }

  /** How the customer is named on screen: the account (or customer) name once this user revealed it,
   * always the full id; never an unrevealed value. */
  label(c) {
    const r = this.state.revealed.get(c.id) ?? {};
    const name = r.account_name ?? r.real_name;
    return name ? `${name} · ${c.id}` : `customer ${c.id}`;
  }

  field(label, input) {
    const id = `op-${input.name}`;
    input.id = id;
    return el('div', { class: 'filter' }, el('label', { for: id, text: label }), input);
  }

  failure(r) {
    const e = r.body.error ?? {};
    const details = (e.details ?? []).map((d) => `${d.path.join('.')}: ${d.message}`).join(' ');
    const remedy = e.data?.remedy ? ` ${e.data.remedy}` : '';
    return `${e.message ?? `HTTP ${r.status}`} ${details}${remedy}`.trim();
  }

  async budgetDialog(c) {
    const cents = (m) => (m ? (m.minor / 100).toFixed(2) : '');
    const b = c.budget;
    const amount = el('input', {
      name: 'amount',
      type: 'number',
      min: '0',
      step: '0.01',
      required: '',
      value: cents(b?.amount),
    });
    const type = el(
      'select',
      { name: 'type' },
      el('option', { value: 'monthly', text: 'Monthly' }),
      el('option', { value: 'one_time', text: 'One-time' }),
    );
    type.value = b?.type ?? 'monthly';
    const auto = el('input', { name: 'auto_freeze', type: 'checkbox' });
    auto.checked = Boolean(b?.auto_freeze);
    const below = el('input', { name: 'below_usage', type: 'checkbox' });
    const used = b ? `Used so far: ${money(b.used)} of ${money(b.amount)} (${b.usage_percent} %).` : 'No budget yet.';
    const history = el('div', { class: 'history' }, el('h3', { text: 'History' }));
    const shown = await this.api('GET', `/v1/customers/${c.id}/budget`);
    const list = el('ol', { class: 'checks' });
    for (const e of (shown.body.history ?? []).slice(0, 5)) {
      const what = e.amount ? `${money(e.amount)} ${e.type ?? ''}` : e.operation;
      list.append(
        el('li', {
          text: `${localTime(e.at)}: ${what}${e.operator ? ` · ${e.operator}` : ''}`,
        }),
      );
    }
    history.append(list.children.length ? list : el('p', { class: 'muted', text: 'No change recorded.' }));
    this.openOp(
      'Set budget',
      `${c.real_name} · ${used}`,
      [
        this.field('Amount (USD)', amount),
        this.field('Budget type', type),
        this.field('Freeze automatically when used up', auto),
        this.field('Below current usage (confirm)', below),
      ],
      async (f) => {
        const body = {
          type: f.get('type'),
          amount: { minor: Math.round(Number(f.get('amount')) * 100), currency: c.month_to_date_spend.currency },
          auto_freeze: f.get('auto_freeze') === 'on',
          below_usage: f.get('below_usage') === 'on',
        };
        const r = await this.api('PUT', `/v1/customers/${c.id}/budget`, body);
        return r.status === 200 ? null : this.failure(r);
      },
      history,
    );
  }

  freezeDialog(customers, frozen) {
    if (!customers.length) return;
    const reason = el('input', { name: 'reason', minlength: '4', maxlength: '200', required: '' });
    const who = customers.length === 1 ? customers[0].real_name : `${customers.length} customers`;
    this.openOp(
      frozen ? 'Freeze' : 'Unfreeze',
      frozen
        ? `${who}: ordering on their behalf stops at once; their resources keep running.`
        : `${who}: ordering on their behalf is possible again (a customer frozen automatically needs budget first).`,
      [this.field('Reason (recorded in the audit trail)', reason)],
      async (f) => {
        const body = { customer_ids: customers.map((c) => c.id), reason: f.get('reason').trim() };
        const r = await this.api('POST', `/v1/customers/${frozen ? 'freeze' : 'unfreeze'}`, body);
        if (r.status !== 200) return this.failure(r);
        const refused = r.body.results.filter((x) => x.outcome === 'refused');
        if (refused.length) return `Huawei Cloud refused ${refused.length}: ${refused.map((x) => x.reason).join('; ')}`;
        this.selected.clear();
        return null;
      },
    );
  }

  tagsDialog(c) {
    const add = el('input', { name: 'add', placeholder: 'comma-separated' });
    const remove = el(
      'select',
      { name: 'remove', multiple: '' },
      ...c.tags.map((t) => el('option', { value: t, text: t })),
    );
    this.openOp(
      'Tags',
      `${c.real_name}: ${c.tags.join(', ') || 'no tags'}`,
      [this.field('Add', add), this.field('Remove', remove)],
      async (f) => {
        const body = {
          add: String(f.get('add') ?? '')
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean),
          remove: f.getAll('remove'),
        };
        const r = await this.api('PATCH', `/v1/customers/${c.id}/tags`, body);
        return r.status === 200 ? null : this.failure(r);
      },
    );
  }

  managerDialog(c) {
    const name = el('input', {
      name: 'account_manager',
      maxlength: '64',
      value: c.account_manager ?? '',
      placeholder: 'empty: unassign',
    });
    this.openOp('Account manager', c.real_name, [this.field('Account manager', name)], async (f) => {
      const v = String(f.get('account_manager') ?? '').trim();
      const r = await this.api('PUT', `/v1/customers/${c.id}/account-manager`, { account_manager: v || null });
      return r.status === 200 ? null : this.failure(r);
    });
  }

  /** Shows the directory sync's state; polls while one runs. */
  async watchSync() {
    const r = await this.api('GET', '/v1/customers/sync');
    if (r.status !== 200) return;
    const { running, last_finished: last } = r.body;
    const status = this.$('#sync-status');
    const button = this.$('#sync');
    button.hidden = !this.me?.abilities.sync_directory;
    button.disabled = Boolean(running);
    if (running) {
      const of = running.total ? ` of ${running.total}` : '';
      const err = running.last_error ? ` (retrying: ${running.last_error})` : '';
      status.textContent = `Syncing from Huawei Cloud: ${running.offset}${of}${err}`;
      clearTimeout(this.syncTimer);
      this.syncTimer = setTimeout(() => this.watchSync(), 1500);
      this.syncing = true;
      return;
    }
    if (last) {
      const c = last.counts;
      const when = localTime(last.finished_at);
      status.textContent =
        last.state === 'failed'
          ? `Last sync failed ${when}: ${last.last_error}`
          : `Last sync ${when}: ${c.added} added, ${c.changed} changed, ${c.marked} no longer listed`;
      status.dataset.state = last.state;
    } else status.textContent = 'Never synced from Huawei Cloud.';
    if (this.syncing) {
      this.syncing = false;
      this.load({ resetPaging: false });
    }
  }

  /** Shows the result of a query the host kept (from `onbehalf:loaded`: `{query, page, cursor,
   * cursors?}`, e.g. in the address bar for Back and links): the filters, sort and page as they were. */
  restore(saved) {
    if (!this.me) {
      this.pendingRestore = saved;
      return;
    }
    const q = saved?.query ?? {};
    const form = this.$('#filters');
    // Cleared field by field: form.reset() would fire the Reset button's own search.
    for (const f of form.elements) if (f.name && (f.tagName === 'INPUT' || f.tagName === 'SELECT')) f.value = '';
    const set = (name, v) => {
      const f = form.elements.namedItem(name);
      if (f && v !== undefined && v !== null) f.value = String(v);
    };
    set(
      'frozen_state',
      q.auto_frozen === 'true' ? 'auto' : q.frozen === 'true' ? 'frozen' : q.frozen === 'false' ? 'not' : '',
    );
    for (const k of TEXT_FILTERS) set(k, q[k]);
    for (const k of ['associated_from', 'associated_to', 'expiry_from', 'expiry_to']) set(k, q[k]?.slice(0, 10));
    for (const k of ['spend_min', 'spend_max']) if (q[k] !== undefined) set(k, Number(q[k]) / 100);
    this.state.tags = [].concat(q.tag ?? []);
    this.renderTags();
    this.state.sort = q.sort ?? null;
    this.state.order = q.order ?? null;
    // A restored search that uses a folded filter shows it.
    const primary = new Set(['customer_name', 'customer_id', 'mobile', 'sort', 'order']);
    if (Object.keys(q).some((k) => !primary.has(k))) this.showAllFilters(true);
    const page = Number(saved?.page ?? 0);
    this.state.page = Number.isInteger(page) && page > 0 ? page : 0;
    this.state.cursors = saved?.cursors ? [...saved.cursors] : [null];
    if (this.state.page > 0) this.state.cursors[this.state.page] = saved?.cursor ?? null;
    return this.load({ resetPaging: false });
  }

  /** Shows (or folds, on narrow screens) the filters beyond name, id and mobile. */
  showAllFilters(on) {
    this.$('#filters').classList.toggle('expanded', on);
    const b = this.$('#filters-toggle');
    b.setAttribute('aria-expanded', String(on));
    b.textContent = on ? 'Fewer filters' : 'All filters';
  }

  /** The query parameters (same names as GET /v1/customers and filterCustomers). */
  params() {
    const f = new FormData(this.$('#filters'));
    const p = {};
    const set = (k, v) => {
      if (v !== null && v !== undefined && v !== '') p[k] = v;
    };
    const frozen = f.get('frozen_state');
    if (frozen === 'frozen') p.frozen = 'true';
    if (frozen === 'auto') p.auto_frozen = 'true';
    if (frozen === 'not') p.frozen = 'false';
    for (const k of TEXT_FILTERS) set(k, (f.get(k) ?? '').trim());
    set('associated_from', day(f.get('associated_from'), false));
    set('associated_to', day(f.get('associated_to'), true));
    set('expiry_from', day(f.get('expiry_from'), false));
    set('expiry_to', day(f.get('expiry_to'), true));
    for (const k of ['spend_min', 'spend_max']) if (f.get(k)) p[k] = String(Math.round(Number(f.get(k)) * 100));
    if (this.state.tags.length) p.tag = [...this.state.tags];
    if (this.state.sort) {
      p.sort = this.state.sort;
      p.order = this.state.order;
    }
    return p;
  }

  qs(p) {
    const u = new URLSearchParams();
    for (const [k, v] of Object.entries(p)) for (const x of [].concat(v)) u.append(k, x);
    return u.toString();
  }

  budgetBar(c) {
    if (!c.budget) return el('span', { class: 'muted', text: 'no budget' });
    const pct = c.budget.usage_percent;
    const level = c.budget_level;
    const fill = el('span', { class: 'fill' });
    fill.style.width = `${Math.min(pct, 100)}%`; // CSSOM, not a style attribute: the CSP forbids inline styles
    const bar = el(
      'span',
      {
        class: `budget lvl-${level}`,
        role: 'meter',
        'aria-valuemin': '0',
        'aria-valuemax': '100',
        'aria-valuenow': String(pct),
        'aria-label': `Budget ${pct} %`,
      },
      fill,
    );
    return el('span', { class: 'budgetcell' }, bar, el('span', { text: ` ${pct}%` }));
  }

  chips(c) {
    const span = el('span', { class: 'chipset' });
    if (c.gone_since)
      span.append(
        el('span', { class: 'tag no', text: 'no longer in Huawei', title: `Not listed since ${c.gone_since}` }),
      );
    if (c.frozen.frozen)
      span.append(el('span', { class: 'tag frozen', text: c.frozen.auto ? 'auto-frozen' : 'frozen' }));
    if (c.association.type === '3')
      span.append(el('span', { class: `tag auth-${c.authorization.state}`, text: authorizationText(c.authorization) }));
    span.append(
      el('span', {
        class: `tag ${c.can_order ? 'ok' : 'no'}`,
        text: c.can_order ? 'can order' : 'cannot order',
        title: blockingText(c.blocking),
      }),
    );
    for (const t of c.tags) span.append(el('span', { class: 'tag', text: t }));
    return span;
  }

  /** The eye icon (an inline SVG: no emoji font needed). */
  eyeIcon() {
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('class', 'icon');
    svg.setAttribute('aria-hidden', 'true');
    const path = document.createElementNS(ns, 'path');
    path.setAttribute('d', this.$('th .eye path').getAttribute('d'));
    svg.append(path);
    return svg;
  }

  sensitiveCell(c, field) {
    const shown = this.state.revealed.get(c.id)?.[field];
    const value =
      shown !== undefined
        ? field === 'mobile'
          ? `${shown.country_code} ${shown.number}`
          : shown
        : field === 'mobile'
          ? `${c.mobile.country_code} ${c.mobile.number}`
          : c[field];
    const td = el(
      'td',
      { 'data-field': field, class: shown !== undefined ? 'revealed' : 'masked' },
      el('span', { text: value }),
    );
    if (shown === undefined && this.me?.abilities.reveal_sensitive) {
      const b = el(
        'button',
        { type: 'button', class: 'eye small', 'aria-label': `Show ${field.replace('_', ' ')} of this customer` },
        this.eyeIcon(),
      );
      b.addEventListener('click', (ev) => {
        ev.stopPropagation();
        this.reveal([c.id], field);
      });
      td.append(' ', b);
    }
    return td;
  }

  moreMenu(c) {
    const details = el('details', { class: 'more' }, el('summary', { text: 'More' }));
    const menu = el('div', { class: 'menu', role: 'menu' });
    const item = (label, enabled, why, action) => {
      const b = el('button', { type: 'button', role: 'menuitem', text: label });
      if (!enabled) {
        b.disabled = true;
        b.title = why;
        b.append(el('small', { class: 'why', text: why }));
      } else
        b.addEventListener('click', () => {
          details.open = false;
          action();
        });
      menu.append(b);
    };
    item(
      "Place order on customer's behalf",
      c.can_order && this.me?.abilities.place_order,
      c.can_order ? 'Your role may not order.' : blockingText(c.blocking),
      () => this.confirmSwitch(c),
    );
    const pending = c.authorization.state === 'pending';
    item(
      pending ? 'Authorization request…' : 'Request authorization…',
      this.me?.abilities.request_authorization && c.association.type === '3' && c.authorization.state !== 'active',
      c.authorization.state === 'active'
        ? `The customer has ${authorizationText(c.authorization)}.`
        : c.association.type !== '3'
          ? 'Only customers associated in reseller mode authorize ordering on behalf.'
          : 'Your role may not request authorization.',
      () => this.authorizationDialog(c),
    );
    const mine = this.operable(c);
    const notMine = this.me?.abilities.request_authorization
      ? 'Only the partner the customer is associated with.'
      : 'Your role may not change customers.';
    item('Set budget', mine, notMine, () => this.budgetDialog(c));
    if (c.frozen.frozen) item('Unfreeze', mine, notMine, () => this.freezeDialog([c], false));
    else item('Freeze', mine, notMine, () => this.freezeDialog([c], true));
    item('Tags', mine, notMine, () => this.tagsDialog(c));
    item('Account manager', mine, notMine, () => this.managerDialog(c));
    item('Prerequisites', true, '', () => this.showDetail(c));
    item('View resources', true, '', () => this.emit('onbehalf:view-resources', { customer: c }));
    item('Orders', true, '', () => this.emit('onbehalf:view-orders', { customer: c }));
    details.append(menu);
    // Fixed to the viewport, next to its button: the table's scroll box cannot clip it.
    details.addEventListener('toggle', () => {
      if (details.open) {
        for (const other of this.$$('details.more[open]')) if (other !== details) other.open = false;
        this.placeMenu(details);
      }
    });
    return details;
  }

  /** Puts an open More menu below its button, or above when there is no room below, inside the viewport. */
  placeMenu(details) {
    const menu = details.querySelector('.menu');
    const r = details.querySelector('summary').getBoundingClientRect();
    const h = menu.offsetHeight;
    const w = menu.offsetWidth;
    const fitsBelow = window.innerHeight - r.bottom >= h + 8;
    const top = fitsBelow || r.top < h + 8 ? r.bottom + 4 : r.top - h - 4;
    menu.style.top = `${Math.max(4, Math.min(top, window.innerHeight - h - 4))}px`;
    menu.style.left = `${Math.max(4, Math.min(r.right - w, window.innerWidth - w - 4))}px`;
  }

  renderRows(rows) {
    const tbody = this.$('#customer-table tbody');
    // A re-render (the server's answer after the instant local filter) keeps an open More menu open and
    // the keyboard focus on the same row's More button.
    const open = this.$('details.more[open]')?.closest('tr')?.dataset.customerId;
    const focused = this.shadowRoot.activeElement?.matches?.('details.more summary')
      ? this.shadowRoot.activeElement.closest('tr')?.dataset.customerId
      : undefined;
    tbody.replaceChildren();
    for (const c of rows) {
      const pick = el('input', { type: 'checkbox', 'aria-label': `Select ${c.real_name}` });
      pick.checked = this.selected.has(c.id);
      pick.disabled = !this.operable(c);
      pick.addEventListener('change', () => {
        pick.checked ? this.selected.add(c.id) : this.selected.delete(c.id);
        this.renderBulk();
      });
      const tr = el(
        'tr',
        { 'data-customer-id': c.id },
        el('td', { class: 'pick' }, pick),
        this.sensitiveCell(c, 'real_name'),
        this.sensitiveCell(c, 'account_name'),
        this.sensitiveCell(c, 'mobile'),
        el('td', {
          class: 'partner-col',
          'data-partner-id': c.association.partner_id,
          text: this.partnerNames.get(c.association.partner_id) ?? '',
        }),
        el('td', { text: c.association.type === '3' ? 'reseller' : 'referral' }),
        el('td', { text: c.association.associated_on.slice(0, 10) }),
        el('td', { text: c.account_manager ?? '' }),
        el('td', { class: 'num', text: money(c.month_to_date_spend) }),
        el('td', { text: c.earliest_expiry ? c.earliest_expiry.slice(0, 10) : '' }),
        el('td', {}, this.budgetBar(c)),
        el('td', {}, this.chips(c)),
        el('td', {}, this.moreMenu(c)),
      );
      tbody.append(tr);
    }
    const again = (id) => (id ? tbody.querySelector(`tr[data-customer-id="${id}"] details.more`) : null);
    const reopen = again(open);
    if (reopen) reopen.open = true;
    again(focused)?.querySelector('summary').focus();
    for (const b of this.$$('th .sort')) {
      const active = b.dataset.sort === (this.state.sort ?? 'associated_on');
      const order = this.state.sort ? this.state.order : 'desc';
      b.closest('th').setAttribute('aria-sort', active ? (order === 'asc' ? 'ascending' : 'descending') : 'none');
    }
    for (const b of this.$$('th .eye')) b.hidden = !this.me?.abilities.reveal_sensitive;
    this.renderBulk();
    for (const cell of this.$$('.partner-col')) cell.hidden = this.me?.partner.kind !== 'distributor';
  }

  async load({ resetPaging = true } = {}) {
    if (resetPaging) {
      this.state.cursors = [null];
      this.state.page = 0;
    }
    const p = this.params();
    this.$('#filter-error').textContent = '';
    // Instant: the browser module filters what is already loaded (same rules as the server).
    if (this.state.rows.length && resetPaging) {
      const local = filterCustomers(this.state.rows, p);
      if (!local.error) {
        const keep = new Set(local.ids);
        this.renderRows(local.ids.map((id) => this.state.rows.find((r) => r.id === id)).filter(Boolean));
        this.$('#local-note').textContent = local.server_only.length
          ? `Asking the server (${local.server_only.join(', ')} need data this page does not hold)…`
          : `${keep.size} on this page match; asking the server for all pages…`;
      }
    }
    const cursor = this.state.cursors[this.state.page];
    const r = await this.api('GET', `/v1/customers?${this.qs({ ...p, limit: '20', ...(cursor ? { cursor } : {}) })}`);
    this.$('#local-note').textContent = '';
    if (r.status !== 200) {
      // The rows under an error would answer another question: none are shown.
      this.$('#filter-error').textContent = this.failure(r);
      this.state.rows = [];
      this.renderRows([]);
      this.$('#total').textContent = '';
      delete this.$('#total').dataset.total;
      this.$('#pageinfo').textContent = '';
      this.$('#next').disabled = true;
      this.$('#detail').hidden = true;
      this.emit('onbehalf:loaded', { total: null, page: this.state.page, query: p, error: r.body.error });
      return;
    }
    this.state.rows = r.body.customers;
    // A prerequisite report of a customer the new result does not hold is stale: closed.
    if (!this.state.rows.some((x) => x.id === this.detailFor)) this.$('#detail').hidden = true;
    this.state.cursors[this.state.page + 1] = r.body.next_cursor;
    this.renderRows(this.state.rows);
    // A filtered count stops after 1,000 (the API's total_exact): then a lower bound, and no page count.
    const exact = r.body.total_exact !== false;
    this.$('#total').textContent = exact
      ? `(${r.body.total} in total)`
      : `(more than ${r.body.total.toLocaleString('en-US')})`;
    this.$('#total').dataset.total = String(r.body.total);
    this.$('#total').dataset.exact = String(exact);
    this.$('#pageinfo').textContent = exact
      ? `page ${this.state.page + 1} of ${Math.max(1, Math.ceil(r.body.total / 20))}`
      : `page ${this.state.page + 1}`;
    this.$('#prev').disabled = this.state.page === 0;
    this.$('#next').disabled = !r.body.next_cursor;
    this.dataset.ready = 'true';
    this.dataset.loads = String(Number(this.dataset.loads ?? 0) + 1);
    this.emit('onbehalf:loaded', {
      total: r.body.total,
      total_exact: exact,
      page: this.state.page,
      query: p,
      cursor: this.state.cursors[this.state.page] ?? null,
      cursors: [...this.state.cursors],
    });
  }

  renderBulk() {
    const n = this.state.rows.filter((r) => this.selected.has(r.id)).length;
    this.$('#bulk').hidden = n === 0;
    this.$('#bulk-count').textContent = `${n} selected`;
  }

  renderTags() {
    const box = this.$('#tag-chips');
    box.replaceChildren();
    for (const t of this.state.tags) {
      const b = el('button', { type: 'button', class: 'chip', 'aria-label': `Remove tag ${t}`, text: `${t} ×` });
      b.addEventListener('click', () => {
        this.state.tags = this.state.tags.filter((x) => x !== t);
        this.renderTags();
        this.load();
      });
      box.append(b);
    }
  }

  reveal(ids, field) {
    this.pendingReveal = { ids, field };
    this.$('#reveal-what').textContent =
      `${field.replace('_', ' ')} of ${ids.length} customer${ids.length > 1 ? 's' : ''}`;
    this.$('#reveal-error').textContent = '';
    this.$('#reveal-reason').value = '';
    this.$('#reveal-dialog').showModal();
  }

  /** A prerequisite report: the verdict in words, each check with its status, message and remedy
   * (`codes`: the machine codes too, for Developer details). */
  renderReport(report, verdictSel, listSel, { codes = false } = {}) {
    const v = this.$(verdictSel);
    v.className = `verdict ${report.can_order ? 'yes' : 'no'}`;
    v.dataset.blocking = report.blocking.join(' ');
    v.textContent = report.can_order
      ? 'You can place orders on behalf of this customer.'
      : `You cannot place orders on behalf of this customer yet: ${report.checks
          .filter((c) => c.status === 'fail')
          .map((c) => c.message)
          .join(' ')}`;
    const ol = this.$(listSel);
    ol.replaceChildren();
    for (const c of report.checks) {
      const li = el(
        'li',
        { 'data-check': c.check, 'data-status': c.status, ...(c.code ? { 'data-code': c.code } : {}) },
        el('span', { class: `status ${c.status}`, text: STATUS_WORDS[c.status] ?? c.status }),
        ` ${c.message} `,
      );
      if (codes && c.code) li.append(el('code', { text: c.code }), ' ');
      if (c.remedy) li.append(el('span', { class: 'remedy', text: `What to do: ${c.remedy}` }));
      ol.append(li);
    }
  }

  async showDetail(c) {
    this.detailFor = c.id;
    this.$('#detail').hidden = false;
    this.$('#detail-title').textContent = `Prerequisites · ${this.label(c)}`;
    this.$('#action-result').textContent = '';
    this.$('#remedies').replaceChildren();
    delete this.$('#agreement').dataset.match;
    this.$('#agreement').textContent = 'Checking…';
    this.$('#api-verdict').textContent = 'Checking…';
    this.$('#api-checks').replaceChildren();
    const r = await this.api('GET', `/v1/customers/${c.id}/prerequisites?include=input`);
    if (r.status !== 200) {
      this.$('#api-verdict').textContent = this.failure(r);
      return;
    }
    const { input, ...apiReport } = r.body;
    const wasmReport = checkPrerequisites(input);
    this.renderReport(apiReport, '#api-verdict', '#api-checks');
    if (wasmReport.error) this.$('#wasm-verdict').textContent = `error: ${wasmReport.error.code}`;
    else this.renderReport(wasmReport, '#wasm-verdict', '#wasm-checks', { codes: true });
    const same = JSON.stringify(apiReport) === JSON.stringify(wasmReport);
    const a = this.$('#agreement');
    a.className = `agreement ${same ? 'match' : 'mismatch'}`;
    a.dataset.match = String(same);
    a.textContent = same
      ? 'Identical reports: the worker and this page ran the same Rust core on the same input.'
      : 'The reports differ: this is a bug, please report it.';
    // The remedies a user can act on from here.
    const failing = new Set(apiReport.blocking);
    const remedies = [];
    if ([...failing].some((code) => code.startsWith('authorization_')) && this.me?.abilities.request_authorization)
      remedies.push(['Request authorization…', () => this.authorizationDialog(c)]);
    if ([...failing].some((code) => code.startsWith('distributor_permission_')) && this.me?.partner.kind === 'reseller')
      remedies.push(['Ask your distributor…', () => this.askDistributor(c)]);
    if (apiReport.can_order && this.me?.abilities.place_order)
      remedies.push(["Place order on customer's behalf", () => this.confirmSwitch(c)]);
    this.$('#remedies').replaceChildren(
      ...remedies.map(([text, act]) => {
        const b = el('button', { type: 'button', text });
        b.addEventListener('click', act);
        return b;
      }),
    );
    this.$('#detail').scrollIntoView({ block: 'nearest' });
  }

  /** Request authorization, as Huawei's Partner Center asks it: what (order placement, O&M), for how
   * long, the partner's commitment; a pending request instead shows when it was sent and offers
   * Resend (a new link and code) and Withdraw. */
  async authorizationDialog(c) {
    const list = await this.api('GET', `/v1/customers/${c.id}/authorizations`);
    const pending = (list.body.authorizations ?? []).find(
      (a) => a.partner_id === this.me.partner.id && a.state === 'pending',
    );
    if (pending) return this.pendingDialog(c, pending);
    const cap = (value, text) => {
      const box = el('input', { type: 'checkbox', name: 'capabilities', value, id: `op-cap-${value}` });
      box.checked = true;
      return el('label', { for: box.id, class: 'check' }, box, ` ${text}`);
    };
    const caps = el(
      'fieldset',
      { class: 'filter' },
      el('legend', { text: 'Capabilities' }),
      cap('order', 'Place orders on the customer’s behalf'),
      cap('om', 'Operate and maintain its resources (O&M)'),
    );
    const days = el('input', { name: 'valid_days', type: 'number', min: '1', max: '365', value: '180', required: '' });
    const promise = el('input', { type: 'checkbox', name: 'commitment', id: 'op-commitment', required: '' });
    const commitment = el(
      'label',
      { for: 'op-commitment', class: 'check commitment' },
      promise,
      ' We confirm that the customer asked us to act on its behalf, that we will use this authorization only for ' +
        'the capabilities and period above, and that every action is recorded in an audit trail the customer can read.',
    );
    this.openOp(
      'Request authorization',
      `${this.label(c)}: the customer receives a link by email and a verification code by SMS, and decides what to grant.`,
      [caps, this.field('Valid for (days after approval, 1 to 365)', days), commitment],
      async (f) => {
        const capabilities = f.getAll('capabilities');
        if (!capabilities.length) return 'Choose at least one capability.';
        if (f.get('commitment') !== 'on') return 'Confirm the commitment to send the request.';
        const r = await this.api('POST', `/v1/customers/${c.id}/authorizations`, {
          capabilities,
          valid_days: Number(f.get('valid_days')),
          commitment: true,
        });
        if (r.status !== 201) return this.failure(r);
        this.say(
          `Authorization requested from ${this.label(c)}: the link works until ${localTime(r.body.consent_expires_at)}.`,
        );
        return null;
      },
      null,
      { ok: 'Send request' },
    );
  }

  /** "Ask your distributor": a request the distributor sees in its portal (Distributor permissions). */
  askDistributor(c) {
    const cap = (value, text, checked) => {
      const box = el('input', { type: 'checkbox', name: 'capabilities', value, id: `op-ask-${value}` });
      box.checked = checked;
      return el('label', { for: box.id, class: 'check' }, box, ` ${text}`);
    };
    const scope = (value, text, checked) => {
      const r = el('input', { type: 'radio', name: 'scope', value, id: `op-scope-${value}` });
      r.checked = checked;
      return el('label', { for: r.id, class: 'check' }, r, ` ${text}`);
    };
    const note = el('textarea', {
      name: 'note',
      maxlength: '500',
      rows: '3',
      placeholder: 'optional: what you need it for',
    });
    this.openOp(
      'Ask your distributor',
      'Your distributor sees this request in its portal and can grant the permission from there.',
      [
        el(
          'fieldset',
          { class: 'filter' },
          el('legend', { text: 'Permission' }),
          cap('order', 'Place orders on behalf', true),
          cap('om', 'O&M on behalf', false),
        ),
        el(
          'fieldset',
          { class: 'filter' },
          el('legend', { text: 'For' }),
          scope('customer', this.label(c), true),
          scope('all', 'All my reseller-mode customers', false),
        ),
        this.field('Note to your distributor', note),
      ],
      async (f) => {
        const capabilities = f.getAll('capabilities');
        if (!capabilities.length) return 'Choose at least one permission.';
        const text = String(f.get('note') ?? '').trim();
        const r = await this.api('POST', '/v1/permission-requests', {
          capabilities,
          ...(f.get('scope') === 'customer' ? { customer_id: c.id } : {}),
          ...(text ? { note: text } : {}),
        });
        if (r.status !== 201) return this.failure(r);
        this.say('Your distributor was asked; the customer can be served once it grants the permission.');
        return null;
      },
      null,
      { ok: 'Send request' },
    );
  }

  /** Where each message of an authorization request stands (`GET /v1/authorizations/{id}`): sent,
   * delivered, waiting for another attempt (and why), failed with the provider's reason, or held in the
   * dev outbox. */
  messagesView(messages) {
    const what = { email: 'Email with the consent link', sms: 'SMS with the verification code' };
    const via = {
      huawei_sms: 'Huawei Cloud SMS',
      email_api: 'your email API',
      webhook: 'your webhook',
      dev_outbox: 'the dev outbox',
    };
    const tries = (n) => `${n} attempt${n === 1 ? '' : 's'}`;
    const state = (m) => {
      if (m.status === 'held') return 'held, not sent (no message channel is configured)';
      if (m.status === 'queued' && m.attempts > 0)
        return `${tries(m.attempts)} failed (${m.last_error}); next attempt ${localTime(m.next_attempt_at)}`;
      if (m.status === 'sending') return `sending (attempt ${m.attempts})`;
      if (m.status === 'sent')
        return `sent ${localTime(m.sent_at)}${m.attempts > 1 ? ` after ${tries(m.attempts)}` : ''}`;
      if (m.status === 'delivered') return `delivered ${localTime(m.delivered_at)}`;
      if (m.status === 'failed') return `failed after ${tries(m.attempts)}: ${m.last_error}`;
      return m.status;
    };
    return el(
      'section',
      { id: 'op-messages', 'aria-label': 'Messages to the customer' },
      el('h3', { text: 'Messages to the customer' }),
      el(
        'ul',
        {},
        ...messages.map((m) =>
          el(
            'li',
            { class: `message message-${m.status}` },
            el('strong', { text: what[m.channel] ?? m.channel }),
            ` via ${via[m.via] ?? m.via}: ${state(m)}`,
          ),
        ),
      ),
    );
  }

  async pendingDialog(c, a) {
    const caps = a.capabilities.map((x) => (x === 'order' ? 'order placement' : 'O&M')).join(' and ');
    const reason = el('input', { name: 'reason', maxlength: '200', placeholder: 'optional, for Withdraw' });
    const shown = await this.api('GET', `/v1/authorizations/${a.id}`);
    this.openOp(
      'Authorization request',
      `${this.label(c)}: asked ${localTime(a.requested_at)} for ${caps}, ${a.valid_days} days after approval. ` +
        `The customer has not answered; the link works until ${localTime(a.consent_expires_at)}.`,
      [this.field('Reason (recorded in the audit trail)', reason)],
      async () => {
        const r = await this.api('POST', `/v1/authorizations/${a.id}/resend`, {});
        if (r.status !== 202) return this.failure(r);
        this.say(`A new link and code were sent to ${this.label(c)}; the previous ones no longer work.`);
        return null;
      },
      shown.status === 200 ? this.messagesView(shown.body.messages) : null,
      {
        ok: 'Resend link and code',
        extra: [
          {
            label: 'Withdraw request',
            id: 'op-withdraw',
            run: async (f) => {
              const why = String(f.get('reason') ?? '').trim();
              const r = await this.api('POST', `/v1/authorizations/${a.id}/withdraw`, why ? { reason: why } : {});
              if (r.status !== 200) return this.failure(r);
              this.say(`The authorization request to ${this.label(c)} was withdrawn.`);
              return null;
            },
          },
        ],
      },
    );
  }

  /** The confirm step before acting as `c` (see the submit handler in `wire`). */
  confirmSwitch(c) {
    this.pendingSwitch = c;
    this.$('#switch-who').textContent = this.label(c);
    this.$('#switch-error').textContent = '';
    this.$('#switch-dialog').showModal();
  }

  /** Announces the result of an action (a live region: screen readers hear it). */
  say(message) {
    const s = this.$('#announce');
    s.textContent = '';
    setTimeout(() => {
      s.textContent = message;
    }, 50);
  }

  async boot() {
    await ready;
    const r = await this.api('GET', '/v1/me');
    if (r.status !== 200) {
      const f = this.$('#fatal');
      f.hidden = false;
      f.textContent =
        r.status === 401
          ? `Customer Management cannot load: this page's sign-in is not valid or has expired (${r.body.error?.message ?? 'unauthenticated'}). Reload the page or sign in again.`
          : `Customer Management cannot load: ${this.failure(r)}`;
      for (const s of this.$$('#filters, section.card')) s.hidden = true;
      this.emit('onbehalf:error', r.body.error);
      return;
    }
    this.me = r.body;
    if (this.me.partner.kind === 'distributor') {
      const res = await this.api('GET', '/v1/resellers');
      this.partnerNames.set(this.me.partner.id, `${this.me.partner.name} (own)`);
      for (const p of res.body.resellers ?? []) {
        this.partnerNames.set(p.id, p.name);
        this.$('#f-reseller').append(el('option', { value: p.id, text: p.name }));
      }
      this.$('#reseller-filter').hidden = false;
    }
    if (this.pendingRestore) await this.restore(this.pendingRestore);
    else await this.load();
    await this.watchSync();
  }
}

customElements.define('onbehalf-customer-table', OnbehalfCustomerTable);
