// The customer's side: review a partner's authorization request, approve (with the SMS code,
// optionally narrowing it), reject, or later revoke. The token travels in the URL fragment.
const $ = (sel) => document.querySelector(sel);
const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
const names = { order: 'place orders on your behalf', om: 'operate your resources (O&M)' };

async function call(method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) { init.headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body); }
  const r = await fetch(`/v1/consent/${token}${path}`, init);
  return { status: r.status, body: await r.json().catch(() => ({})) };
}

function say(text) { $('#consent-message').textContent = text; }

async function load() {
  const r = await call('GET', '');
  if (r.status !== 200) {
    $('#consent-state').textContent = 'unavailable';
    say(r.body.error?.message ?? 'This link is not valid.');
    return;
  }
  const { authorization: a, partner, customer, code } = r.body;
  $('#consent-title').textContent = `${partner.name} asks to act on your behalf`;
  $('#consent-summary').textContent = `For account ${customer.account_name}: ${a.capabilities.map((c) => names[c]).join(' and ')}, for ${a.valid_days} days after approval.`;
  $('#consent-state').textContent = a.state;
  $('#consent-mobile').textContent = customer.mobile;
  for (const box of document.querySelectorAll('input[name="cap"]')) {
    box.checked = a.capabilities.includes(box.value);
    box.disabled = !a.capabilities.includes(box.value);
  }
  $('#approve-form').hidden = a.state !== 'pending';
  $('#revoke-form').hidden = a.state !== 'active';
  if (a.state === 'pending') say(`Code valid until ${code.expires_at}; ${code.attempts_left} attempt(s) left.`);
  if (a.state === 'active') say(`Authorized until ${a.expires_at}. You can revoke at any time.`);
  await activity();
}

const ACTIONS = {
  'authorization.requested': 'asked for authorization', 'authorization.approved': 'you approved', 'authorization.rejected': 'you rejected',
  'authorization.revoked': 'you revoked the authorization', 'authorization.withdrawn': 'withdrew its request', 'consent.code_sent': 'a code was sent',
  'consent.code_failed': 'a wrong code was entered', 'session.started': 'started acting as you', 'session.ended': 'stopped acting as you',
  'session.refused': 'was refused to act as you', 'order.placed': 'placed an order', 'order.paid': 'paid an order', 'order.cancelled': 'cancelled an order',
  'order.refused': 'was refused an order', 'resources.enabled': 'enabled pay-per-use resources', 'quote.created': 'asked for a quote',
  'customer.revealed': 'viewed your hidden details (with a reason)',
};

async function activity() {
  const r = await call('GET', '/events');
  if (r.status !== 200) return;
  $('#activity').replaceChildren(...r.body.events.map((e) => {
    const li = document.createElement('li');
    li.dataset.action = e.action;
    li.textContent = `${e.at.replace('T', ' ').replace('Z', ' UTC')} · ${e.actor_kind === 'customer' ? 'You' : 'Partner'}: ${ACTIONS[e.action] ?? e.action}${e.target_id ? ` (${e.target_id})` : ''}`;
    return li;
  }));
}

$('#approve-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const capabilities = [...document.querySelectorAll('input[name="cap"]:checked')].map((b) => b.value);
  const r = await call('POST', '/approve', { code: $('#code').value.trim(), capabilities });
  await load();
  if (r.status !== 200) say(`${r.body.error?.message ?? 'Failed.'}`);
});
$('#reject').addEventListener('click', async () => {
  const r = await call('POST', '/reject', {});
  await load();
  if (r.status !== 200) say(r.body.error?.message ?? 'Failed.');
});
$('#resend').addEventListener('click', async () => {
  const r = await call('POST', '/code');
  say(r.status === 202 ? 'A new code is on its way.' : (r.body.error?.message ?? 'Failed.'));
});
$('#revoke-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const r = await call('POST', '/revoke', { reason: $('#reason').value.trim() });
  await load();
  if (r.status !== 200) say(r.body.error?.message ?? 'Failed.');
});

load();
