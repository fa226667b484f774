// What the portal's custom elements share: the portal stylesheet adopted by each shadow root (fetched
// once from the same origin as this module; a constructable stylesheet, so a strict CSP holds), the
// element helper, and a base class with `token`, `api-base`, API calls and events.

/** The portal stylesheet (www/style.css), shared by every shadow root. Theme with the --ob-* custom
 * properties on the element. */
export const sheet = new CSSStyleSheet();
export const styled = fetch(new URL('../style.css', import.meta.url))
  .then((r) => r.text())
  .then((css) => sheet.replace(css))
  .catch(() => sheet);

/** An element with attributes (`class`, `text` for textContent, any other as an attribute) and children. */
export function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k);
  return e;
}

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
  async call(token, method, path, body, headers = {}) {
    const h = { Authorization: `Bearer ${token}`, ...headers };
    if (body !== undefined) h['Content-Type'] = 'application/json';
    const r = await fetch(`${this.apiBase}${path}`, {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, body: await r.json().catch(() => ({})) };
  }
  api(method, path, body) {
    return this.call(this.token, method, path, body);
  }
  /** Dispatches `name` out of the shadow DOM. */
  emit(name, detail) {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }
}
