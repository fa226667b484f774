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
  'onbehalf:view-orders',
  'onbehalf:view-resources',
  'onbehalf:draft',
  'onbehalf:order-settled',
  'onbehalf:customer-refreshed',
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
  table.addEventListener('onbehalf:place-order', (ev) => {
    // The table confirmed with the user and started the session with the portal token.
    const c = ev.detail.customer;
    const s = ev.detail.session;
    document.querySelector('#customer-id').textContent = c.id;
    banner.setAttribute('customer-label', ev.detail.label);
    banner.token = s.token;
    prereq.setAttribute('customer-id', c.id);
    const fresh = document.createElement('onbehalf-order-form');
    fresh.id = 'order-form';
    fresh.token = token;
    fresh.sessionToken = s.token;
    fresh.setAttribute('customer-label', ev.detail.label);
    fresh.setAttribute('customer-id', c.id);
    document.querySelector('#order-form').replaceWith(fresh);
  });
  // More > Orders and More > View resources: this portal lists them in its own card (the API with the
  // same portal token).
  const list = async (title, path, line) => {
    const r = await fetch(path, { headers: { Authorization: `Bearer ${token}` } });
    const body = await r.json();
    const card = document.querySelector('#follow-up');
    card.hidden = false;
    card.querySelector('h2').textContent = title;
    const items = r.status === 200 ? line(body) : [`${body.error?.message ?? r.status}`];
    card.querySelector('ul').replaceChildren(
      ...(items.length ? items : ['Nothing yet.']).map((t) => {
        const li = document.createElement('li');
        li.textContent = t;
        return li;
      }),
    );
    card.scrollIntoView({ block: 'nearest' });
  };
  table.addEventListener('onbehalf:view-orders', (ev) =>
    list(
      `Orders of customer ${ev.detail.customer.id}`,
      `/v1/customer-orders?customer_id=${ev.detail.customer.id}&limit=20`,
      (b) => b.orders.map((o) => `${o.order_id} · status ${o.status} · ${o.origin}`),
    ),
  );
  table.addEventListener('onbehalf:view-resources', (ev) =>
    list(`Resources of customer ${ev.detail.customer.id}`, `/v1/customers/${ev.detail.customer.id}/resources`, (b) =>
      b.resources.map((x) => `${x.resource_name} · ${x.resource_id} · ${x.billing}`),
    ),
  );
  document.addEventListener('onbehalf:session-ended', () => {
    document.querySelector('#order-form').sessionToken = '';
  });
}
