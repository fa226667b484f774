// The one API client of the portal and its components: the bearer credential (API key, portal
// token or session token), JSON in and out, the error object as the API sends it, and the D1
// bookmark that makes every read see this tab's own writes.

const BOOKMARK = 'onbehalf.bookmark';
let newest = null;

/** The newest D1 bookmark this tab was given (kept across its pages in sessionStorage). */
export function bookmark() {
  try {
    return newest ?? sessionStorage.getItem(BOOKMARK);
  } catch {
    return newest; // storage refused (a sandboxed frame): this page's memory only
  }
}

/** Keeps `b` if it is newer than what this tab holds (bookmarks are fixed-width hex, ordered as text). */
export function keepBookmark(b) {
  if (!b) return;
  const held = bookmark();
  if (held && held >= b) return;
  newest = b;
  try {
    sessionStorage.setItem(BOOKMARK, b);
  } catch {
    // memory only
  }
}

/**
 * Calls the onbehalf API. `token` is sent as `Authorization: Bearer …`; `body` (if any) as JSON.
 * Answers `{status, body, headers}`: `body` is the parsed JSON (`{}` when there is none), an error
 * being `{error: {code, message, details, data?}}`. Never throws for an HTTP status; a network
 * failure answers status 0 with an `error` of code `network`.
 */
export async function request(token, method, path, { body, headers = {}, base = '' } = {}) {
  const h = { ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  // Reads start where this tab's last answer left the database: a replica that has not yet seen a
  // write this tab made waits for it (README, Consistency).
  const b = bookmark();
  if (b) h['X-Onbehalf-Bookmark'] = b;
  try {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    keepBookmark(r.headers.get('X-Onbehalf-Bookmark'));
    return { status: r.status, body: await r.json().catch(() => ({})), headers: r.headers };
  } catch (e) {
    const error = { code: 'network', message: `The API could not be reached (${e.message}).`, details: [] };
    return { status: 0, body: { error }, headers: new Headers() };
  }
}

/** The human message of a failed answer, with its field errors (`path: message`). */
export function errorText(answer) {
  const e = answer.body?.error;
  if (!e) return `HTTP ${answer.status}`;
  const details = (e.details ?? []).map((d) => `${(d.path ?? []).join('.')}: ${d.message}`);
  return [e.message, ...details].join(' ');
}
