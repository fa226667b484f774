// <onbehalf-order-form customer-id api-base>: Select Products as a custom element. ECS, EVS and EIP
// forms checked as you type by the browser module (errors next to their fields, by path), a live
// quote with the budget impact, the exact Huawei payload, "Get a quote" (POST /v1/quotes) and, with a
// switch-role session, "Place order" with pay/cancel.
// Properties: `token` (portal token or API key, for the customer and quotes), `sessionToken` (obs_…,
// for ordering; with it, the customer's project and pickers of its VPCs, subnets, security groups and
// key pairs replace the id fields, from /v1/sessions/current/*), `draft` (read), `lastResponse` (read). Events (bubbling, composed): onbehalf:draft
// {valid, draft, quote, errors}, onbehalf:order-placed {order, resources, tracking, …} (201, or 202
// while Huawei Cloud provisions), onbehalf:order-settled (the followed request, once it ended),
// onbehalf:order-refused {status, error}. Theming: the --onbehalf-* custom properties (README); parts: form, quote, payload, place.

import { errorText } from '../lib/api.js';
import { localTime, money, orderStatus, unitPrice } from '../lib/format.js';
import init, { catalog, customerProjectId, prepareOrder } from '../pkg/onbehalf.js';
import { el, OnbehalfBase, styled } from './base.js';

const ready = init();

const TEMPLATE = `<div class="orderpage">
    <form id="draft-form" part="form" class="card" aria-label="Order draft" novalidate>
      <h2>Select Products <small id="customer-label"></small></h2>
      <div class="grid">
        <div class="field"><label for="region">Region</label><select id="region" data-path="region"></select></div>
        <div class="field"><label for="zone">Availability zone</label><select id="zone" data-path="availability_zone"></select></div>
        <div class="field"><label for="project">Customer project ID in this region</label><input id="project" data-path="project_id" readonly spellcheck="false"></div>
      </div>
      <fieldset class="tabs"><legend>Product</legend>
        <label><input type="radio" name="service" value="ecs" checked> Elastic Cloud Server (ECS)</label>
        <label><input type="radio" name="service" value="evs"> Elastic Volume Service (EVS)</label>
        <label><input type="radio" name="service" value="eip"> Elastic IP (EIP)</label>
      </fieldset>
      <fieldset><legend>Billing</legend>
        <div class="grid">
          <div class="field"><label for="mode">Billing mode</label><select id="mode" data-path="billing.mode"><option value="yearly_monthly">Yearly/Monthly</option><option value="pay_per_use">Pay-per-use</option></select></div>
          <div class="field ym"><label for="period-type">Period</label><select id="period-type" data-path="billing.period_type"><option value="month">Months</option><option value="year">Years</option></select></div>
          <div class="field ym"><label for="period-num">Number</label><input id="period-num" type="number" value="1" data-path="billing.period_num"></div>
          <div class="field ym checks2"><label><input type="checkbox" id="auto-renew"> Auto-renew</label><label><input type="checkbox" id="auto-pay" checked> Pay automatically</label></div>
        </div>
      </fieldset>

      <section id="svc-ecs" class="svc" aria-label="ECS">
        <div class="grid">
          <div class="field"><label for="ecs-name">Server name</label><input id="ecs-name" value="ecs-cust-01" data-path="ecs.name"></div>
          <div class="field"><label for="ecs-count">Quantity</label><input id="ecs-count" type="number" value="1" data-path="ecs.count"></div>
          <div class="field"><label for="ecs-flavor">Flavor</label><select id="ecs-flavor" data-path="ecs.flavor"></select></div>
          <div class="field"><label for="ecs-image">Image</label><select id="ecs-image" data-path="ecs.image"></select></div>
          <div class="field pick"><label for="ecs-vpc-pick" hidden>VPC</label><select id="ecs-vpc-pick" data-pick="vpc" data-path="ecs.vpc_id" hidden></select><label for="ecs-vpc">VPC ID</label><input id="ecs-vpc" value="3ee86f60-8c29-4e4d-b5a1-2e5b2a6f7a8b" data-path="ecs.vpc_id" spellcheck="false"></div>
          <div class="field pick"><label for="ecs-subnet-pick" hidden>Subnet</label><select id="ecs-subnet-pick" data-pick="subnet" data-path="ecs.subnet_id" hidden></select><label for="ecs-subnet">Subnet ID</label><input id="ecs-subnet" value="21c3f7b5-61d4-4e4f-9b1a-0e0e6d9d1b2c" data-path="ecs.subnet_id" spellcheck="false"></div>
          <div class="field pick"><label for="ecs-sg-pick" hidden>Security group</label><select id="ecs-sg-pick" data-pick="sg" data-path="ecs.security_group_ids.0" hidden></select><label for="ecs-sg">Security group ID</label><input id="ecs-sg" value="6c22a6c0-b5d2-4a84-ac56-51090dcc33be" data-path="ecs.security_group_ids.0" spellcheck="false"></div>
          <p id="pick-note" class="muted wide" role="status"></p>
          <div class="field"><label for="root-type">System disk type</label><select id="root-type" class="disktype" data-path="ecs.root_disk.type"></select></div>
          <div class="field"><label for="root-size">System disk (GB)</label><input id="root-size" type="number" placeholder="image minimum" data-path="ecs.root_disk.size"></div>
        </div>
        <fieldset><legend>Data disks <button type="button" id="add-disk" class="link small">Add data disk</button></legend>
          <ol id="data-disks" class="disks"></ol>
        </fieldset>
        <fieldset><legend><label><input type="checkbox" id="ecs-eip-on" checked> New EIP</label></legend>
          <div class="grid" id="ecs-eip">
            <div class="field"><label for="ecs-eip-type">EIP type</label><select id="ecs-eip-type" class="eiptype" data-path="ecs.eip.type"></select></div>
            <div class="field"><label for="ecs-bw-share">Bandwidth</label><select id="ecs-bw-share" data-path="ecs.eip.bandwidth.share_type"><option value="PER">Dedicated</option><option value="WHOLE">Shared</option></select></div>
            <div class="field"><label for="ecs-bw-size">Bandwidth (Mbit/s)</label><input id="ecs-bw-size" type="number" value="5" data-path="ecs.eip.bandwidth.size"></div>
            <div class="field"><label for="ecs-bw-charge">Billed by</label><select id="ecs-bw-charge" data-path="ecs.eip.bandwidth.charge_by"><option value="bandwidth">Bandwidth</option><option value="traffic">Traffic</option></select></div>
            <div class="field"><label for="ecs-bw-id">Shared bandwidth ID</label><input id="ecs-bw-id" data-path="ecs.eip.bandwidth.id" spellcheck="false"></div>
          </div>
        </fieldset>
        <fieldset><legend>Login</legend>
          <div class="grid">
            <div class="field"><label for="login-kind">Login mode</label><select id="login-kind"><option value="key">Key pair</option><option value="password">Password</option></select></div>
            <div class="field pick"><label for="login-key-pick" hidden>Key pair</label><select id="login-key-pick" data-pick="key" data-path="ecs.login.key_name" hidden></select><label for="login-key">Key pair</label><input id="login-key" value="KeyPair-cust" data-path="ecs.login.key_name"></div>
            <div class="field"><label for="login-password">Password</label><input id="login-password" type="password" autocomplete="new-password" data-path="ecs.login.password"></div>
            <div class="field"><label for="op-user">Customer user ID (op_svc_userid)</label><input id="op-user" value="8ea65f4099ba412883e2a0de932ea2e0" data-path="ecs.metadata.op_svc_userid" spellcheck="false"></div>
          </div>
        </fieldset>
      </section>

      <section id="svc-evs" class="svc" aria-label="EVS" hidden>
        <div class="grid">
          <div class="field"><label for="evs-name">Disk name</label><input id="evs-name" value="evs-cust-01" data-path="evs.name"></div>
          <div class="field"><label for="evs-type">Disk type</label><select id="evs-type" class="disktype" data-path="evs.type"></select></div>
          <div class="field"><label for="evs-size">Capacity (GB)</label><input id="evs-size" type="number" value="100" data-path="evs.size"></div>
          <div class="field"><label for="evs-count">Quantity</label><input id="evs-count" type="number" value="1" data-path="evs.count"></div>
          <div class="field"><label for="evs-iops">IOPS (GPSSD2/ESSD2)</label><input id="evs-iops" type="number" data-path="evs.iops"></div>
          <div class="field"><label for="evs-throughput">Throughput MiB/s (GPSSD2)</label><input id="evs-throughput" type="number" data-path="evs.throughput"></div>
          <div class="field checks2"><label><input type="checkbox" id="evs-shared"> Shared disk</label></div>
        </div>
      </section>

      <section id="svc-eip" class="svc" aria-label="EIP" hidden>
        <div class="grid">
          <div class="field"><label for="eip-type">EIP type</label><select id="eip-type" class="eiptype" data-path="eip.type"></select></div>
          <div class="field"><label for="eip-alias">EIP name</label><input id="eip-alias" value="eip-cust" data-path="eip.alias"></div>
          <div class="field"><label for="eip-share">Bandwidth</label><select id="eip-share" data-path="eip.bandwidth.share_type"><option value="PER">Dedicated</option><option value="WHOLE">Shared</option></select></div>
          <div class="field"><label for="eip-bw-name">Bandwidth name</label><input id="eip-bw-name" value="bandwidth-cust" data-path="eip.bandwidth.name"></div>
          <div class="field"><label for="eip-bw-size">Bandwidth (Mbit/s)</label><input id="eip-bw-size" type="number" value="10" data-path="eip.bandwidth.size"></div>
          <div class="field"><label for="eip-bw-charge">Billed by</label><select id="eip-bw-charge" data-path="eip.bandwidth.charge_by"><option value="bandwidth">Bandwidth</option><option value="traffic">Traffic</option></select></div>
          <div class="field"><label for="eip-bw-id">Shared bandwidth ID</label><input id="eip-bw-id" data-path="eip.bandwidth.id" spellcheck="false"></div>
        </div>
      </section>
      <div id="other-errors" class="error" role="alert"></div>
    </form>
    <aside class="side">
      <section class="card" aria-labelledby="quote-title">
        <h2 id="quote-title">Price</h2>
        <div id="quote" part="quote" data-testid="quote" aria-live="polite"></div>
        <div class="actions"><button type="button" id="save-quote">Get a quote (price held 15 minutes)</button><span id="quote-result" role="status"></span></div>
      </section>
      <section class="card" aria-labelledby="place-title" id="place-card">
        <h2 id="place-title">Place the order</h2>
        <p id="place-note" class="muted"></p>
        <div class="actions"><button type="button" id="place-order" part="place" disabled>Place order</button></div>
        <div id="order-result" data-testid="order-result" role="status" aria-live="polite"></div>
      </section>
      <details class="card dev" id="dev-details">
        <summary>Developer details</summary>
        <h2 id="payload-title">The request Huawei Cloud receives</h2>
        <p class="muted">Built in this page by the browser module (<code>prepareOrder</code>: validation, price and
          payload), the same Rust core the API runs; the price panel is its <code>quoteOrder</code>.</p>
        <pre id="payload" part="payload" class="payload" data-testid="payload" tabindex="0" aria-labelledby="payload-title"></pre>
      </details>
    </aside>
</div>`;

const opt = (value, label, extra = {}) => el('option', { value, text: label, ...extra });

const TRACKING = {
  running: 'Huawei Cloud is provisioning it; this updates when it is done.',
  in_doubt: 'Sent to Huawei Cloud without an answer yet: it is being confirmed (never sent twice).',
  succeeded: 'Provisioned in Huawei Cloud.',
  failed: 'Huawei Cloud could not provision it:',
};

class OnbehalfOrderForm extends OnbehalfBase {
  get sessionToken() {
    return this._session ?? '';
  }
  set sessionToken(v) {
    this._session = v;
    if (this.built && this.cat) this.loadPickers().then(() => this.update());
  }
  /** The last draft the form produced (valid or not), or null. */
  get draft() {
    return this.built ? this.lastDraft : null;
  }
  session(method, path, body, headers) {
    return this.call(this.sessionToken, method, path, body, headers);
  }
  static observedAttributes = ['customer-id'];
  connectedCallback() {
    this.start();
  }
  attributeChangedCallback() {
    this.start();
  }
  /** Starts once connected with a customer id (set `token` first). */
  async start() {
    if (this.built || !this.isConnected || !this.getAttribute('customer-id') || !this.token) return;
    this.built = true;
    this.shadowRoot.innerHTML = TEMPLATE;
    this.wire();
    await styled;
    this.boot();
  }

  /** The element's state. */
  wire() {
    this.customerId = this.getAttribute('customer-id');
    this.cat;
    this.customer;
    this.lastDraft = null;

    // ---------------------------------------------------------------------------------------------
    // Catalog-driven choices
    // ---------------------------------------------------------------------------------------------

    // ---------------------------------------------------------------------------------------------
    // The draft, exactly as the API takes it
    // ---------------------------------------------------------------------------------------------

    // ---------------------------------------------------------------------------------------------
    // Live check, quote and payload
    // ---------------------------------------------------------------------------------------------

    // One Idempotency-Key per draft: pressing the button twice (or retrying after a network error)
    // cannot create two orders.
    this.idemKey = null;
  }

  num(id) {
    const v = this.$(id).value.trim();
    return v === '' ? undefined : Number(v);
  }

  textValue(id) {
    const v = this.$(id).value;
    return v === '' ? undefined : v;
  }

  fillRegion() {
    const region = this.$('#region').value;
    // The customer's project in this region: without a session, the simulated upstream's derivation;
    // acting, the API's (Huawei: the customer's real project, found through the agency).
    this.$('#project').value = customerProjectId(this.customerId, region) ?? '';
    const r = this.cat.regions.find((x) => x.id === region);
    const zone = this.$('#zone').value;
    this.$('#zone').replaceChildren(...r.zones.map((z) => opt(z, z)));
    if (r.zones.includes(zone)) this.$('#zone').value = zone;
    const z = this.$('#zone').value;
    const sold = (item) => item.zones[region]?.includes(z);
    const keep = (sel, items, label) => {
      const before = sel.value;
      sel.replaceChildren(
        ...items.map((i) =>
          opt(
            i.id,
            label(i) + (item_in_region(i, region) ? (sold(i) ? '' : ' — not in this zone') : ' — not in this region'),
          ),
        ),
      );
      if (items.some((i) => i.id === before)) sel.value = before;
    };
    const item_in_region = (i, reg) => Boolean(i.zones[reg]);
    keep(
      this.$('#ecs-flavor'),
      this.cat.flavors,
      (f) => `${f.id} · ${f.vcpus} vCPUs · ${f.memory_gib} GiB · ${f.family_name}`,
    );
    for (const sel of this.$$('select.disktype'))
      keep(sel, this.cat.disk_types, (d) => `${d.id} · ${d.name}${d.yearly_monthly ? '' : ' · pay-per-use only'}`);
    const eip = this.cat.eip.find((e) => e.region === region);
    for (const sel of this.$$('select.eiptype')) {
      const before = sel.value;
      sel.replaceChildren(
        ...['5_bgp', '5_sbgp'].map((t) =>
          opt(
            t,
            `${t === '5_bgp' ? 'Dynamic BGP' : 'Static BGP'} (${t})${eip.types.includes(t) ? '' : ' — not in this region'}`,
          ),
        ),
      );
      sel.value = before || '5_bgp';
    }
  }

  /** Acting for the customer: its project and what Select Products may choose from, in this region. */
  async loadPickers() {
    const note = this.$('#pick-note');
    const picks = this.$$('select[data-pick]');
    const showPickers = (on) => {
      for (const sel of picks) {
        sel.hidden = !on;
        sel.previousElementSibling.hidden = !on;
        const input = sel.nextElementSibling.nextElementSibling;
        input.hidden = on;
        sel.nextElementSibling.hidden = on;
      }
    };
    if (!this.sessionToken) {
      showPickers(false);
      note.textContent = '';
      return;
    }
    const region = this.$('#region').value;
    const q = `region=${encodeURIComponent(region)}`;
    note.textContent = "Loading the customer's VPCs…";
    const [project, vpcs, keys, identity] = await Promise.all([
      this.session('GET', `/v1/sessions/current/project?${q}`),
      this.session('GET', `/v1/sessions/current/vpcs?${q}`),
      this.session('GET', `/v1/sessions/current/key-pairs?${q}`),
      this.session('GET', `/v1/sessions/current/identity?${q}`),
    ]);
    const failed = [project, vpcs, keys].find((r) => r.status !== 200);
    // The account's user for op_svc_userid (a yearly/monthly server with a key pair), when IAM lists it.
    if (identity.status === 200) {
      this.$('#op-user').value = identity.body.op_svc_userid;
      this.$('#op-user').readOnly = true;
    }
    if (failed) {
      showPickers(false);
      note.textContent = `The customer's VPCs cannot be listed (${errorText(failed)}); enter the ids.`;
      return;
    }
    this.$('#project').value = project.body.project_id;
    const fill = (sel, items, label, value) => {
      const before = sel.nextElementSibling.nextElementSibling.value;
      sel.replaceChildren(...items.map((i) => opt(i[value], label(i))));
      if (items.some((i) => i[value] === before)) sel.value = before;
      sel.nextElementSibling.nextElementSibling.value = sel.value;
    };
    fill(this.$('#ecs-vpc-pick'), vpcs.body.vpcs, (v) => `${v.name} · ${v.cidr} · ${v.id}`, 'id');
    fill(this.$('#login-key-pick'), keys.body.key_pairs, (k) => `${k.name} · ${k.fingerprint ?? ''}`, 'name');
    await this.loadNetwork(q);
    showPickers(true);
    note.textContent = `From the customer's project ${project.body.project_id} (${project.body.upstream}).`;
  }

  /** The subnets and security groups of the chosen VPC. */
  async loadNetwork(q = `region=${encodeURIComponent(this.$('#region').value)}`) {
    const vpc = this.$('#ecs-vpc-pick').value;
    const [subnets, groups] = await Promise.all([
      this.session('GET', `/v1/sessions/current/subnets?${q}&vpc_id=${encodeURIComponent(vpc)}`),
      this.session('GET', `/v1/sessions/current/security-groups?${q}&vpc_id=${encodeURIComponent(vpc)}`),
    ]);
    const fill = (sel, items, label) => {
      const input = sel.nextElementSibling.nextElementSibling;
      sel.replaceChildren(...items.map((i) => opt(i.id, label(i))));
      if (items.some((i) => i.id === input.value)) sel.value = input.value;
      input.value = sel.value;
    };
    fill(
      this.$('#ecs-subnet-pick'),
      subnets.body?.subnets ?? [],
      (x) => `${x.name} · ${x.cidr} · ${x.availability_zone ?? ''}`,
    );
    fill(this.$('#ecs-sg-pick'), groups.body?.security_groups ?? [], (g) => `${g.name} · ${g.id}`);
  }

  addDisk(type = 'SAS', size = 100) {
    const list = this.$('#data-disks');
    const li = el('li', { class: 'disk' });
    const typeSel = el('select', { class: 'disktype', 'aria-label': 'Data disk type' });
    const sizeIn = el('input', { type: 'number', value: String(size), 'aria-label': 'Data disk size (GB)' });
    const shared = el('input', { type: 'checkbox', 'aria-label': 'Shared data disk' });
    const iops = el('input', { type: 'number', placeholder: 'IOPS', 'aria-label': 'Data disk IOPS' });
    const remove = el('button', { type: 'button', class: 'link small', text: 'Remove' });
    remove.addEventListener('click', () => {
      li.remove();
      this.renumber();
      this.update();
    });
    li.append(
      el('span', { class: 'field' }, typeSel),
      el('span', { class: 'field' }, sizeIn),
      el('label', {}, shared, 'Shared'),
      el('span', { class: 'field' }, iops),
      remove,
    );
    list.append(li);
    this.fillRegion();
    typeSel.value = type;
    this.renumber();
  }

  renumber() {
    [...this.$('#data-disks').children].forEach((li, i) => {
      const [type, size, shared, iops] = li.querySelectorAll('select, input');
      type.dataset.path = `ecs.data_disks.${i}.type`;
      size.dataset.path = `ecs.data_disks.${i}.size`;
      shared.dataset.path = `ecs.data_disks.${i}.shareable`;
      iops.dataset.path = `ecs.data_disks.${i}.iops`;
    });
  }

  bandwidth(prefix, named) {
    const share = this.$(`#${prefix}-share`)?.value ?? this.$(`#${prefix}-bw-share`).value;
    if (share === 'WHOLE') return { share_type: 'WHOLE', id: this.textValue(`#${prefix}-bw-id`) };
    const b = {
      share_type: 'PER',
      size: this.num(`#${prefix}-bw-size`),
      charge_by: this.$(`#${prefix}-bw-charge`).value,
    };
    if (named) b.name = this.textValue(`#${prefix}-bw-name`);
    return b;
  }

  buildDraft() {
    const service = this.$('input[name="service"]:checked').value;
    const d = { customer_id: this.customerId, region: this.$('#region').value };
    if (service !== 'eip') d.availability_zone = this.$('#zone').value;
    d.service = service;
    d.billing =
      this.$('#mode').value === 'pay_per_use'
        ? { mode: 'pay_per_use' }
        : {
            mode: 'yearly_monthly',
            period_type: this.$('#period-type').value,
            period_num: this.num('#period-num'),
            auto_renew: this.$('#auto-renew').checked,
            auto_pay: this.$('#auto-pay').checked,
          };
    if (service === 'ecs') {
      const e = {
        name: this.$('#ecs-name').value,
        count: this.num('#ecs-count'),
        flavor: this.$('#ecs-flavor').value,
        image: this.$('#ecs-image').value,
        vpc_id: this.$('#ecs-vpc').value.trim(),
        subnet_id: this.$('#ecs-subnet').value.trim(),
        root_disk: { type: this.$('#root-type').value, size: this.num('#root-size') },
      };
      const sg = this.$('#ecs-sg').value.trim();
      if (sg) e.security_group_ids = [sg];
      const disks = [...this.$('#data-disks').children].map((li) => {
        const [type, size, shared, iops] = li.querySelectorAll('select, input');
        const disk = {
          type: type.value,
          size: size.value === '' ? undefined : Number(size.value),
          shareable: shared.checked,
        };
        if (iops.value !== '') disk.iops = Number(iops.value);
        return disk;
      });
      if (disks.length) e.data_disks = disks;
      if (this.$('#ecs-eip-on').checked)
        e.eip = { type: this.$('#ecs-eip-type').value, bandwidth: this.bandwidth('ecs', false) };
      e.login =
        this.$('#login-kind').value === 'key'
          ? { key_name: this.$('#login-key').value }
          : { password: this.$('#login-password').value };
      const op = this.$('#op-user').value.trim();
      if (op) e.metadata = { op_svc_userid: op };
      d.ecs = e;
    } else if (service === 'evs') {
      d.evs = {
        name: this.$('#evs-name').value,
        type: this.$('#evs-type').value,
        size: this.num('#evs-size'),
        count: this.num('#evs-count'),
        shareable: this.$('#evs-shared').checked,
        iops: this.num('#evs-iops'),
        throughput: this.num('#evs-throughput'),
      };
    } else {
      d.eip = {
        type: this.$('#eip-type').value,
        alias: this.textValue('#eip-alias'),
        bandwidth: this.bandwidth('eip', true),
      };
    }
    return JSON.parse(JSON.stringify(d)); // drops undefined, as JSON.stringify on the wire would
  }

  clearErrors() {
    for (const e of this.$$('.field-error')) e.remove();
    for (const e of this.$$('[aria-invalid="true"]')) {
      e.removeAttribute('aria-invalid');
      e.removeAttribute('aria-describedby');
    }
    this.$('#other-errors').replaceChildren();
  }

  showErrors(details) {
    const other = [];
    details.forEach((d, i) => {
      const target = this.$(`[data-path="${d.path.join('.')}"]:not([hidden])`);
      if (target && target.offsetParent !== null) {
        const id = `err-${i}`;
        const msg = el('small', {
          class: 'field-error',
          id,
          'data-code': d.code,
          'data-path': `error:${d.path.join('.')}`,
          text: d.message,
        });
        target.setAttribute('aria-invalid', 'true');
        target.setAttribute(
          'aria-describedby',
          [target.getAttribute('aria-describedby'), id].filter(Boolean).join(' '),
        );
        target.insertAdjacentElement('afterend', msg);
      } else {
        other.push(
          el('li', {
            'data-code': d.code,
            'data-path': `error:${d.path.join('.')}`,
            text: `${d.path.join(' › ') || 'draft'}: ${d.message}`,
          }),
        );
      }
    });
    if (other.length) this.$('#other-errors').append(el('ul', {}, ...other));
  }

  renderQuote(q) {
    const rows = q.lines.map((l) =>
      el(
        'tr',
        {},
        el('td', { text: l.description }),
        el('td', { class: 'num', text: `${l.quantity} ${l.unit}` }),
        el('td', { class: 'num', text: unitPrice(l.unit_price) }),
        el('td', { class: 'num', text: `${l.periods} ${l.period_unit}${l.periods === 1 ? '' : 's'}` }),
        el('td', { class: 'num', text: money(l.amount) }),
      ),
    );
    const table = el(
      'table',
      { class: 'quote', tabindex: '0', 'aria-label': 'Price lines' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ...['Item', 'Quantity', 'Unit price', 'Period', 'Amount'].map((h) => el('th', { scope: 'col', text: h })),
        ),
      ),
      el('tbody', {}, ...rows),
    );
    const out = [table];
    for (const u of q.usage_based)
      out.push(el('p', { class: 'muted', text: `${u.description}: ${unitPrice(u.unit_price)} (not in the total)` }));
    out.push(
      el(
        'p',
        { class: 'total', 'data-testid': 'total' },
        q.billing === 'pay_per_use' ? 'Estimated month: ' : 'Total: ',
        el('strong', { text: money(q.total) }),
      ),
    );
    if (q.hourly)
      out.push(
        el('p', {
          class: 'muted',
          text: `Hourly rate ${unitPrice(q.hourly)}; ${this.cat.hours_per_month} hours per estimated month.`,
        }),
      );
    const b = q.budget;
    if (b) {
      const fill = el('span', { class: 'fill' });
      fill.style.width = `${Math.min(b.usage_after_percent, 100)}%`;
      const level = b.level ?? 0;
      out.push(
        el(
          'div',
          {
            class: 'impact',
            'data-testid': 'budget-impact',
            'data-level': String(level),
            'data-blocked': String(b.blocked),
          },
          el(
            'span',
            {
              class: `budget lvl-${level}`,
              role: 'meter',
              'aria-valuemin': '0',
              'aria-valuemax': '100',
              'aria-valuenow': String(Math.min(b.usage_after_percent, 100)),
              'aria-label': 'Budget used after this order',
            },
            fill,
          ),
          el('span', {
            text: ` Budget after this order: ${b.usage_after_percent} % of ${money(b.amount)} (remaining now ${money(b.remaining)})`,
          }),
          b.blocked
            ? el('p', {
                class: 'error',
                text: 'This order would take the customer past 100 % of its budget: it will be refused.',
              })
            : level
              ? el('p', { class: 'warn', text: `Warning: the budget reaches ${level} %.` })
              : '',
        ),
      );
    } else {
      out.push(el('p', { class: 'muted', text: 'The customer has no budget.' }));
    }
    this.$('#quote').replaceChildren(...out);
  }

  update() {
    const d = this.buildDraft();
    this.lastDraft = d;
    const svc = d.service;
    for (const s of ['ecs', 'evs', 'eip']) this.$(`#svc-${s}`).hidden = s !== svc;
    for (const f of this.$$('.ym')) f.hidden = this.$('#mode').value === 'pay_per_use';
    this.$('#zone').disabled = svc === 'eip';
    this.$('#ecs-eip').hidden = !this.$('#ecs-eip-on').checked;
    const key = this.$('#login-kind').value === 'key';
    this.$('#login-key').closest('.field').hidden = !key;
    this.$('#login-password').closest('.field').hidden = key;
    const r = prepareOrder(d, this.$('#project').value.trim(), this.customer);
    this.clearErrors();
    const form = this.$('#draft-form');
    if (r.error) {
      form.dataset.valid = 'false';
      this.showErrors(
        r.error.details.length ? r.error.details : [{ path: [], code: r.error.code, message: r.error.message }],
      );
      this.$('#quote').replaceChildren(
        el('p', { class: 'muted', text: `Fix ${r.error.details.length || 1} problem(s) to see the price.` }),
      );
      this.$('#payload').textContent = '';
      this.$('#save-quote').disabled = true;
    } else {
      form.dataset.valid = 'true';
      this.renderQuote(r.quote);
      this.$('#payload').textContent =
        `${r.payload.method} ${r.payload.path}\n${JSON.stringify(r.payload.body, null, 2)}`;
      this.$('#save-quote').disabled = false;
    }
    this.$('#quote-result').textContent = '';
    this.emit('onbehalf:draft', { valid: !r.error, draft: d, quote: r.quote ?? null, errors: r.error?.details ?? [] });
    const acting = Boolean(this.sessionToken);
    this.$('#place-order').disabled = !acting || Boolean(r.error);
    this.$('#place-note').textContent = acting
      ? 'Placing it charges the customer (yearly/monthly) or provisions the resources (pay-per-use).'
      : "Switch to this customer first (Customer Management > More > Place order on customer's behalf).";
    this.idemKey = null; // a changed draft is a new order
  }

  orderResult(r) {
    const out = this.$('#order-result');
    this.lastResponse = r.body;
    const placed = r.status >= 200 && r.status < 300;
    this.emit(placed ? 'onbehalf:order-placed' : 'onbehalf:order-refused', { status: r.status, ...r.body });
    if (placed) this.refreshCustomer();
    out.dataset.status = String(r.status);
    if (!placed) {
      out.dataset.code = r.body.error?.code ?? '';
      const remedy = r.body.error?.data?.remedy;
      out.replaceChildren(el('p', { class: 'error', text: `${errorText(r)}${remedy ? ` ${remedy}` : ''}` }));
      return;
    }
    const o = r.body.order ?? (r.body.order_id ? r.body : null);
    const lines = [];
    if (o) {
      const status = orderStatus(o.status);
      out.dataset.orderId = o.order_id;
      out.dataset.orderStatus = String(o.status);
      lines.push(
        el(
          'p',
          { id: 'order-line' },
          'Order ',
          el('strong', { text: o.order_id }),
          el('span', { id: 'order-state', 'data-status': String(o.status), text: ` · ${status}` }),
          ` · ${money(o.amount)}`,
        ),
      );
      if (o.status === 6) {
        const pay = el('button', { type: 'button', id: 'pay-order', text: 'Pay now' });
        const cancel = el('button', { type: 'button', class: 'link', id: 'cancel-order', text: 'Cancel order' });
        const act = (b, what, busy) =>
          b.addEventListener('click', async () => {
            pay.disabled = true;
            cancel.disabled = true;
            b.textContent = busy;
            this.orderResult(await this.session('POST', `/v1/orders/${o.order_id}/${what}`));
          });
        act(pay, 'pay', 'Paying…');
        act(cancel, 'cancel', 'Cancelling…');
        lines.push(el('div', { class: 'actions' }, pay, cancel));
      }
    }
    const KINDS = { vm: 'Server', volume: 'Disk', ip: 'Elastic IP', bandwidth: 'Bandwidth' };
    for (const x of r.body.resources ?? []) {
      const kind = KINDS[x.resource_type_code.replace('hws.resource.type.', '')] ?? x.resource_type_code;
      const billing = x.billing === 'pay_per_use' ? 'pay-per-use' : 'yearly/monthly';
      lines.push(el('p', { class: 'muted', text: `${kind} ${x.resource_name} · ${billing} · id ${x.resource_id}` }));
    }
    // An EIP's public address, when Huawei Cloud's answer carries it (pay-per-use EIPs).
    const address = r.body.upstream?.publicip?.public_ip_address;
    if (address) lines.push(el('p', { id: 'eip-address', text: `Public IP address: ${address}` }));
    else if ((r.body.resources ?? []).some((x) => x.resource_type_code === 'hws.resource.type.ip'))
      lines.push(
        el('p', { class: 'muted', text: 'Huawei Cloud assigns the public IP address once the order is paid.' }),
      );
    const q = r.body.quote;
    if (q?.price_source === 'huawei')
      lines.push(
        el('p', {
          class: 'muted',
          id: 'priced-by',
          text: `Priced by Huawei Cloud for this exact configuration: ${money(q.total)} (the price panel shows the catalog's estimate).`,
        }),
      );
    const t = r.body.tracking;
    if (t) lines.push(el('p', { id: 'tracking', role: 'status', 'data-state': t.state, text: TRACKING[t.state] }));
    out.replaceChildren(...lines);
    if (t && (t.state === 'running' || t.state === 'in_doubt')) this.follow(t.id, o?.order_id);
  }

  /** Follows a request Huawei Cloud still runs (GET /v1/placements/{id}) until it ends, then shows the order. */
  async follow(id, orderId) {
    this.following = id;
    for (let i = 0; i < 120 && this.following === id; i++) {
      await new Promise((ok) => setTimeout(ok, 2000));
      const r = await this.api('GET', `/v1/placements/${encodeURIComponent(id)}`);
      const line = this.$('#tracking');
      if (r.status !== 200 || !line) return;
      line.dataset.state = r.body.state;
      line.textContent = TRACKING[r.body.state] + (r.body.reason ? ` ${r.body.reason}` : '');
      if (r.body.state === 'succeeded' || r.body.state === 'failed') {
        const oid = orderId ?? r.body.order_id;
        if (oid) {
          const o = await this.api('GET', `/v1/orders?order_id=${encodeURIComponent(oid)}`);
          const order = o.body?.orders?.[0];
          const state = this.$('#order-state');
          if (order && state) {
            this.$('#order-result').dataset.orderStatus = String(order.status);
            state.dataset.status = String(order.status);
            state.textContent = ` · ${orderStatus(order.status)}`;
          }
        }
        this.emit('onbehalf:order-settled', r.body);
        return;
      }
    }
  }

  async placeOrder() {
    this.idemKey ??= crypto.randomUUID();
    const b = this.$('#place-order');
    b.disabled = true;
    b.textContent = 'Placing order…';
    this.$('#order-result').setAttribute('aria-busy', 'true');
    try {
      const r = await this.session(
        'POST',
        '/v1/orders',
        { draft: this.lastDraft },
        { 'Idempotency-Key': this.idemKey },
      );
      this.orderResult(r);
    } finally {
      b.textContent = 'Place order';
      b.disabled = false;
      this.$('#order-result').removeAttribute('aria-busy');
    }
  }

  /** The customer as the API has it now (budget, usage): read after every order, payment or cancel,
   * so the budget impact of the next draft is computed on fresh figures. */
  async refreshCustomer() {
    const c = await this.api('GET', `/v1/customers/${this.customerId}`);
    if (c.status !== 200) return;
    this.customer = { id: c.body.id, budget: c.body.budget };
    const keep = this.idemKey;
    this.update();
    this.idemKey = keep;
    this.emit('onbehalf:customer-refreshed', { customer: c.body });
  }

  async saveQuote() {
    const b = this.$('#save-quote');
    b.disabled = true;
    this.$('#quote-result').textContent = 'Asking for a quote…';
    const r = await this.api('POST', '/v1/quotes', this.lastDraft);
    b.disabled = false;
    this.$('#quote-result').textContent =
      r.status === 201
        ? `Quote ${r.body.id}, ${money(r.body.quote.total)}, valid until ${localTime(r.body.expires_at).slice(11)}.`
        : errorText(r);
    this.$('#quote-result').dataset.status = String(r.status);
  }

  async boot() {
    await ready;
    this.cat = catalog();
    const c = await this.api('GET', `/v1/customers/${this.customerId}`);
    if (c.status !== 200) {
      this.emit('onbehalf:error', c.body.error);
      return;
    }
    this.customer = { id: c.body.id, budget: c.body.budget };
    // Who the order is for: the label the portal passes (the name the user revealed, with the id), or
    // the id in full; never an unrevealed value. The customer's tags help tell customers apart.
    const tags = c.body.tags?.length ? ` · ${c.body.tags.join(', ')}` : '';
    this.$('#customer-label').textContent =
      `for ${this.getAttribute('customer-label') || `customer ${c.body.id}`}${tags}`;
    this.$('#region').replaceChildren(...this.cat.regions.map((r) => opt(r.id, `${r.name} (${r.id})`)));
    this.$('#ecs-image').replaceChildren(
      ...this.cat.images.map((i) => opt(i.id, `${i.name} · min ${i.min_disk_gb} GB`)),
    );
    this.fillRegion();
    this.$('#root-type').value = 'SSD';
    this.$('#evs-type').value = 'SSD';
    this.addDisk();
    const form = this.$('#draft-form');
    form.addEventListener('input', () => this.update());
    form.addEventListener('change', async (ev) => {
      const t = ev.target;
      if (t.id === 'region' || t.id === 'zone') this.fillRegion();
      if (t.dataset.pick) t.nextElementSibling.nextElementSibling.value = t.value;
      if (t.id === 'region') await this.loadPickers();
      if (t.id === 'ecs-vpc-pick') await this.loadNetwork();
      this.update();
    });
    await this.loadPickers();
    this.$('#add-disk').addEventListener('click', () => {
      this.addDisk();
      this.update();
    });
    this.$('#save-quote').addEventListener('click', () => this.saveQuote());
    this.$('#place-order').addEventListener('click', () => this.placeOrder());
    this.update();
    this.dataset.ready = 'true';
  }
}

customElements.define('onbehalf-order-form', OnbehalfOrderForm);
