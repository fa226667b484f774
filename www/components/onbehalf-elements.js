// Framework-free custom elements for embedding onbehalf in a partner's own portal (no build step):
//   <onbehalf-prerequisites customer-id token api-base>  the prerequisite report from the API, re-run
//                                                         in this page by the browser module
//   <onbehalf-session-banner token api-base>             "Acting as … · ends in mm:ss · Switch Role"
// Configuration: `token` (a portal token obp_… minted by your server, or a session token for the
// banner) and `api-base` (default: this origin) as attributes or properties. Theming: the
// --onbehalf-* custom properties (README, Theming) and parts (::part(verdict), ::part(check), ::part(remedy), ::part(banner),
// ::part(button)). Events bubble out of the shadow DOM: onbehalf:prerequisites, onbehalf:session-ended.

import { countdown } from '../lib/format.js';
import init, { checkPrerequisites } from '../pkg/onbehalf.js';
import { el, OnbehalfBase } from './base.js';

const ready = init();

const BASE_CSS = `
  :host { display: block; font-family: var(--onbehalf-font, system-ui, sans-serif); color: inherit; }
  [part~="verdict"] { font-weight: 600; padding: .4rem .6rem; border-radius: var(--onbehalf-radius, 6px); margin-bottom: .5rem; }
  [part~="verdict"].yes { color: var(--onbehalf-pass, #1a7f37); background: color-mix(in srgb, var(--onbehalf-pass, #1a7f37) 12%, white); }
  [part~="verdict"].no { color: var(--onbehalf-fail, #cf222e); background: color-mix(in srgb, var(--onbehalf-fail, #cf222e) 10%, white); }
  ol { list-style: none; padding: 0; margin: 0; font-size: .9rem; }
  [part~="check"] { padding: .3rem 0; border-bottom: 1px dashed #d9e2ec; }
  .status { display: inline-block; min-width: 3.4rem; font-weight: 600; text-transform: uppercase; font-size: .75rem; }
  .pass { color: var(--onbehalf-pass, #1a7f37); } .fail { color: var(--onbehalf-fail, #cf222e); }
  .warn { color: var(--onbehalf-warn, #9a6700); } .skip { color: var(--onbehalf-skip, #6e7781); }
  [part~="remedy"] { display: block; color: #4f6275; margin-left: 3.4rem; }
  [part~="banner"] { display: flex; flex-wrap: wrap; gap: .25rem .75rem; align-items: center; padding: .5rem 1rem; border-radius: var(--onbehalf-radius, 6px);
    overflow-wrap: anywhere;
    background: color-mix(in srgb, var(--onbehalf-warn, #d4a72c) 18%, white); }
  [part~="button"] { font: inherit; border: 0; border-radius: var(--onbehalf-radius, 6px); padding: .3rem .8rem; cursor: pointer;
    background: var(--onbehalf-accent, #c7000b); color: white; }
  [part~="button"]:focus-visible { outline: 2px solid var(--onbehalf-accent, #c7000b); outline-offset: 2px; }
`;

/** One constructable stylesheet shared by every element: allowed by a strict CSP (no inline style). */
const sheet = new CSSStyleSheet();
sheet.replaceSync(BASE_CSS);

/** The base, with this file's own stylesheet (themed by the --onbehalf-* properties). */
class OnbehalfElement extends OnbehalfBase {
  constructor() {
    super();
    this.shadowRoot.adoptedStyleSheets = [sheet];
  }
  set token(v) {
    this._token = v;
    this.refresh?.();
  }
  get token() {
    return super.token;
  }
  node(tag, attrs, ...kids) {
    return el(tag, attrs, ...kids);
  }
}

/** The order-on-behalf prerequisite report for `customer-id`: the API's, checked again in this page. */
class OnbehalfPrerequisites extends OnbehalfElement {
  static observedAttributes = ['customer-id', 'token'];
  attributeChangedCallback() {
    if (this.isConnected) this.refresh();
  }
  connectedCallback() {
    this.refresh();
  }
  async refresh() {
    const id = this.getAttribute('customer-id');
    if (!id || !this.token) return;
    this.setAttribute('aria-busy', 'true');
    await ready;
    const r = await this.api('GET', `/v1/customers/${id}/prerequisites?include=input`);
    const root = this.shadowRoot;
    if (r.status !== 200) {
      root.replaceChildren(
        this.node('p', {
          part: 'verdict',
          class: 'no',
          role: 'alert',
          text: `${r.body.error?.code}: ${r.body.error?.message}`,
        }),
      );
      this.removeAttribute('aria-busy');
      this.emit('onbehalf:error', r.body.error);
      return;
    }
    const { input, ...report } = r.body;
    const local = checkPrerequisites(input);
    const agree = JSON.stringify(local) === JSON.stringify(report);
    const verdict = this.node('p', {
      part: 'verdict',
      class: report.can_order ? 'yes' : 'no',
      role: 'status',
      text: report.can_order ? 'Can order on behalf' : `Cannot order: ${report.blocking.join(', ')}`,
    });
    const list = this.node(
      'ol',
      { 'aria-label': 'Prerequisite checks' },
      ...report.checks.map((c) => {
        const li = this.node(
          'li',
          { part: `check ${c.status}`, 'data-check': c.check, 'data-status': c.status },
          this.node('span', { class: `status ${c.status}`, text: c.status }),
          ` ${c.message}`,
        );
        if (c.remedy) li.append(this.node('span', { part: 'remedy', text: `→ ${c.remedy}` }));
        return li;
      }),
    );
    root.replaceChildren(verdict, list);
    this.removeAttribute('aria-busy');
    this.dataset.canOrder = String(report.can_order);
    this.emit('onbehalf:prerequisites', { report, agree });
  }
}

/** The acting-as banner of a switch-role session (`token` = the session token obs_…). */
class OnbehalfSessionBanner extends OnbehalfElement {
  connectedCallback() {
    this.refresh();
  }
  disconnectedCallback() {
    clearInterval(this.timer);
  }
  async refresh() {
    clearInterval(this.timer);
    if (!this.token) return;
    const r = await this.api('GET', '/v1/sessions/current');
    if (r.status !== 200) return this.end(r.body.error?.code ?? 'session_ended');
    const s = r.body;
    const count = this.node('span', { part: 'countdown', 'aria-live': 'off' });
    const button = this.node('button', { part: 'button', type: 'button', id: 'switch-role', text: 'Switch Role' });
    button.addEventListener('click', async () => {
      await this.api('DELETE', '/v1/sessions/current');
      this.end('switch_role');
    });
    this.shadowRoot.replaceChildren(
      this.node(
        'div',
        { part: 'banner', role: 'status' },
        'Acting as ',
        this.node('strong', { text: this.getAttribute('customer-label') ?? s.customer_id }),
        ' · ends in ',
        count,
        ' · ',
        button,
      ),
    );
    const deadline = Date.now() + s.remaining_seconds * 1000;
    const tick = () => {
      const n = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      count.textContent = countdown(n);
      if (n === 0) this.end('session_expired');
    };
    tick();
    this.timer = setInterval(tick, 1000);
    this.dataset.state = 'live';
  }
  /** Ends the banner (the session is over for `reason`) and tells the host. */
  end(reason) {
    this.say('You are back in the partner view.');
    this.emit('onbehalf:session-ended', { reason });
  }
  /** Shows `message` in place of the session (no event): why a session ended, or where the user is. */
  say(message) {
    clearInterval(this.timer);
    this.dataset.state = 'ended';
    this.shadowRoot.replaceChildren(this.node('div', { part: 'banner', role: 'status', text: message }));
  }
}

customElements.define('onbehalf-prerequisites', OnbehalfPrerequisites);
customElements.define('onbehalf-session-banner', OnbehalfSessionBanner);
