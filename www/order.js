// Select Products: ECS, EVS and EIP forms checked as you type by the browser module (the same
// validation, codes and paths as the API), a live quote with the budget impact, and the exact Huawei
// Cloud payload. "Get a quote" stores it through POST /v1/quotes (price held 15 minutes).
import init, { catalog, customerProjectId, prepareOrder } from './pkg/onbehalf.js';
import { current as currentSession, mountBanner, sessionApi } from './session.js';
import { $, el } from './dom.js';

const apiKey = sessionStorage.getItem('onbehalf.key');
const customerId = new URLSearchParams(location.search).get('customer');
let cat; let customer; let lastDraft = null;

async function api(method, path, body) {
  const headers = { Authorization: `Bearer ${apiKey}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.status, body: await r.json().catch(() => ({})) };
}

function fail(message) {
  const p = $('#page-error');
  p.hidden = false;
  p.replaceChildren(message, ' ', el('a', { href: '/', text: 'Back to Customer Management' }));
  document.body.dataset.ready = 'true';
}

const money = (m) => `${(m.minor / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${m.currency}`;
const rate = (r) => `${(r.minor_e4 / 1e6).toLocaleString('en-US', { maximumFractionDigits: 6 })} ${r.currency}/${r.per}`;
const num = (id) => { const v = $(id).value.trim(); return v === '' ? undefined : Number(v); };
const text = (id) => { const v = $(id).value; return v === '' ? undefined : v; };
const opt = (value, label, extra = {}) => el('option', { value, text: label, ...extra });

// ---------------------------------------------------------------------------------------------
// Catalog-driven choices
// ---------------------------------------------------------------------------------------------
function fillRegion() {
  const region = $('#region').value;
  // The customer's project in this region: the same derivation the order endpoint uses.
  $('#project').value = customerProjectId(customerId, region) ?? '';
  const r = cat.regions.find((x) => x.id === region);
  const zone = $('#zone').value;
  $('#zone').replaceChildren(...r.zones.map((z) => opt(z, z)));
  if (r.zones.includes(zone)) $('#zone').value = zone;
  const z = $('#zone').value;
  const sold = (item) => item.zones[region]?.includes(z);
  const keep = (sel, items, label) => {
    const before = sel.value;
    sel.replaceChildren(...items.map((i) => opt(i.id, label(i) + (item_in_region(i, region) ? (sold(i) ? '' : ' — not in this zone') : ' — not in this region'))));
    if (items.some((i) => i.id === before)) sel.value = before;
  };
  const item_in_region = (i, reg) => Boolean(i.zones[reg]);
  keep($('#ecs-flavor'), cat.flavors, (f) => `${f.id} · ${f.vcpus} vCPUs · ${f.memory_gib} GiB · ${f.family_name}`);
  for (const sel of document.querySelectorAll('select.disktype')) keep(sel, cat.disk_types, (d) => `${d.id} · ${d.name}${d.yearly_monthly ? '' : ' · pay-per-use only'}`);
  const eip = cat.eip.find((e) => e.region === region);
  for (const sel of document.querySelectorAll('select.eiptype')) {
    const before = sel.value;
    sel.replaceChildren(...['5_bgp', '5_sbgp'].map((t) => opt(t, `${t === '5_bgp' ? 'Dynamic BGP' : 'Static BGP'} (${t})${eip.types.includes(t) ? '' : ' — not in this region'}`)));
    sel.value = before || '5_bgp';
  }
}

function addDisk(type = 'SAS', size = 100) {
  const list = $('#data-disks');
  const li = el('li', { class: 'disk' });
  const typeSel = el('select', { class: 'disktype', 'aria-label': 'Data disk type' });
  const sizeIn = el('input', { type: 'number', value: String(size), 'aria-label': 'Data disk size (GB)' });
  const shared = el('input', { type: 'checkbox', 'aria-label': 'Shared data disk' });
  const iops = el('input', { type: 'number', placeholder: 'IOPS', 'aria-label': 'Data disk IOPS' });
  const remove = el('button', { type: 'button', class: 'link small', text: 'Remove' });
  remove.addEventListener('click', () => { li.remove(); renumber(); update(); });
  li.append(el('span', { class: 'field' }, typeSel), el('span', { class: 'field' }, sizeIn), el('label', {}, shared, 'Shared'), el('span', { class: 'field' }, iops), remove);
  list.append(li);
  fillRegion();
  typeSel.value = type;
  renumber();
}

function renumber() {
  [...$('#data-disks').children].forEach((li, i) => {
    const [type, size, shared, iops] = li.querySelectorAll('select, input');
    type.dataset.path = `ecs.data_disks.${i}.type`;
    size.dataset.path = `ecs.data_disks.${i}.size`;
    shared.dataset.path = `ecs.data_disks.${i}.shareable`;
    iops.dataset.path = `ecs.data_disks.${i}.iops`;
  });
}

// ---------------------------------------------------------------------------------------------
// The draft, exactly as the API takes it
// ---------------------------------------------------------------------------------------------
function bandwidth(prefix, named) {
  const share = $(`#${prefix}-share`)?.value ?? $(`#${prefix}-bw-share`).value;
  if (share === 'WHOLE') return { share_type: 'WHOLE', id: text(`#${prefix}-bw-id`) };
  const b = { share_type: 'PER', size: num(`#${prefix}-bw-size`), charge_by: $(`#${prefix}-bw-charge`).value };
  if (named) b.name = text(`#${prefix}-bw-name`);
  return b;
}

function draft() {
  const service = document.querySelector('input[name="service"]:checked').value;
  const d = { customer_id: customerId, region: $('#region').value };
  if (service !== 'eip') d.availability_zone = $('#zone').value;
  d.service = service;
  d.billing = $('#mode').value === 'pay_per_use' ? { mode: 'pay_per_use' }
    : { mode: 'yearly_monthly', period_type: $('#period-type').value, period_num: num('#period-num'), auto_renew: $('#auto-renew').checked, auto_pay: $('#auto-pay').checked };
  if (service === 'ecs') {
    const e = {
      name: $('#ecs-name').value, count: num('#ecs-count'), flavor: $('#ecs-flavor').value, image: $('#ecs-image').value,
      vpc_id: $('#ecs-vpc').value.trim(), subnet_id: $('#ecs-subnet').value.trim(),
      root_disk: { type: $('#root-type').value, size: num('#root-size') },
    };
    const sg = $('#ecs-sg').value.trim();
    if (sg) e.security_group_ids = [sg];
    const disks = [...$('#data-disks').children].map((li) => {
      const [type, size, shared, iops] = li.querySelectorAll('select, input');
      const disk = { type: type.value, size: size.value === '' ? undefined : Number(size.value), shareable: shared.checked };
      if (iops.value !== '') disk.iops = Number(iops.value);
      return disk;
    });
    if (disks.length) e.data_disks = disks;
    if ($('#ecs-eip-on').checked) e.eip = { type: $('#ecs-eip-type').value, bandwidth: bandwidth('ecs', false) };
    e.login = $('#login-kind').value === 'key' ? { key_name: $('#login-key').value } : { password: $('#login-password').value };
    const op = $('#op-user').value.trim();
    if (op) e.metadata = { op_svc_userid: op };
    d.ecs = e;
  } else if (service === 'evs') {
    d.evs = { name: $('#evs-name').value, type: $('#evs-type').value, size: num('#evs-size'), count: num('#evs-count'), shareable: $('#evs-shared').checked,
      iops: num('#evs-iops'), throughput: num('#evs-throughput') };
  } else {
    d.eip = { type: $('#eip-type').value, alias: text('#eip-alias'), bandwidth: bandwidth('eip', true) };
  }
  return JSON.parse(JSON.stringify(d)); // drops undefined, as JSON.stringify on the wire would
}

// ---------------------------------------------------------------------------------------------
// Live check, quote and payload
// ---------------------------------------------------------------------------------------------
function clearErrors() {
  for (const e of document.querySelectorAll('.field-error')) e.remove();
  for (const e of document.querySelectorAll('[aria-invalid="true"]')) { e.removeAttribute('aria-invalid'); e.removeAttribute('aria-describedby'); }
  $('#other-errors').replaceChildren();
}

function showErrors(details) {
  const other = [];
  details.forEach((d, i) => {
    const target = document.querySelector(`[data-path="${d.path.join('.')}"]:not([hidden])`);
    if (target && target.offsetParent !== null) {
      const id = `err-${i}`;
      const msg = el('small', { class: 'field-error', id, 'data-code': d.code, 'data-path': `error:${d.path.join('.')}`, text: d.message });
      target.setAttribute('aria-invalid', 'true');
      target.setAttribute('aria-describedby', [target.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
      target.insertAdjacentElement('afterend', msg);
    } else {
      other.push(el('li', { 'data-code': d.code, 'data-path': `error:${d.path.join('.')}`, text: `${d.path.join(' › ') || 'draft'}: ${d.message}` }));
    }
  });
  if (other.length) $('#other-errors').append(el('ul', {}, ...other));
}

function renderQuote(q) {
  const rows = q.lines.map((l) => el('tr', {},
    el('td', { text: l.description }), el('td', { class: 'num', text: `${l.quantity} ${l.unit}` }),
    el('td', { class: 'num', text: rate(l.unit_price) }), el('td', { class: 'num', text: `${l.periods} ${l.period_unit}s` }),
    el('td', { class: 'num', text: money(l.amount) })));
  const table = el('table', { class: 'quote' },
    el('thead', {}, el('tr', {}, ...['Item', 'Quantity', 'Unit price', 'Period', 'Amount'].map((h) => el('th', { scope: 'col', text: h })))),
    el('tbody', {}, ...rows));
  const out = [table];
  for (const u of q.usage_based) out.push(el('p', { class: 'muted', text: `${u.description}: ${rate(u.unit_price)} (not in the total)` }));
  out.push(el('p', { class: 'total', 'data-testid': 'total' }, q.billing === 'pay_per_use' ? 'Estimated month: ' : 'Total: ', el('strong', { text: money(q.total) })));
  if (q.hourly) out.push(el('p', { class: 'muted', text: `Hourly rate ${rate(q.hourly)}; ${cat.hours_per_month} hours per estimated month.` }));
  const b = q.budget;
  if (b) {
    const fill = el('span', { class: 'fill' });
    fill.style.width = `${Math.min(b.usage_after_percent, 100)}%`;
    const level = b.level ?? 0;
    out.push(el('div', { class: 'impact', 'data-testid': 'budget-impact', 'data-level': String(level), 'data-blocked': String(b.blocked) },
      el('span', { class: `budget lvl-${level}`, role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(Math.min(b.usage_after_percent, 100)), 'aria-label': 'Budget used after this order' }, fill),
      el('span', { text: ` Budget after this order: ${b.usage_after_percent} % of ${money(b.amount)} (remaining now ${money(b.remaining)})` }),
      b.blocked ? el('p', { class: 'error', text: 'This order would take the customer past 100 % of its budget: it will be refused.' })
        : level ? el('p', { class: 'warn', text: `Warning: the budget reaches ${level} %.` }) : ''));
  } else {
    out.push(el('p', { class: 'muted', text: 'The customer has no budget.' }));
  }
  $('#quote').replaceChildren(...out);
}

function update() {
  const d = draft();
  lastDraft = d;
  const svc = d.service;
  for (const s of ['ecs', 'evs', 'eip']) $(`#svc-${s}`).hidden = s !== svc;
  for (const f of document.querySelectorAll('.ym')) f.hidden = $('#mode').value === 'pay_per_use';
  $('#zone').disabled = svc === 'eip';
  $('#ecs-eip').hidden = !$('#ecs-eip-on').checked;
  const key = $('#login-kind').value === 'key';
  $('#login-key').closest('.field').hidden = !key;
  $('#login-password').closest('.field').hidden = key;
  const r = prepareOrder(d, $('#project').value.trim(), customer);
  clearErrors();
  const form = $('#draft-form');
  if (r.error) {
    form.dataset.valid = 'false';
    showErrors(r.error.details.length ? r.error.details : [{ path: [], code: r.error.code, message: r.error.message }]);
    $('#quote').replaceChildren(el('p', { class: 'muted', text: `Fix ${r.error.details.length || 1} problem(s) to see the price.` }));
    $('#payload').textContent = '';
    $('#save-quote').disabled = true;
  } else {
    form.dataset.valid = 'true';
    renderQuote(r.quote);
    $('#payload').textContent = `${r.payload.method} ${r.payload.path}\n${JSON.stringify(r.payload.body, null, 2)}`;
    $('#save-quote').disabled = false;
  }
  $('#quote-result').textContent = '';
  const s = currentSession();
  const acting = s && s.customer_id === customerId;
  $('#place-order').disabled = !acting || Boolean(r.error);
  $('#place-note').textContent = acting ? 'Placing it charges the customer (yearly/monthly) or provisions the resources (pay-per-use).'
    : 'Switch to this customer first (Customer Management > More > Place order on customer\'s behalf).';
  idemKey = null; // a changed draft is a new order
}

// One Idempotency-Key per draft: pressing the button twice (or retrying after a network error)
// cannot create two orders.
let idemKey = null;

function orderResult(r) {
  const out = $('#order-result');
  window.onbehalfOrder.lastResponse = r.body;
  out.dataset.status = String(r.status);
  if (r.status !== 201 && r.status !== 200) {
    out.dataset.code = r.body.error?.code ?? '';
    out.replaceChildren(el('p', { class: 'error', text: `${r.body.error?.code}: ${r.body.error?.message}` }));
    return;
  }
  const o = r.body.order ?? (r.body.order_id ? r.body : null);
  const lines = [];
  if (o) {
    const status = { 3: 'processing', 4: 'cancelled', 5: 'completed', 6: 'pending payment' }[o.status];
    out.dataset.orderId = o.order_id;
    out.dataset.orderStatus = String(o.status);
    lines.push(el('p', {}, 'Order ', el('strong', { text: o.order_id }), ` · ${status} (${o.status}) · ${money(o.amount ?? { minor: o.amount_minor, currency: o.currency })}`));
    if (o.status === 6) {
      const pay = el('button', { type: 'button', id: 'pay-order', text: 'Pay now' });
      const cancel = el('button', { type: 'button', class: 'link', id: 'cancel-order', text: 'Cancel order' });
      pay.addEventListener('click', async () => orderResult(await sessionApi('POST', `/v1/orders/${o.order_id}/pay`)));
      cancel.addEventListener('click', async () => orderResult(await sessionApi('POST', `/v1/orders/${o.order_id}/cancel`)));
      lines.push(el('div', { class: 'actions' }, pay, cancel));
    }
  }
  for (const x of r.body.resources ?? []) lines.push(el('p', { class: 'muted', text: `${x.resource_type_code} ${x.resource_id} · ${x.resource_name} · ${x.billing}` }));
  out.replaceChildren(...lines);
}

async function placeOrder() {
  idemKey ??= crypto.randomUUID();
  $('#place-order').disabled = true;
  const r = await sessionApi('POST', '/v1/orders', { draft: lastDraft }, { 'Idempotency-Key': idemKey });
  orderResult(r);
  $('#place-order').disabled = false;
}

async function saveQuote() {
  const r = await api('POST', '/v1/quotes', lastDraft);
  $('#quote-result').textContent = r.status === 201
    ? `Quote ${r.body.id}, ${money(r.body.quote.total)}, valid until ${r.body.expires_at.slice(11, 16)} UTC.`
    : `${r.body.error?.code}: ${r.body.error?.message}`;
  $('#quote-result').dataset.status = String(r.status);
}

async function start() {
  if (!apiKey) return fail('Sign in on Customer Management first.');
  if (!/^[0-9a-f]{32}$/.test(customerId ?? '')) return fail('No customer chosen.');
  await init();
  cat = catalog();
  const [me, c] = await Promise.all([api('GET', '/v1/me'), api('GET', `/v1/customers/${customerId}`)]);
  if (me.status !== 200) return fail('That API key is not valid.');
  if (c.status !== 200) return fail(c.body.error?.message ?? 'Customer not found.');
  $("#whoami").textContent = `${me.body.user.name} · ${me.body.role} · ${me.body.partner.name} (${me.body.partner.kind})`;
  customer = { id: c.body.id, budget: c.body.budget };
  $('#customer-label').textContent = `for ${c.body.real_name} (${c.body.id})`;
  $('#region').replaceChildren(...cat.regions.map((r) => opt(r.id, `${r.name} (${r.id})`)));
  $('#ecs-image').replaceChildren(...cat.images.map((i) => opt(i.id, `${i.name} · min ${i.min_disk_gb} GB`)));
  fillRegion();
  $('#root-type').value = 'SSD';
  $('#evs-type').value = 'SSD';
  addDisk();
  $('#order').hidden = false;
  const form = $('#draft-form');
  form.addEventListener('input', () => update());
  form.addEventListener('change', (ev) => { if (ev.target.id === 'region' || ev.target.id === 'zone') fillRegion(); update(); });
  $('#add-disk').addEventListener('click', () => { addDisk(); update(); });
  $('#save-quote').addEventListener('click', saveQuote);
  $('#place-order').addEventListener('click', placeOrder);
  mountBanner();
  window.onbehalfOrder = { draft: () => lastDraft };
  update();
  document.body.dataset.ready = 'true';
}

start().catch((e) => fail(String(e)));
