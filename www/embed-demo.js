// The host page's own script: configures the components and listens to their events.
const params = new URLSearchParams(location.hash.slice(1));
const prereq = document.querySelector('#prereq');
document.querySelector('#customer-id').textContent = params.get('customer') ?? '';
window.hostEvents = [];
for (const name of ['onbehalf:prerequisites', 'onbehalf:error', 'onbehalf:session-ended', 'onbehalf:order-placed', 'onbehalf:order-refused']) {
  document.addEventListener(name, (ev) => {
    window.hostEvents.push({ type: ev.type, detail: ev.detail });
    const li = document.createElement('li');
    li.textContent = `${ev.type}${ev.detail?.report ? `: can_order=${ev.detail.report.can_order}, browser and API agree=${ev.detail.agree}` : ''}`;
    document.querySelector('#events').append(li);
  });
}
// The portal token comes from the host's server (here, the URL fragment, for the demo).
prereq.token = params.get('token') ?? '';
prereq.setAttribute('customer-id', params.get('customer') ?? '');
// A switch-role session started by the host's server, if any: the banner shows it with Switch Role,
// and the order form may place orders with it.
const session = params.get('session');
const form = document.querySelector('#order-form');
form.token = params.get('token') ?? '';
if (session) {
  document.querySelector('#banner').token = session;
  form.sessionToken = session;
}
form.setAttribute('customer-id', params.get('customer') ?? '');
