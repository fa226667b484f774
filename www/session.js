// The switch-role session in the portal: the confirm dialog that starts it, the banner
// "Acting as <customer> · ends in mm:ss · Switch Role" on every page while it lasts, and the return
// to the partner view when it ends, expires or is refused.
import { request } from './lib/api.js';
import { countdown, secondsUntil } from './lib/format.js';

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

let timer = null;

const NOTICE = 'onbehalf.notice';

/** The session is over: say why, then return to the partner view (Customer Management), which
 * repeats the message. */
function ended(message) {
  if (!current()) return;
  forget();
  clearInterval(timer);
  sessionStorage.setItem(NOTICE, message);
  const b = document.querySelector('#session-banner');
  if (b) {
    b.hidden = false;
    b.className = 'session-banner ended';
    b.dataset.state = 'ended';
    b.replaceChildren(
      `${message} Returning to the partner view… `,
      Object.assign(document.createElement('a'), { href: '/', textContent: 'Customer Management' }),
    );
  }
  if (location.pathname !== '/')
    setTimeout(() => {
      location.href = '/';
    }, 2500);
}

/** On the partner view: the reason the last session ended, once. */
function notice(b) {
  const m = sessionStorage.getItem(NOTICE);
  if (!m || !b) return;
  sessionStorage.removeItem(NOTICE);
  b.hidden = false;
  b.className = 'session-banner ended';
  b.dataset.state = 'ended';
  b.textContent = `${m} You are back in the partner view.`;
}

/** Shows the banner while a session lasts; `onEnd` runs after Switch Role. */
export function mountBanner() {
  const b = document.querySelector('#session-banner');
  const s = current();
  if (!s) {
    notice(b);
    return null;
  }
  if (!b) return null;
  const render = () => {
    const n = secondsUntil(s.expires_at);
    if (n < 1) return ended('The session has expired.');
    b.querySelector('#session-countdown').textContent = countdown(n);
  };
  b.hidden = false;
  b.className = 'session-banner';
  b.dataset.state = 'live';
  b.replaceChildren(
    'Acting as ',
    Object.assign(document.createElement('strong'), { textContent: s.customer_label }),
    ' · ends in ',
    Object.assign(document.createElement('span'), { id: 'session-countdown' }),
    ' · ',
  );
  const sw = Object.assign(document.createElement('button'), {
    type: 'button',
    id: 'switch-role',
    textContent: 'Switch Role',
  });
  sw.addEventListener('click', async () => {
    await sessionApi('DELETE', '/v1/sessions/current');
    forget();
    clearInterval(timer);
    location.href = '/';
  });
  b.append(sw);
  render();
  timer = setInterval(render, 1000);
  // The server decides: an ended or unknown session returns to the partner view.
  sessionApi('GET', '/v1/sessions/current');
  return s;
}

/** Called when an order request is refused by the re-check (403): say why, keep the session. */
export function refused(error) {
  const b = document.querySelector('#session-banner');
  if (b) b.dataset.refused = error.code;
}
