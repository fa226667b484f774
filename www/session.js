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

/** Asks for confirmation, then starts a session for `customer` with the partner key. */
export async function switchInto(apiKey, customer, label) {
  const dialog = document.querySelector('#switch-dialog');
  dialog.querySelector('#switch-who').textContent = label;
  dialog.querySelector('#switch-error').textContent = '';
  dialog.showModal();
  const ok = await new Promise((resolve) => {
    dialog.querySelector('#switch-cancel').onclick = () => {
      dialog.close();
      resolve(false);
    };
    dialog.querySelector('#switch-form').onsubmit = (ev) => {
      ev.preventDefault();
      resolve(true);
    };
  });
  if (!ok) return false;
  const minutes = Number(dialog.querySelector('#switch-minutes').value || 30);
  const { status, body } = await request(apiKey, 'POST', `/v1/customers/${customer}/sessions`, { body: { minutes } });
  if (status !== 201) {
    dialog.querySelector('#switch-error').textContent = `${body.error?.code}: ${body.error?.message}`;
    return false;
  }
  dialog.close();
  sessionStorage.setItem(
    KEY,
    JSON.stringify({
      token: body.token,
      id: body.id,
      customer_id: body.customer_id,
      customer_label: label,
      expires_at: body.expires_at,
    }),
  );
  return true;
}

const NOTICE = 'onbehalf.notice';

/** The session is over: say why, then return to the partner view (Customer Management), which
 * repeats the message. */
function ended(message) {
  if (!current()) return;
  forget();
  sessionStorage.setItem(NOTICE, message);
  const b = document.querySelector('#session-banner');
  if (b) {
    b.hidden = false;
    b.say(`${message} Returning to the partner view…`);
  }
  if (location.pathname !== '/')
    setTimeout(() => {
      location.href = '/';
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
      location.href = '/';
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
