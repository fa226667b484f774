// The host page's own script: configures the components and listens to their events.
const params = new URLSearchParams(location.hash.slice(1));
const prereq = document.querySelector('#prereq');
document.querySelector('#customer-id').textContent = params.get('customer') ?? '';
window.hostEvents = [];
for (const name of [
  'onbehalf:prerequisites',
  'onbehalf:error',
  'onbehalf:session-ended',
  'onbehalf:order-placed',
  'onbehalf:order-refused',
  'onbehalf:place-order',
  'onbehalf:loaded',
]) {
  document.addEventListener(name, (ev) => {
    window.hostEvents.push({ type: ev.type, detail: ev.detail });
    const li = document.createElement('li');
    li.textContent = `${ev.type}${ev.detail?.report ? `: can_order=${ev.detail.report.can_order}, browser and API agree=${ev.detail.agree}` : ''}`;
    document.querySelector('#events').append(li);
  });
}
// The portal token comes from the host's server (here, the URL fragment, for the demo).
prereq.token = params.get('token') ?? '';
if (params.get('customer')) prereq.setAttribute('customer-id', params.get('customer'));
// A switch-role session started by the host's server, if any: the banner shows it with Switch Role,
// and the order form may place orders with it.
const token = params.get('token') ?? '';
const session = params.get('session');
const form = document.querySelector('#order-form');
const banner = document.querySelector('#banner');
const table = document.querySelector('#table');
if (params.get('customer')) {
  form.token = token;
  if (session) {
    banner.token = session;
    form.sessionToken = session;
  }
  form.setAttribute('customer-id', params.get('customer'));
  document.querySelector('#customers-card').hidden = true;
} else {
  // The whole journey through the components: the table's More > Place order starts a switch-role
  // session (with the portal token), the banner shows it, a fresh order form orders with it.
  table.token = token;
  table.addEventListener('onbehalf:place-order', async (ev) => {
    const c = ev.detail.customer;
    if (!document.querySelector('#confirm-switch').checked) return;
    const r = await fetch(`/v1/customers/${c.id}/sessions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    const s = await r.json();
    if (r.status !== 201) {
      window.hostEvents.push({ type: 'host:session-refused', detail: s });
      return;
    }
    document.querySelector('#customer-id').textContent = c.id;
    banner.setAttribute('customer-label', c.real_name);
    banner.token = s.token;
    prereq.setAttribute('customer-id', c.id);
    const fresh = document.createElement('onbehalf-order-form');
    fresh.id = 'order-form';
    fresh.token = token;
    fresh.sessionToken = s.token;
    fresh.setAttribute('customer-id', c.id);
    form.replaceWith(fresh);
  });
  document.addEventListener('onbehalf:session-ended', () => {
    document.querySelector('#order-form').sessionToken = '';
  });
}
