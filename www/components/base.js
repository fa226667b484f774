// What the portal's custom elements share: the portal stylesheet adopted by each shadow root (fetched
// once from the same origin as this module; a constructable stylesheet, so a strict CSP holds), the
// element helper, and a base class with `token`, `api-base`, API calls and events.

import { request } from '../lib/api.js';

export { el } from '../lib/dom.js';

/** The portal stylesheet (www/style.css), shared by every shadow root. Theme with the --onbehalf-* custom
 * properties on the element. */
export const sheet = new CSSStyleSheet();
export const styled = fetch(new URL('../style.css', import.meta.url))
  .then((r) => r.text())
  .then((css) => sheet.replace(css))
  .catch(() => sheet);

/** A custom element with an open shadow root styled by the portal stylesheet. */
export class OnbehalfBase extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: 'open' }).adoptedStyleSheets = [sheet];
  }
  get token() {
    return this._token ?? this.getAttribute('token') ?? '';
  }
  set token(v) {
    this._token = v;
    this.start?.();
  }
  get apiBase() {
    return this.getAttribute('api-base') ?? '';
  }
  /** Calls the API with `token` (default: this element's). */
  call(token, method, path, body, headers = {}) {
    return request(token, method, path, { body, headers, base: this.apiBase });
  }
  /** The first element of the shadow root matching `sel`. */
  $(sel) {
    return this.shadowRoot.querySelector(sel);
  }
  /** Every element of the shadow root matching `sel`. */
  $$(sel) {
    return this.shadowRoot.querySelectorAll(sel);
  }
  api(method, path, body) {
    return this.call(this.token, method, path, body);
  }
  /** Dispatches `name` out of the shadow DOM. */
  emit(name, detail) {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }
}
