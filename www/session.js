// The switch-role session in the portal: the confirm dialog that starts it, the banner
// "Acting as <customer> · ends in mm:ss · Switch Role" on every page while it lasts, and the return
// to the partner view when it ends, expires or is refused.
import './components/onbehalf-elements.js';
import { request } from './lib/api.js';

const KEY = 'onbehalf.session';

/** The stored session ({token, id, customer_id, customer_label, expires_at}) or null. */
export function current() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
  } catch {
    return null;
  }
}

function forget() {
  sessionStorage.removeItem(KEY);
}

/** Calls the API with the session token. */
export async function sessionApi(method, path, body, headers = {}) {
  const answer = await request(current()?.token ?? '', method, path, { body, headers });
  onSessionAnswer(answer.status, answer.body);
  return answer;
}

/** Ends the session in the portal when an answer says it is over: 401 (ended, expired) or a 403 from
 * the re-check (a grant revoked, the customer frozen). */
export function onSessionAnswer(status, json) {
  if (status === 401) ended(json.error?.message ?? 'The session has ended.');
  else if (status === 403 && json.error?.data?.can_order === false)
    ended(`You can no longer act for this customer: ${json.error.message}`);
}

/** Keeps a session the customer table started (its confirm step and POST /v1/customers/{id}/sessions),
 * with the customer's label and the page to return to when it ends (the list as it was). */
export function remember(session, label, returnTo = location.pathname + location.search) {
  sessionStorage.setItem(
    KEY,
    JSON.stringify({
      token: session.token,
      id: session.id,
      customer_id: session.customer_id,
      customer_label: label,
      expires_at: session.expires_at,
      return_to: returnTo,
    }),
  );
}

const NOTICE = 'onbehalf.notice';

/** Where the partner view continues after a session: the list as the user left it. */
const back = (s) => (s?.return_to?.startsWith('/') && !s.return_to.startsWith('//') ? s.return_to : '/');

/** The session is over: say why, then return to the partner view (Customer Management, as the user
 * left it), which repeats the message. */
function ended(message) {
  const s = current();
  if (!s) return;
  forget();
  sessionStorage.setItem(NOTICE, message);
  const b = document.querySelector('#session-banner');
  if (b) {
    b.hidden = false;
    b.say(`${message} Returning to the partner view…`);
  }
  if (location.pathname !== '/')
    setTimeout(() => {
      location.href = back(s);
    }, 2500);
}

/** Shows the portal's `<onbehalf-session-banner>` while a session lasts (its countdown and Switch
 * Role are the component's); on the partner view, the reason the last session ended, once. */
export function mountBanner() {
  const b = document.querySelector('#session-banner');
  const s = current();
  if (!b) return s;
  if (!s) {
    const m = sessionStorage.getItem(NOTICE);
    if (m) {
      sessionStorage.removeItem(NOTICE);
      b.hidden = false;
      b.say(`${m} You are back in the partner view.`);
    }
    return null;
  }
  b.addEventListener('onbehalf:session-ended', (ev) => {
    if (ev.detail.reason === 'switch_role') {
      forget();
      sessionStorage.setItem(NOTICE, `You switched back from ${s.customer_label}.`);
      location.href = back(s);
    } else ended(ev.detail.reason === 'session_expired' ? 'The session has expired.' : 'The session has ended.');
  });
  b.setAttribute('customer-label', s.customer_label);
  b.hidden = false;
  b.token = s.token;
  return s;
}

/** Called when an order request is refused by the re-check (403): say why, keep the session. */
export function refused(error) {
  const b = document.querySelector('#session-banner');
  if (b) b.dataset.refused = error.code;
}

/** The Sign out button of the top bar: ends a running switch-role session, forgets the key, and
 * shows the sign-in. */
export function mountSignOut() {
  const b = document.querySelector('#signout');
  if (!b) return;
  b.hidden = false;
  b.addEventListener('click', async () => {
    b.disabled = true;
    const s = current();
    if (s) await request(s.token, 'DELETE', '/v1/sessions/current');
    forget();
    sessionStorage.removeItem('onbehalf.key');
    sessionStorage.setItem('onbehalf.signedout', '1');
    location.href = '/';
  });
}
