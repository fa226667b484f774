// The one API client of the portal and its components: the bearer credential (API key, portal
// token or session token), JSON in and out, and the error object as the API sends it.

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
  try {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
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
