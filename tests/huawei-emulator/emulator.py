"""A local Huawei Cloud for tests and `make dev UPSTREAM=huawei-emulator`.

Serves IAM (/iam), BSS international (/bss) and the regional services (/{service}/{region}: ecs,
evs, vpc) the way Huawei does, for the calls onbehalf makes; and, for delivering consent messages,
Huawei Cloud Message & SMS (/sms/batchSendSms/v1), an HTTP email API (/email/emails, Resend's shape)
and a partner's webhook receiver (/webhook/{name}) that verifies onbehalf's signatures:
- verifies every SDK-HMAC-SHA256 signature with its own implementation (not the worker's), the
  security token of a temporary credential against the ones it issued, and their expiry;
- checks every request body it receives and every body it answers against the official SDK models
  (models.py), so it cannot drift from Huawei into our own imagination;
- honours X-Client-Token (the same token gets the first answer, nothing is created twice);
- runs jobs that take time (config job_seconds) and orders that wait for payment;
- injects faults on request (POST /_emulator/faults).

The control API (/_emulator/*, unsigned) registers partners and customers, sizes and changes a
partner's customer directory (POST /_emulator/directory {partner, count, remove, restore, change, customers}), injects
faults (when: before | after | quota | balance | job | partial) and shows what was asked
(GET /_emulator/requests) and made (GET /_emulator/state). For messages: POST /_emulator/sms-apps
{app_key, app_secret, sender, templates: {id: text with ${1}..}}, POST /_emulator/email-keys {api_key},
POST /_emulator/webhook-secrets {key_id, secret}, and GET /_emulator/messages (what each channel
received: SMS with their rendered text, emails, webhook posts with their signature check).

Run: python emulator.py --port 8788 [--world world.json]
"""

import argparse
import hashlib
import hmac
import json
import re
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, unquote, urlsplit

import models

LOCK = threading.RLock()


def now():
    return datetime.now(timezone.utc)


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def hid(*parts):
    return hashlib.md5("/".join(parts).encode()).hexdigest()


def uid(*parts):
    h = hid(*parts)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


class World:
    def __init__(self):
        self.reset()

    def reset(self):
        self.partners = {}  # ak -> {sk, domain_name, domain_id}
        self.customers = {}  # domain_name -> {domain_id, agencies{name: trusted partner domain}}
        self.temporary = {}  # ak -> {sk, token, expires, customer, partner, session_user}
        self.tokens = {}  # (customer, kind, client token) -> (status, body)
        self.jobs = {}  # job_id -> job
        self.orders = {}  # order_id -> order
        self.resources = {}  # id -> resource
        self.requests = []
        self.faults = []
        self.job_seconds = 2.0
        self.seq = 0
        self.directories = {}  # partner domain_name -> Directory
        self.sms_apps = {}  # app_key -> {app_secret, sender, templates}
        self.sms = []  # SMS sent
        self.email_keys = set()
        self.emails = []  # emails accepted
        self.email_answers = {}  # (api key, Idempotency-Key) -> answer (a retry gets the first answer)
        self.webhook_secrets = {}  # key id -> secret
        self.webhooks = []  # webhook posts received
        self.sms_report = "DELIVRD"  # the status report sent to a statusCallback ("" for none)
        self.reports = []  # status reports sent, with the answer they got

    def directory(self, partner):
        return self.directories.setdefault(partner["domain_name"], Directory(partner["domain_name"]))

    def add_partner(self, p):
        self.partners[p["ak"]] = {"sk": p["sk"], "domain_name": p["domain_name"],
                                  "domain_id": p.get("domain_id") or hid("domain", p["domain_name"])}

    def add_customer(self, c):
        d = c["domain_name"]
        cust = self.customers.setdefault(d, {"domain_id": c.get("domain_id") or hid("domain", d), "agencies": {}})
        for a in c.get("agencies", []):
            cust["agencies"][a["name"]] = a["trusts"]
        return cust

    def project(self, customer, region):
        return hid("project", customer, region)

    def region_of(self, customer, project):
        for r in REGIONS:
            if self.project(customer, r) == project:
                return r
        return None


REGIONS = ["ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "cn-north-4", "cn-east-3", "af-south-1",
           "la-south-2", "eu-west-101"]
W = World()


def vpcs_of(customer, region):
    """Every customer has two VPCs per region, each with two subnets, one security group per VPC and
    one key pair: enough for pickers to choose from."""
    out = []
    for i, (name, cidr) in enumerate([("vpc-prod", "10.0.0.0/16"), ("vpc-test", "192.168.0.0/16")]):
        vid = uid("vpc", customer, region, name)
        base = cidr.split(".")
        subnets = [{"id": uid("subnet", vid, s), "name": f"{name}-{s}", "cidr": f"{base[0]}.{base[1]}.{k}.0/24",
                    "gateway_ip": f"{base[0]}.{base[1]}.{k}.1", "vpc_id": vid, "status": "ACTIVE",
                    "availability_zone": f"{region}a", "dhcp_enable": True,
                    "neutron_subnet_id": uid("neutron", vid, s), "neutron_network_id": uid("network", vid, s)}
                   for k, s in [(1, "web"), (2, "db")]]
        out.append({"vpc": {"id": vid, "name": name, "cidr": cidr, "status": "OK", "routes": [],
                            "enterprise_project_id": "0", "description": ""},
                    "subnets": subnets,
                    "security_groups": [{"id": uid("sg", vid), "name": f"{name}-default", "vpc_id": vid,
                                         "description": "default", "enterprise_project_id": "0",
                                         "security_group_rules": []}]})
    return out


FIRST = ["Wei", "Na", "Jie", "Min", "Lei", "Anna", "Omar", "Priya", "Lucas", "Sofia", "Chen", "Mei"]
LAST = ["Zhang", "Li", "Wang", "Liu", "Chen", "Yang", "Okafor", "Silva", "Novak", "Haddad", "Tan", "Kumar"]
MANAGERS = ["Li Na", "Chen Jie", "Maria Costa", "Tom Becker", None]


class Directory:
    """A partner's customers as BSS lists them: `count` generated deterministically from the index
    (so 100k cost nothing until asked), minus the removed, with per-customer changes, budgets and
    freezes on top. The list is ordered by index, as Huawei's is by association time."""

    def __init__(self, domain):
        self.domain = domain
        self.count = 0
        self.removed = set()
        self.changes = {}  # index -> fields
        self.budgets = {}  # customer_id -> {budget_amount, used_amount, budget_type}
        self.frozen = {}  # customer_id -> bool
        self.records = {}  # customer_id -> [BudgetRecordInfo], newest first
        self.known = []  # explicit customers (CustomerInformation + "budget"), listed before the generated
        self.order = None

    def indices(self):
        """Negative indices are the explicit customers (-1 is the first), then the generated."""
        if self.order is None:
            self.order = [-1 - k for k in range(len(self.known))] + [i for i in range(self.count) if i not in self.removed]
            self.ids = {self.cid(i): i for i in self.order}
        return self.order

    def configure(self, body):
        if "count" in body:
            self.count = int(body["count"])
        for i in body.get("remove", []):
            self.removed.add(int(i))
        for i in body.get("restore", []):
            self.removed.discard(int(i))
        for c in body.get("customers", []):
            self.known = [k for k in self.known if k["customer_id"] != c["customer_id"]] + [c]
        for i, fields in (body.get("change") or {}).items():
            self.changes.setdefault(int(i), {}).update(fields)
        self.order = None
        return {"count": len(self.indices())}

    def cid(self, i):
        return self.known[-1 - i]["customer_id"] if i < 0 else hid("sub", self.domain, str(i))

    def customer(self, i):
        cid = self.cid(i)
        if i < 0:
            c = {k: v for k, v in self.known[-1 - i].items() if k != "budget"}
            if cid in self.frozen:
                c["is_frozen"] = 1 if self.frozen[cid] else 0
            return c
        manager = MANAGERS[i % len(MANAGERS)]
        c = {"customer": f"{FIRST[i % 12]} {LAST[(i // 12) % 12]}", "account_name": f"acct{i:06d}-{self.domain[:8]}",
             "customer_id": cid, "associated_on": iso(datetime(2024, 1, 1, tzinfo=timezone.utc) + timedelta(minutes=7 * i)),
             "association_type": "1" if i % 4 == 0 else "3", "label": ["", "vip", "edu"][i % 3],
             "telephone": f"13{(i * 7919) % 10 ** 9:09d}", "verified_status": ["2", "2", "2", "0", "-1"][i % 5],
             "country_code": "0086", "customer_type": [1, 0, -1][i % 3], "is_frozen": 1 if i % 97 == 5 else 0,
             "account_managers": [{"account_name": manager}] if manager else [], "customer_level": f"V{i % 6}",
             "email": f"user{i}@example.com"}
        c.update(self.changes.get(i, {}))
        if cid in self.frozen:
            c["is_frozen"] = 1 if self.frozen[cid] else 0
        return c

    def index_of(self, cid):
        self.indices()
        return self.ids.get(cid)

    def budget(self, i):
        cid = self.cid(i)
        if cid in self.budgets:
            return self.budgets[cid]
        if i < 0:
            return self.known[-1 - i].get("budget")
        amount = 1000 + (i % 40) * 250
        return {"budget_amount": amount, "used_amount": round((i * 131) % amount + 0.25, 2),
                "budget_type": "MONTHLY" if i % 2 else "PACKAGE"}


class Reject(Exception):
    def __init__(self, status, body, headers=None):
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers or {}


def gw_auth(msg):
    return Reject(401, {"error_code": "APIGW.0301", "error_msg": f"Incorrect IAM authentication information: {msg}"})


def canonical(method, path, query, headers, signed, body):
    segs = [quote(unquote(s), safe="~") for s in path.split("/")]
    cpath = "/".join(segs)
    if not cpath.endswith("/"):
        cpath += "/"
    q = sorted((quote(k, safe="~"), quote(v, safe="~")) for k, v in query)
    cq = "&".join(f"{k}={v}" for k, v in q)
    ch = "".join(f"{n}:{headers.get(n, '').strip()}\n" for n in signed)
    # The SDK's Signer signs a non-JSON body (a form) as UNSIGNED-PAYLOAD, named by this header.
    payload = headers.get("x-sdk-content-sha256") if body else None
    return "\n".join([method, cpath, cq, ch, ";".join(signed), payload or hashlib.sha256(body).hexdigest()])


def verify(method, path, query, headers, body):
    """Who signed: ("partner", partner) or ("temporary", credential); else Reject."""
    auth = headers.get("authorization", "")
    m = re.fullmatch(r"SDK-HMAC-SHA256 Access=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]+)", auth)
    if not m:
        raise gw_auth("no SDK-HMAC-SHA256 Authorization header")
    ak, signed, sig = m.group(1), m.group(2).split(";"), m.group(3)
    for need in ("host", "x-sdk-date"):
        if need not in signed:
            raise gw_auth(f"{need} is not signed")
    if "x-security-token" in headers and "x-security-token" not in signed:
        raise gw_auth("x-security-token is not signed")
    if "x-sdk-content-sha256" in headers and "x-sdk-content-sha256" not in signed:
        raise gw_auth("x-sdk-content-sha256 is not signed")
    date = headers.get("x-sdk-date", "")
    try:
        t = datetime.strptime(date, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    except ValueError:
        raise gw_auth("X-Sdk-Date is malformed")
    if abs((now() - t).total_seconds()) > 15 * 60:
        raise gw_auth("X-Sdk-Date is more than 15 minutes off")
    with LOCK:
        if ak in W.partners:
            who, sk = ("partner", W.partners[ak]), W.partners[ak]["sk"]
        elif ak in W.sms_apps:
            who, sk = ("sms_app", W.sms_apps[ak]), W.sms_apps[ak]["app_secret"]
        elif ak in W.temporary:
            cred = W.temporary[ak]
            if headers.get("x-security-token") != cred["token"]:
                raise gw_auth("the security token does not belong to this access key")
            if now() >= cred["expires"]:
                raise Reject(401, {"error_code": "APIGW.0307", "error_msg": "The token has expired."})
            who, sk = ("temporary", cred), cred["sk"]
        else:
            raise gw_auth("unknown access key")
    c = canonical(method, path, query, headers, signed, body)
    to_sign = f"SDK-HMAC-SHA256\n{date}\n{hashlib.sha256(c.encode()).hexdigest()}"
    want = hmac.new(sk.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(want, sig):
        raise gw_auth("verify aksk signature fail")
    return who


def need(cond, code, msg, status=400):
    if not cond:
        raise Reject(status, {"error": {"code": code, "message": msg}})


def fits(sdk, model, body, what):
    problems = models.check(sdk, model, body)
    if problems:
        raise Reject(400, {"error": {"code": "EMULATOR.MODEL", "message": f"{what} does not fit {model}: "
                                     + "; ".join(problems[:5])}})


def answer_fits(sdk, model, body):
    problems = models.check(sdk, model, body)
    if problems:  # the emulator's own bug: fail loudly
        raise Reject(500, {"error": {"code": "EMULATOR.ANSWER", "message": f"{model}: " + "; ".join(problems[:5])}})
    return body


def fault_for(method, path, when):
    with LOCK:
        for f in W.faults:
            if f.get("when", "before") != when or f.get("times", 1) <= 0:
                continue
            if f.get("method") and f["method"] != method:
                continue
            if not re.search(f.get("path", ""), path):
                continue
            f["times"] = f.get("times", 1) - 1
            return f
    return None


def customer_of(who):
    need(who[0] == "temporary", "APIGW.0305", "this API needs the customer's temporary credential", 403)
    return who[1]["customer"]


def check_project(customer, project):
    region = W.region_of(customer, project)
    need(region is not None, "Common.0010", "The project does not belong to this account.", 403)
    return region


# --- IAM ----------------------------------------------------------------------------------------
def iam_assume(who, body, headers):
    need(who[0] == "partner", "IAM.0101", "assume_role must be signed with a permanent access key", 403)
    fits("iam", "CreateTemporaryAccessKeyByAgencyRequestBody", body, "the body")
    ident = (body.get("auth") or {}).get("identity") or {}
    need(ident.get("methods") == ["assume_role"], "IAM.0011", "methods must be [assume_role]")
    ar = ident.get("assume_role") or {}
    dur = ar.get("duration_seconds", 900)
    need(900 <= dur <= 86400, "IAM.0011", "duration_seconds must be 900-86400")
    name = (ar.get("session_user") or {}).get("name", "")
    need(re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]{4,63}", name or "x" * 5) is not None, "IAM.0011",
         "session_user.name must be 5-64 letters, digits, - or _, starting with a letter")
    cust = W.customers.get(ar.get("domain_name"))
    trusted = cust and cust["agencies"].get(ar.get("agency_name"))
    need(trusted == who[1]["domain_name"], "IAM.1017",
         "The agency does not exist in that account or does not trust your account.", 404)
    ak = "TMP" + uuid.uuid4().hex[:17].upper()
    cred = {"sk": uuid.uuid4().hex + uuid.uuid4().hex[:8], "token": "ST" + uuid.uuid4().hex * 4,
            "expires": now() + timedelta(seconds=dur), "customer": ar["domain_name"],
            "partner": who[1]["domain_name"], "session_user": name}
    with LOCK:
        W.temporary[ak] = cred
    out = {"credential": {"access": ak, "secret": cred["sk"], "securitytoken": cred["token"],
                          "expires_at": cred["expires"].strftime("%Y-%m-%dT%H:%M:%S.%fZ")}}
    return 201, answer_fits("iam", "CreateTemporaryAccessKeyByAgencyResponse", out)


def account_user(c):
    return hid("user", c)


def iam_users(who, query):
    c = customer_of(who)
    did = W.customers[c]["domain_id"]
    name = dict(query).get("name")
    users = [{"id": account_user(c), "name": c, "domain_id": did, "enabled": True, "description": "",
              "pwd_status": True, "access_mode": "default",
              "links": {"self": f"https://iam.myhuaweicloud.com/v3/users/{account_user(c)}"}}]
    users = [u for u in users if not name or u["name"] == name]
    out = {"users": users, "links": {"self": "https://iam.myhuaweicloud.com/v3/users"}}
    return 200, answer_fits("iam", "KeystoneListUsersResponse", out)


def iam_projects(who):
    c = customer_of(who)
    did = W.customers[c]["domain_id"]
    ps = [{"id": W.project(c, r), "name": r, "domain_id": did, "enabled": True, "is_domain": False,
           "parent_id": did, "description": "", "links": {"self": f"https://iam.myhuaweicloud.com/v3/projects/{W.project(c, r)}"}}
          for r in REGIONS]
    out = {"projects": ps, "links": {"self": "https://iam.myhuaweicloud.com/v3/auth/projects"}}
    return 200, answer_fits("iam", "KeystoneListAuthProjectsResponse", out)


# --- creating ---------------------------------------------------------------------------------------
def new_order(customer, service_type, paid, job_id=None):
    with LOCK:
        W.seq += 1
        oid = "CS" + now().strftime("%y%m%d%H%M") + f"{W.seq:05d}"
        W.orders[oid] = {"order_id": oid, "customer": customer, "service_type_code": service_type,
                         "status": 3 if paid else 6, "job_id": job_id, "created": now(),
                         "paid_at": now() if paid else None, "done_at": (now() + timedelta(seconds=W.job_seconds)) if paid else None}
    return oid


def new_job(customer, kind, entities, paid=True, fail=None):
    jid = uuid.uuid4().hex
    with LOCK:
        W.jobs[jid] = {"job_id": jid, "customer": customer, "kind": kind, "entities": entities, "begin": now(),
                       "done_at": now() + timedelta(seconds=W.job_seconds) if paid else None, "fail": fail}
    return jid


def idempotent(customer, kind, headers, make):
    token = headers.get("x-client-token")
    if token:
        need(len(token) <= 64, "Common.0002", "X-Client-Token is longer than 64 characters")
        with LOCK:
            if (customer, kind, token) in W.tokens:
                return W.tokens[(customer, kind, token)]
    status, body = make()
    if token:
        with LOCK:
            W.tokens.setdefault((customer, kind, token), (status, body))
            return W.tokens[(customer, kind, token)]
    return status, body


def job_fault(path):
    f = fault_for("POST", path, "job")
    return {"code": f.get("code", "Ecs.0000"), "reason": f.get("reason", "The job failed.")} if f else None


def ecs_create(who, region, project, body, headers, path):
    c = customer_of(who)
    need(check_project(c, project) == region, "Ecs.0015", "The project is in another region.")
    fits("ecs", "CreateServersRequestBody", body, "the body")
    s = body.get("server") or {}
    for k in ("imageRef", "flavorRef", "name", "vpcid", "nics", "root_volume"):
        need(k in s, "Ecs.0005", f"server.{k} is required")
    vpcs = {v["vpc"]["id"]: v for v in vpcs_of(c, region)}
    need(s["vpcid"] in vpcs, "Ecs.0005", f"The VPC {s['vpcid']} does not exist in this project.")
    subnets = {x["id"] for x in vpcs[s["vpcid"]]["subnets"]}
    for n in s["nics"]:
        need(n.get("subnet_id") in subnets, "Ecs.0005", f"The subnet {n.get('subnet_id')} is not in VPC {s['vpcid']}.")
    sgs = {g["id"] for g in vpcs[s["vpcid"]]["security_groups"]}
    for g in s.get("security_groups", []):
        need(g.get("id") in sgs, "Ecs.0005", f"The security group {g.get('id')} is not in VPC {s['vpcid']}.")
    if s.get("key_name"):
        need(s["key_name"] == "kp-default", "Ecs.0314", f"The key pair {s['key_name']} does not exist.")
    if f := fault_for("POST", path, "quota"):
        raise Reject(400, {"error": {"code": "Ecs.0319", "message": f.get("message", "Quota exceeded: instances.")}})
    if f := fault_for("POST", path, "balance"):
        raise Reject(400, {"error": {"code": "CBC.30000067", "message": "Insufficient balance."}})
    ext = s.get("extendparam") or {}
    prepaid = ext.get("chargingMode") == "prePaid"
    paid = not prepaid or ext.get("isAutoPay") == "true"
    if prepaid and s.get("key_name"):
        # ECS: a yearly/monthly server logging in with a key pair names the account's user.
        got = (s.get("metadata") or {}).get("op_svc_userid")
        need(got == account_user(c), "Ecs.0005", f"metadata.op_svc_userid {got} is not a user of this account.")

    def make():
        n = s.get("count", 1)
        ids = [str(uuid.uuid4()) for _ in range(n)]
        for i in ids:
            with LOCK:
                W.resources[i] = {"id": i, "customer": c, "kind": "server", "region": region, "status": "BUILD",
                                  "prepaid": prepaid, "created": now(), "name": s.get("name")}
        jid = new_job(c, "createServer", {"server_ids": ids}, paid, job_fault(path))
        out = {"job_id": jid, "serverIds": ids}
        if prepaid:
            out["order_id"] = new_order(c, "hws.service.type.ec2", paid, jid)
        return 200, answer_fits("ecs", "CreateServersResponse", out)

    return idempotent(c, "ecs", headers, make)


def evs_create(who, region, project, body, headers, path):
    c = customer_of(who)
    need(check_project(c, project) == region, "EVS.2000", "The project is in another region.")
    fits("evs", "CreateVolumeRequestBody", body, "the body")
    v = body.get("volume") or {}
    for k in ("availability_zone", "volume_type", "size"):
        need(k in v, "EVS.2001", f"volume.{k} is required")
    bss = body.get("bssParam") or {}  # the wire name (the SDK attribute bss_param)
    prepaid = bss.get("chargingMode") == "prePaid"
    paid = not prepaid or bss.get("isAutoPay") == "true"

    def make():
        ids = [str(uuid.uuid4()) for _ in range(v.get("count", 1))]
        for i in ids:
            with LOCK:
                W.resources[i] = {"id": i, "customer": c, "kind": "volume", "region": region, "status": "creating",
                                  "prepaid": prepaid, "created": now(), "name": v.get("name") if isinstance(v, dict) else None}
        jid = new_job(c, "createVolume", {"volume_ids": ids}, paid, job_fault(path))
        if prepaid:
            out = {"order_id": new_order(c, "hws.service.type.ebs", paid, jid), "volume_ids": ids}
        else:
            out = {"job_id": jid, "volume_ids": ids}
        return 200, answer_fits("evs", "CreateVolumeResponse", out)

    return idempotent(c, "evs", headers, make)


def eip_create(who, region, project, body, headers, version):
    c = customer_of(who)
    need(check_project(c, project) == region, "VPC.0001", "The project is in another region.")
    prepaid = version == "v2.0"
    fits("eip", "CreatePrePaidPublicipRequestBody" if prepaid else "CreatePublicipRequestBody", body, "the body")
    ext = body.get("extendParam") or {}
    paid = not prepaid or ext.get("is_auto_pay") is True

    def make():
        i = str(uuid.uuid4())
        addr = f"198.51.100.{1 + int(hid(i)[:2], 16) % 254}"
        with LOCK:
            W.resources[i] = {"id": i, "customer": c, "kind": "publicip", "region": region, "address": addr,
                              "prepaid": prepaid, "created": now(),
                              "status": "DOWN"}
        if prepaid:
            jid = new_job(c, "createPublicip", {"publicip_id": i}, paid)
            out = {"order_id": new_order(c, "hws.service.type.vpc", paid, jid), "publicip_id": i}
            return 200, answer_fits("eip", "CreatePrePaidPublicipResponse", out)
        ip = body.get("publicip") or {}
        out = {"publicip": {"id": i, "status": "DOWN", "type": ip.get("type", "5_bgp"), "public_ip_address": addr,
                            "tenant_id": project, "ip_version": 4, "create_time": now().strftime("%Y-%m-%d %H:%M:%S"),
                            "bandwidth_size": (body.get("bandwidth") or {}).get("size", 0),
                            "enterprise_project_id": "0"}}
        return 200, answer_fits("eip", "CreatePublicipResponse", out)

    return idempotent(c, "eip", headers, make)


# --- following ------------------------------------------------------------------------------------
def job_state(j):
    if j["done_at"] is None:
        return "INIT"
    if now() < j["done_at"]:
        return "RUNNING"
    return "FAIL" if j["fail"] else "SUCCESS"


def show_job(who, service, project, job_id):
    c = customer_of(who)
    check_project(c, project)
    with LOCK:
        j = W.jobs.get(job_id)
    need(j is not None and j["customer"] == c, "Common.0024", "No such job.", 404)
    st = job_state(j)
    if st == "SUCCESS":
        for k in ("server_ids", "volume_ids"):
            for i in j["entities"].get(k, []):
                with LOCK:
                    W.resources[i]["status"] = "ACTIVE" if k == "server_ids" else "available"
    out = {"job_id": job_id, "job_type": j["kind"], "status": st, "begin_time": iso(j["begin"])}
    if st in ("SUCCESS", "FAIL"):
        out["end_time"] = iso(j["done_at"])
    if service == "ecs":
        subs = [{"job_id": uuid.uuid4().hex, "job_type": "createSingleServer", "status": st,
                 "entities": {"server_id": i}} for i in j["entities"].get("server_ids", [])]
        out["entities"] = {"sub_jobs_total": len(subs), "sub_jobs": subs}
    else:
        ids = j["entities"].get("volume_ids", [])
        out["entities"] = {"volume_id": ids[0]} if len(ids) == 1 else {"sub_jobs": [
            {"job_id": uuid.uuid4().hex, "job_type": "createVolume", "status": st, "entities": {"volume_id": i}}
            for i in ids]}
    if st == "FAIL":
        out["error_code"], out["fail_reason"] = j["fail"]["code"], j["fail"]["reason"]
    return 200, answer_fits("ecs" if service == "ecs" else "evs", "ShowJobResponse", out)


def order_status(o):
    if o["status"] in (4, 6):
        return o["status"]
    j = W.jobs.get(o["job_id"]) if o.get("job_id") else None
    if j:
        st = job_state(j)
        return 5 if st == "SUCCESS" else 4 if st == "FAIL" else 3
    return 5 if o["done_at"] and now() >= o["done_at"] else 3


def bss_details(who, order_id):
    c = customer_of(who)
    with LOCK:
        o = W.orders.get(order_id)
    need(o is not None and o["customer"] == c, "CBC.0101", "No such order.", 404)
    info = {"order_id": order_id, "customer_id": W.customers[c]["domain_id"], "service_type_code": o["service_type_code"],
            "source_type": 2, "status": order_status(o), "order_type": 1, "create_time": iso(o["created"]),
            "currency": "USD", "measure_id": 1}
    if o["paid_at"]:
        info["payment_time"] = iso(o["paid_at"])
    out = {"total_count": 1, "order_info": info, "order_line_items": []}
    return 200, answer_fits("bss", "ShowCustomerOrderDetailsResponse", out)


def bss_pay(who, body):
    c = customer_of(who)
    fits("bss", "PayCustomerOrderV3Req", body, "the body")
    with LOCK:
        o = W.orders.get(body.get("order_id"))
        need(o is not None and o["customer"] == c, "CBC.0101", "No such order.", 404)
        need(o["status"] == 6, "CBC.30000010", "The order is not pending payment.")
        o["status"], o["paid_at"] = 3, now()
        o["done_at"] = now() + timedelta(seconds=W.job_seconds)
        if o.get("job_id"):
            W.jobs[o["job_id"]]["done_at"] = o["done_at"]
    return 204, None


def bss_cancel(who, body):
    fits("bss", "CancelCustomerOrderReq", body, "the body")
    with LOCK:
        o = W.orders.get(body.get("order_id"))
        if who[0] == "partner":  # the partner cancels a customer's order from Customer Orders
            p = who[1]
            mine = o is not None and (o.get("partner") == p["domain_name"]
                                      or W.customers.get(o["customer"], {}).get("domain_id") in customers_of_partner(p))
            need(mine, "CBC.0101", "No such order.", 404)
        else:
            need(o is not None and o["customer"] == customer_of(who), "CBC.0101", "No such order.", 404)
        need(o["status"] == 6, "CBC.30000010", "Only an order pending payment can be cancelled.")
        o["status"] = 4
    return 200, {}


# --- price inquiry ---------------------------------------------------------------------------------
# The emulator's own price list (USD): per month and per hour, by resource type; sizes per GB or Mbit/s.
MONTH = {"hws.resource.type.vm": 18.0, "hws.resource.type.volume": 0.12, "hws.resource.type.ip": 3.0,
         "hws.resource.type.bandwidth": 4.5}
HOUR = {"hws.resource.type.vm": 0.04, "hws.resource.type.volume": 0.00018, "hws.resource.type.ip": 0.004,
        "hws.resource.type.bandwidth": 0.0063}


def bss_rate(who, body, period):
    c = customer_of(who)
    fits("bss", "RateOnPeriodReq" if period else "RateOnDemandReq", body, "the body")
    need(W.region_of(c, body.get("project_id", "")) is not None, "CBC.0100", "The project does not belong to this account.")
    results, total = [], 0.0
    for i, p in enumerate(body.get("product_infos") or []):
        table = MONTH if period else HOUR
        need(p.get("resource_type") in table, "CBC.99003004", f"Unknown resource type {p.get('resource_type')}.")
        unit = table[p["resource_type"]] * (p.get("resource_size") or 1) * p.get("subscription_num", 1)
        if period:
            months = p.get("period_num", 1) * (10 if p.get("period_type") == 3 else 1)
            amount = round(unit * months, 2)
            results.append({"id": p.get("id", str(i + 1)), "product_id": f"OFFI{hid(p['resource_type'])[:12]}",
                            "official_website_amount": amount, "measure_id": 1})
        else:
            amount = round(unit * float(p.get("usage_value", 1)), 6)
            results.append({"id": p.get("id", str(i + 1)), "product_id": f"OFFI{hid(p['resource_type'])[:12]}",
                            "amount": amount, "discount_amount": 0, "official_website_amount": amount, "measure_id": 1})
        total += amount
    if period:
        out = {"official_website_rating_result": {"official_website_amount": round(total, 2), "measure_id": 1,
                                                  "product_rating_results": results},
               "optional_discount_rating_results": [], "currency": "USD"}
        return 200, answer_fits("bss", "ListRateOnPeriodDetailResponse", out)
    out = {"amount": round(total, 6), "discount_amount": 0, "official_website_amount": round(total, 6), "measure_id": 1,
           "currency": "USD", "product_rating_results": results}
    return 200, answer_fits("bss", "ListOnDemandResourceRatingsResponse", out)


# --- lookups --------------------------------------------------------------------------------------
def lookup(who, service, region, project, what, query):
    c = customer_of(who)
    need(check_project(c, project) == region, "Common.0010", "The project is in another region.", 403)
    vs = vpcs_of(c, region)
    q = dict(query)
    if what == "vpcs":
        return 200, answer_fits("vpc", "ListVpcsResponse", {"vpcs": [v["vpc"] for v in vs]})
    if what == "subnets":
        subs = [s for v in vs for s in v["subnets"] if not q.get("vpc_id") or s["vpc_id"] == q["vpc_id"]]
        return 200, answer_fits("vpc", "ListSubnetsResponse", {"subnets": subs})
    if what == "security-groups":
        sgs = [g for v in vs for g in v["security_groups"] if not q.get("vpc_id") or g["vpc_id"] == q["vpc_id"]]
        return 200, answer_fits("vpc", "ListSecurityGroupsResponse", {"security_groups": sgs})
    kp = {"name": "kp-default", "fingerprint": "SHA256:" + hid("kp", c)[:43], "type": "ssh",
          "public_key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + hid("pub", c) + " " + c}
    return 200, answer_fits("ecs", "NovaListKeypairsResponse", {"keypairs": [{"keypair": kp}]})


# --- BSS, partner side (the partner's own key) ----------------------------------------------------
def partner_of(who):
    need(who[0] == "partner", "CBC.0150", "this API needs the partner's own access key", 403)
    return who[1]


def sub_customers(who, body):
    d = W.directory(partner_of(who))
    fits("bss", "QuerySubCustomerListReq", body, "the body")
    offset, limit = int(body.get("offset") or 0), int(body.get("limit") or 10)
    need(0 <= offset and 1 <= limit <= 100, "CBC.0100", "limit must be 1-100 and offset at least 0")
    ids = d.indices()
    page = [d.customer(i) for i in ids[offset:offset + limit]]
    if f := fault_for("POST", "/bss" + "/v2/partners/sub-customers/query", "partial"):
        page = page[:int(f.get("keep", len(page) // 2))]
    return 200, answer_fits("bss", "ListSubCustomersResponse", {"customer_infos": page, "count": len(ids)})


def sub_budgets(who, body):
    d = W.directory(partner_of(who))
    fits("bss", "ListSubCustomerBudgetReq", body, "the body")
    asked = body.get("customer_ids") or []
    need(1 <= len(asked) <= 100, "CBC.0100", "customer_ids takes 1-100 ids")
    infos = []
    for cid in asked:
        i = d.index_of(cid)
        if i is None or d.customer(i)["association_type"] != "3":
            continue  # not this partner's, or not resold: Huawei leaves it out
        if d.budget(i) is not None:
            infos.append({"customer_id": cid, **d.budget(i)})
    return 200, answer_fits("bss", "ListSubCustomerBudgetResponse",
                            {"budget_infos": infos, "currency": "USD", "measure_id": 1})


def sub_budget_set(who, body):
    d = W.directory(partner_of(who))
    fits("bss", "ModSubCustomerBudgetReq", body, "the body")
    cid = body.get("customer_id")
    i = d.index_of(cid)
    need(i is not None, "CBC.99003651", "The customer is not associated with the partner.")
    need(d.customer(i)["association_type"] == "3", "CBC.99003652", "Budgets are for resold customers only.")
    amount = body.get("budget_amount")
    need(isinstance(amount, (int, float)) and amount >= 0, "CBC.0100", "budget_amount is required")
    old = d.budget(i) or {"used_amount": 0}
    d.budgets[cid] = {"budget_amount": amount, "used_amount": old["used_amount"],
                      "budget_type": body.get("budget_type") or "MONTHLY"}
    d.records.setdefault(cid, []).insert(0, {"budget_amount": amount, "operation_type": "SETTING",
                                             "operation_time": iso(now()), "operator": who[1]["domain_name"],
                                             "budget_type": body.get("budget_type") or "MONTHLY"})
    if str(body.get("cancel_partner_frozen")) == "1":
        d.frozen[cid] = False
    return 200, None


def sub_budget_show(who, query):
    d = W.directory(partner_of(who))
    q = dict(query)
    i = d.index_of(q.get("customer_id"))
    need(i is not None, "CBC.99003651", "The customer is not associated with the partner.")
    out = {**(d.budget(i) or {}), "currency": "USD", "measure_id": 1}
    return 200, answer_fits("bss", "ShowSubCustomerBudgetResponse", out)


def sub_budget_records(who, query):
    d = W.directory(partner_of(who))
    q = dict(query)
    cid = q.get("customer_id")
    need(d.index_of(cid) is not None, "CBC.99003651", "The customer is not associated with the partner.")
    offset, limit = int(q.get("offset", 0)), int(q.get("limit", 10))
    rows = d.records.get(cid, [])
    out = {"total_count": len(rows), "currency": "USD", "measure_id": 1, "record_list": rows[offset:offset + limit]}
    return 200, answer_fits("bss", "ListSubCustomerBudgetRecordsResponse", out)


def sub_freeze(who, body, frozen):
    d = W.directory(partner_of(who))
    fits("bss", "FreezeSubCustomersReq" if frozen else "UnfreezeSubCustomersReq", body, "the body")
    need(body.get("reason"), "CBC.0100", "reason is required")
    errors = []
    for cid in body.get("customer_ids") or []:
        if d.index_of(cid) is None:
            errors.append({"id": cid, "error_code": "CBC.99003651",
                           "error_msg": "The customer is not associated with the partner."})
        else:
            d.frozen[cid] = frozen
    model = "FreezeSubCustomersResponse" if frozen else "UnfreezeSubCustomersResponse"
    return 200, answer_fits("bss", model, {"error_details": errors})


def customers_of_partner(partner):
    """The customers (domain id -> domain name) whose agency trusts the partner. Orders of its directory
    customers placed elsewhere carry the partner's name themselves (`/_emulator/elsewhere`)."""
    ids = {c["domain_id"]: name for name, c in W.customers.items() if partner["domain_name"] in c["agencies"].values()}
    return ids


KIND_CODES = {"server": ("hws.service.type.ec2", "hws.resource.type.vm"),
              "volume": ("hws.service.type.ebs", "hws.resource.type.volume"),
              "publicip": ("hws.service.type.vpc", "hws.resource.type.ip")}


def partner_orders(who, query):
    p = partner_of(who)
    q = dict(query)
    for k in ("offset", "limit", "status"):
        if k in q:
            need(q[k].lstrip("-").isdigit(), "CBC.0100", f"{k} must be an integer")
    offset, limit = int(q.get("offset", 0)), int(q.get("limit", 10))
    need(0 <= offset and 1 <= limit <= 100, "CBC.0100", "limit must be 1-100 and offset at least 0")
    mine = customers_of_partner(p)
    with LOCK:
        rows = []
        for o in W.orders.values():
            cid = W.customers[o["customer"]]["domain_id"] if o["customer"] in W.customers else o.get("customer_id")
            if cid not in mine and o.get("partner") != p["domain_name"]:
                continue
            info = {"order_id": o["order_id"], "customer_id": cid, "service_type_code": o["service_type_code"],
                    "source_type": o.get("source_type", 2), "status": order_status(o), "order_type": 1,
                    "create_time": iso(o["created"]), "currency": "USD", "measure_id": 1}
            if o.get("amount") is not None:
                info["amount_after_discount"] = o["amount"]
                info["official_amount"] = o["amount"]
            if o.get("paid_at"):
                info["payment_time"] = iso(o["paid_at"])
            rows.append(info)
    flt = {"customer_id": "customer_id", "order_id": "order_id", "service_type_code": "service_type_code"}
    for k, f in flt.items():
        if q.get(k):
            rows = [r for r in rows if r[f] == q[k]]
    if q.get("status"):
        rows = [r for r in rows if r["status"] == int(q["status"])]
    if q.get("create_time_begin"):
        rows = [r for r in rows if r["create_time"] >= q["create_time_begin"]]
    if q.get("create_time_end"):
        rows = [r for r in rows if r["create_time"] <= q["create_time_end"]]
    rows.sort(key=lambda r: (r["create_time"], r["order_id"]), reverse=True)
    out = {"total_count": len(rows), "order_infos": rows[offset:offset + limit]}
    return 200, answer_fits("bss", "ListCustomerOrdersResponse", out)


def partner_resources(who, body):
    p = partner_of(who)
    fits("bss", "QueryCustomerOnDemandResourcesReq", body, "the body")
    need(body.get("customer_id"), "CBC.0100", "customer_id is required")
    offset, limit = int(body.get("offset") or 0), int(body.get("limit") or 10)
    need(0 <= offset and 1 <= limit <= 100, "CBC.0100", "limit must be 1-100 and offset at least 0")
    mine = customers_of_partner(p)
    name = mine.get(body["customer_id"])
    with LOCK:
        rows = []
        for r in W.resources.values():
            if r.get("prepaid") or (r["customer"] != name and r.get("customer_id") != body["customer_id"]):
                continue
            svc, typ = KIND_CODES[r["kind"]]
            rows.append({"customer_id": body["customer_id"], "region_code": r["region"],
                         "availability_zone_code": r["region"] + "a", "service_type_code": svc, "resource_type_code": typ,
                         "resource_id": r["id"], "resource_name": r.get("name") or r["id"][:8],
                         "effective_time": iso(r.get("created") or now()), "status": 1 if r["status"] != "deleted" else 5})
    rows.sort(key=lambda x: (x["effective_time"], x["resource_id"]), reverse=True)
    out = {"resources": rows[offset:offset + limit], "total_count": len(rows)}
    return 200, answer_fits("bss", "ListCustomerOnDemandResourcesResponse", out)


# --- Message & SMS, an email API, a webhook receiver --------------------------------------------
def sms_error(status, code, description):
    return Reject(status, {"code": code, "description": description})


def sms_send(who, form):
    """POST /sms/batchSendSms/v1 (form-encoded, signed with the application's key and secret)."""
    if who[0] != "sms_app":
        raise sms_error(401, "E000101", "Authentication failed: not an SMS application key.")
    app = who[1]
    fits("smsapi", "BatchSendSmsRequestBody", form, "the form")
    for k in ("from", "to", "templateId"):
        if not form.get(k):
            raise sms_error(400, "E000503", f"The parameter {k} is missing.")
    if form["from"] != app["sender"]:
        raise sms_error(400, "E000504", "The sender (channel number) does not belong to this application.")
    template = app["templates"].get(form["templateId"])
    if template is None:
        raise sms_error(400, "E000505", "The template does not exist.")
    try:
        paras = json.loads(form.get("templateParas") or "[]")
    except ValueError:
        raise sms_error(400, "E000503", "templateParas is not a JSON array.")
    wanted = len(re.findall(r"\$\{\d+\}", template))
    if not (isinstance(paras, list) and all(isinstance(p, str) for p in paras) and len(paras) == wanted):
        raise sms_error(400, "E000503", f"templateParas must be {wanted} strings.")
    out = {"code": "000000", "description": "Success", "result": []}
    for to in form["to"].split(","):
        if not re.fullmatch(r"\+\d{6,15}", to):
            raise sms_error(400, "E000503", f"{to!r} is not a number in +country format.")
        text = template
        for i, p in enumerate(paras, 1):
            text = text.replace("${%d}" % i, p)
        mid = uuid.uuid4().hex
        with LOCK:
            W.sms.append({"smsMsgId": mid, "to": to, "from": form["from"], "templateId": form["templateId"],
                          "params": paras, "text": text, "at": iso(now()),
                          "statusCallback": form.get("statusCallback")})
        if form.get("statusCallback") and W.sms_report:
            report_later(form["statusCallback"], {"smsMsgId": mid, "total": "1", "sequence": "1",
                                                  "status": W.sms_report, "to": to, "source": "2",
                                                  "updateTime": iso(now()), "orgCode": "000000"})
        out["result"].append({"originTo": to, "createTime": iso(now()), "from": form["from"], "smsMsgId": mid,
                              "status": "000000"})
    return 200, answer_fits("smsapi", "BatchSendSmsResponse", out)


def report_later(url, fields, delay=0.3):
    """Huawei's status report: a form POST to the statusCallback the send named, a moment later."""
    def post():
        time.sleep(delay)
        data = "&".join(f"{k}={quote(str(v), safe='')}" for k, v in fields.items()).encode()
        req = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(req, timeout=5) as r:
                status = r.status
        except urllib.error.HTTPError as e:
            status = e.code
        except OSError as e:
            status = str(e)
        with LOCK:
            W.reports.append({"url": url, "fields": fields, "status": status})
    threading.Thread(target=post, daemon=True).start()


def email_send(headers, body):
    """POST /email/emails: {from, to[], subject, text} with a bearer key; Idempotency-Key honoured."""
    auth = headers.get("authorization", "")
    key = auth[len("Bearer "):] if auth.startswith("Bearer ") else None
    if key not in W.email_keys:
        raise Reject(401, {"name": "missing_api_key", "message": "API key is invalid"})
    idem = headers.get("idempotency-key")
    with LOCK:
        if idem and (key, idem) in W.email_answers:
            return 200, W.email_answers[(key, idem)]
    b = body if isinstance(body, dict) else {}
    extra = set(b) - {"from", "to", "subject", "text", "html", "reply_to"}
    to = b.get("to")
    if extra or not isinstance(b.get("from"), str) or not isinstance(to, list) or not to \
            or not all(isinstance(x, str) and "@" in x for x in to) or not isinstance(b.get("subject"), str) \
            or not isinstance(b.get("text"), str):
        raise Reject(422, {"name": "validation_error", "message": f"Invalid email (extra fields: {sorted(extra)})."})
    answer = {"id": "em_" + uuid.uuid4().hex[:20]}
    with LOCK:
        W.emails.append({**b, "id": answer["id"], "idempotency_key": idem, "at": iso(now())})
        if idem:
            W.email_answers[(key, idem)] = answer
    return 200, answer


def webhook_receive(name, headers, raw):
    """POST /webhook/{name}: a partner's receiver. Verifies onbehalf's signature as README tells a
    partner to (HMAC-SHA256 over "<t>.<body>", a five-minute window) and records every post."""
    sig = headers.get("onbehalf-signature", "")
    key_id = headers.get("onbehalf-key-id", "")
    parts = dict(p.split("=", 1) for p in sig.split(",") if "=" in p)
    secret = W.webhook_secrets.get(key_id)
    verified, reason = False, None
    try:
        t = int(parts.get("t", ""))
    except ValueError:
        t, reason = None, "no timestamp"
    if secret is None:
        reason = "unknown key id"
    elif t is not None:
        want = hmac.new(secret.encode(), f"{t}.".encode() + raw, hashlib.sha256).hexdigest()
        if abs(time.time() - t) > 300:
            reason = "outside the replay window"
        elif not hmac.compare_digest(want, parts.get("v1", "")):
            reason = "signature mismatch"
        else:
            verified = True
    try:
        body = json.loads(raw)
    except ValueError:
        body = None
    with LOCK:
        W.webhooks.append({"name": name, "verified": verified, "reason": reason, "key_id": key_id,
                           "message_id": headers.get("onbehalf-message-id"), "body": body, "at": iso(now())})
    if not verified:
        raise Reject(401, {"error": reason})
    return 200, {"received": True}


def route(method, path, query, who, body, headers):
    m = re.fullmatch
    if path == "/sms/batchSendSms/v1" and method == "POST":
        return sms_send(who, body)
    if path == "/iam/v3.0/OS-CREDENTIAL/securitytokens" and method == "POST":
        return iam_assume(who, body, headers)
    if path == "/iam/v3/auth/projects" and method == "GET":
        return iam_projects(who)
    if path == "/iam/v3/users" and method == "GET":
        return iam_users(who, query)
    if r := m(r"/bss/v2/orders/customer-orders/details/([^/]+)", path):
        return bss_details(who, r.group(1))
    if path == "/bss/v3/orders/customer-orders/pay" and method == "POST":
        return bss_pay(who, body)
    if path == "/bss/v2/orders/customer-orders/cancel" and method == "PUT":
        return bss_cancel(who, body)
    if path == "/bss/v2/bills/ratings/period-resources/subscribe-rate" and method == "POST":
        return bss_rate(who, body, True)
    if path == "/bss/v2/bills/ratings/on-demand-resources" and method == "POST":
        return bss_rate(who, body, False)
    if path == "/bss/v2/orders/customer-orders" and method == "GET":
        return partner_orders(who, query)
    if path == "/bss/v2/partners/sub-customers/on-demand-resources/query" and method == "POST":
        return partner_resources(who, body or {})
    if path == "/bss/v2/partners/sub-customers/query" and method == "POST":
        return sub_customers(who, body or {})
    if path == "/bss/v2/partners/sub-customers/budget/query" and method == "POST":
        return sub_budgets(who, body or {})
    if path == "/bss/v2/partners/sub-customers/budget" and method == "POST":
        return sub_budget_set(who, body or {})
    if path == "/bss/v2/partners/sub-customers/budget" and method == "GET":
        return sub_budget_show(who, query)
    if path == "/bss/v2/partners/sub-customers/budget/records" and method == "GET":
        return sub_budget_records(who, query)
    if path == "/bss/v2/partners/sub-customers/freeze" and method == "POST":
        return sub_freeze(who, body or {}, True)
    if path == "/bss/v2/partners/sub-customers/unfreeze" and method == "POST":
        return sub_freeze(who, body or {}, False)
    r = m(r"/(ecs|evs|vpc)/([a-z0-9-]+)(/.*)", path)
    need(r is not None, "APIGW.0101", "The API does not exist or has not been published.", 404)
    service, region, rest = r.groups()
    if (x := m(r"/v1\.1/([0-9a-f]{32})/cloudservers", rest)) and service == "ecs" and method == "POST":
        return ecs_create(who, region, x.group(1), body, headers, path)
    if (x := m(r"/v2\.1/([0-9a-f]{32})/cloudvolumes", rest)) and service == "evs" and method == "POST":
        return evs_create(who, region, x.group(1), body, headers, path)
    if (x := m(r"/(v1|v2\.0)/([0-9a-f]{32})/publicips", rest)) and service == "vpc" and method == "POST":
        return eip_create(who, region, x.group(2), body, headers, x.group(1))
    if (x := m(r"/v1/([0-9a-f]{32})/jobs/([0-9a-f]+)", rest)) and service in ("ecs", "evs") and method == "GET":
        return show_job(who, service, x.group(1), x.group(2))
    if (x := m(r"/v1/([0-9a-f]{32})/(vpcs|subnets|security-groups)", rest)) and service == "vpc" and method == "GET":
        return lookup(who, service, region, x.group(1), x.group(2), query)
    if (x := m(r"/v2\.1/([0-9a-f]{32})/os-keypairs", rest)) and service == "ecs" and method == "GET":
        return lookup(who, service, region, x.group(1), "keypairs", query)
    raise Reject(404, {"error_code": "APIGW.0101", "error_msg": "The API does not exist or has not been published."})


def control(method, path, body):
    with LOCK:
        if path == "/_emulator/reset":
            W.reset()
            return 200, {"reset": True}
        if path == "/_emulator/partners" and method == "POST":
            W.add_partner(body)
            return 200, {"domain_id": W.partners[body["ak"]]["domain_id"]}
        if path == "/_emulator/customers" and method == "POST":
            cust = W.add_customer(body)
            return 200, {"domain_id": cust["domain_id"],
                         "projects": {r: W.project(body["domain_name"], r) for r in REGIONS}}
        if path == "/_emulator/faults" and method == "POST":
            W.faults.extend(body if isinstance(body, list) else [body])
            return 200, {"faults": len(W.faults)}
        if path == "/_emulator/faults" and method == "DELETE":
            W.faults = []
            return 200, {"faults": 0}
        if path == "/_emulator/directory" and method == "POST":
            p = next((x for x in W.partners.values() if x["domain_name"] == body.get("partner")), None)
            if p is None:
                return 404, {"error": "no such partner domain_name"}
            return 200, W.directory(p).configure(body)
        if path == "/_emulator/elsewhere" and method == "POST":
            # An order and a pay-per-use resource a customer got without onbehalf (console, another tool).
            W.seq += 1
            oid = "CS" + now().strftime("%y%m%d%H%M") + f"{W.seq:05d}"
            W.orders[oid] = {"order_id": oid, "customer": None, "customer_id": body["customer_id"],
                             "partner": body["partner"], "service_type_code": body.get("service_type_code", "hws.service.type.ebs"),
                             "status": body.get("status", 5), "created": now(), "paid_at": now(), "done_at": now(),
                             "amount": body.get("amount", 42.5), "source_type": 1, "job_id": None}
            rid = str(uuid.uuid4())
            W.resources[rid] = {"id": rid, "customer": None, "customer_id": body["customer_id"], "kind": "volume",
                                "region": "ap-southeast-1", "status": "available", "prepaid": False, "created": now(),
                                "name": "console-volume"}
            return 200, {"order_id": oid, "resource_id": rid}
        if path == "/_emulator/directory" and method == "GET":
            return 200, {d: {"count": len(x.indices()), "frozen": x.frozen, "budgets": x.budgets}
                         for d, x in W.directories.items()}
        if path == "/_emulator/sms-apps" and method == "POST":
            W.sms_apps[body["app_key"]] = {"app_secret": body["app_secret"], "sender": body["sender"],
                                           "templates": body.get("templates", {})}
            return 200, {"sms_apps": len(W.sms_apps)}
        if path == "/_emulator/email-keys" and method == "POST":
            W.email_keys.add(body["api_key"])
            return 200, {"email_keys": len(W.email_keys)}
        if path == "/_emulator/webhook-secrets" and method == "POST":
            W.webhook_secrets[body["key_id"]] = body["secret"]
            return 200, {"webhook_secrets": len(W.webhook_secrets)}
        if path == "/_emulator/messages":
            return 200, {"sms": W.sms, "emails": W.emails, "webhooks": W.webhooks, "reports": W.reports}
        if path == "/_emulator/config" and method == "POST":
            W.job_seconds = float(body.get("job_seconds", W.job_seconds))
            W.sms_report = body.get("sms_report", W.sms_report)
            return 200, {"job_seconds": W.job_seconds, "sms_report": W.sms_report}
        if path == "/_emulator/requests":
            if method == "DELETE":
                W.requests = []
            return 200, {"requests": W.requests}
        if path == "/_emulator/state":
            return 200, {"resources": list(W.resources.values()),
                         "orders": [{**o, "status": order_status(o)} for o in W.orders.values()],
                         "jobs": [{"job_id": j["job_id"], "status": job_state(j)} for j in W.jobs.values()]}
    return 404, {"error": "no such control route"}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        u = urlsplit(self.path)
        path, query = u.path, parse_qsl(u.query, keep_blank_values=True)
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k.lower(): v for k, v in self.headers.items()}
        rid = uuid.uuid4().hex
        form = headers.get("content-type", "").startswith("application/x-www-form-urlencoded")
        try:
            body = dict(parse_qsl(raw.decode(), keep_blank_values=True)) if form else (json.loads(raw) if raw else None)
        except ValueError:
            return self.send(400, {"error_code": "Common.0001", "error_msg": "The body is not JSON."}, rid)
        if path.startswith("/_emulator/"):
            s, b = control(self.command, path, body or {})
            return self.send(s, b, rid)
        entry = {"method": self.command, "path": path, "query": query, "client_token": headers.get("x-client-token"),
                 "request_id": rid, "at": iso(now())}
        status, out, extra = 500, None, {}
        hang = None
        try:
            if f := fault_for(self.command, path, "before"):
                if f.get("delay_ms"):
                    time.sleep(f["delay_ms"] / 1000)
                if f.get("status"):
                    raise Reject(f["status"], f.get("body") or {"error_code": "Common.0500", "error_msg": "Injected fault."},
                                 f.get("headers"))
                if f.get("signature"):
                    raise gw_auth("verify aksk signature fail")
            if path == "/email/emails" and self.command == "POST":
                status, out = email_send(headers, body)
            elif (w := re.fullmatch(r"/webhook/([A-Za-z0-9_-]+)", path)) and self.command == "POST":
                status, out = webhook_receive(w.group(1), headers, raw)
            else:
                who = verify(self.command, path, query, headers, raw)
                entry["signed_by"] = who[0]
                status, out = route(self.command, path, query, who, body, headers)
            hang = fault_for(self.command, path, "after")
        except Reject as r:
            status, out, extra = r.status, r.body, r.headers
        entry["status"] = status
        if isinstance(out, dict) and status >= 400:
            entry["error"] = out
        with LOCK:
            W.requests.append(entry)
        if hang:  # accepted, then the connection stays silent: the caller cannot know
            time.sleep(hang.get("hang_s", 30))
            self.close_connection = True
            return
        self.send(status, out, rid, extra)

    def send(self, status, body, rid, extra=None):
        data = b"" if body is None else json.dumps(body, default=str).encode()
        self.send_response(status)
        self.send_header("X-Request-Id", rid)
        for k, v in (extra or {}).items():
            self.send_header(k, str(v))
        if body is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = handle_any


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=8788)
    ap.add_argument("--world", help="a JSON file {partners: [...], customers: [...]} to start with")
    ap.add_argument("--job-seconds", type=float, default=2.0)
    a = ap.parse_args()
    W.job_seconds = a.job_seconds
    if a.world:
        with open(a.world) as f:
            w = json.load(f)
        for p in w.get("partners", []):
            W.add_partner(p)
        for c in w.get("customers", []):
            W.add_customer(c)
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.daemon_threads = True
    print(f"huawei emulator on http://127.0.0.1:{a.port}", flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
