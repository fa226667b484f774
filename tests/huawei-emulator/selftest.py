"""The emulator's own checks, run by `make test` before the HTTP tests:
1. its signature verifier accepts requests signed by the official SDK's Signer (huaweicloudsdkcore),
   for paths with spaces, query strings and empty bodies, and rejects any tampering;
2. its model checker (models.py) accepts fitting bodies and names misfits.
So the worker, which the HTTP tests check against this verifier, signs as the SDK does.
"""

import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.server import ThreadingHTTPServer

import emulator
import models
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer


def sdk_signed(host, method, path, query, body, ak, sk, token=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["X-Security-Token"] = token
    req = SdkRequest(method=method, schema="http", host=host, resource_path=path, query_params=query,
                     header_params=headers, body=json.dumps(body) if body is not None else "")
    cred = BasicCredentials(ak, sk)
    Signer(cred).sign(req)
    return req


def send(base, req, tamper=None):
    headers = dict(req.header_params)
    headers.pop("Host", None)
    if tamper:
        tamper(headers)
    data = req.body if req.body else None
    r = urllib.request.Request(base + req.uri, data=data, method=req.method, headers=headers)
    try:
        with urllib.request.urlopen(r) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def main():
    models.__name__  # the checker's own self-check runs as `python models.py`
    srv = ThreadingHTTPServer(("127.0.0.1", 0), emulator.Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    host = f"127.0.0.1:{srv.server_address[1]}"
    base = f"http://{host}"
    emulator.W.add_partner({"ak": "PARTNERAK", "sk": "partner-secret", "domain_name": "partner-x"})
    emulator.W.add_customer({"domain_name": "cust-a", "agencies": [{"name": "onbehalf", "trusts": "partner-x"}]})
    body = {"auth": {"identity": {"methods": ["assume_role"], "assume_role": {
        "domain_name": "cust-a", "agency_name": "onbehalf", "duration_seconds": 900, "session_user": {"name": "ob-tester"}}}}}
    status, out = send(base, sdk_signed(host, "POST", "/iam/v3.0/OS-CREDENTIAL/securitytokens", [], body,
                                        "PARTNERAK", "partner-secret"))
    assert status == 201, (status, out)
    c = out["credential"]
    checks = 1
    # Query strings and an empty body, with the temporary credential and its token.
    project = emulator.W.project("cust-a", "ap-southeast-1")
    q = [("vpc_id", "a b/c"), ("limit", "10")]
    status, out = send(base, sdk_signed(host, "GET", f"/vpc/ap-southeast-1/v1/{project}/subnets", q, None,
                                        c["access"], c["secret"], c["securitytoken"]))
    assert status == 200 and out == {"subnets": []}, (status, out)
    checks += 1
    # A path with a space is signed over its encoded form; the SDK and the emulator agree.
    status, out = send(base, sdk_signed(host, "GET", "/iam/v3/auth/projects%20x", [], None,
                                        c["access"], c["secret"], c["securitytoken"]))
    assert status == 404, (status, out)  # past the signature check: 401 would mean a mismatch
    checks += 1
    # Tampering: another body byte, another query value, a token of another credential, a wrong key.
    req = sdk_signed(host, "GET", "/iam/v3/auth/projects", [("a", "1")], None, c["access"], c["secret"], c["securitytoken"])
    ok, _ = send(base, req)
    assert ok == 200
    req.uri = req.uri.replace("a=1", "a=2")
    assert send(base, req)[0] == 401
    req = sdk_signed(host, "GET", "/iam/v3/auth/projects", [], None, c["access"], c["secret"], c["securitytoken"])
    assert send(base, req, lambda h: h.update({"X-Security-Token": "ST-other"}))[0] == 401
    assert send(base, sdk_signed(host, "GET", "/iam/v3/auth/projects", [], None, c["access"], "wrong"))[0] == 401
    req = sdk_signed(host, "POST", "/iam/v3.0/OS-CREDENTIAL/securitytokens", [], body, "PARTNERAK", "partner-secret")
    req.body = req.body.replace(b"900", b"901")
    assert send(base, req)[0] == 401
    checks += 4
    # An agency that does not exist.
    body["auth"]["identity"]["assume_role"]["agency_name"] = "missing"
    status, out = send(base, sdk_signed(host, "POST", "/iam/v3.0/OS-CREDENTIAL/securitytokens", [], body,
                                        "PARTNERAK", "partner-secret"))
    assert status == 404, (status, out)
    checks += 1
    # An SMS as the official client sends it: a form body signed with the application's key and secret.
    emulator.W.sms_apps["SMSAPPKEY"] = {"app_secret": "sms-app-secret", "sender": "isms01",
                                        "templates": {"tpl": "Code ${1} for ${2} (${3} min)"}}
    emulator.W.sms_report = ""
    form = urllib.parse.urlencode({"from": "isms01", "to": "+8613800000000", "templateId": "tpl",
                                   "templateParas": '["Sky & Co","123456","10"]'})
    sms = SdkRequest(method="POST", schema="http", host=host, resource_path="/sms/batchSendSms/v1", query_params=[],
                     header_params={"Content-Type": "application/x-www-form-urlencoded"}, body=form)
    Signer(BasicCredentials("SMSAPPKEY", "sms-app-secret")).sign(sms)
    status, out = send(base, sms)
    assert status == 200 and out["code"] == "000000", (status, out)
    assert emulator.W.sms[-1]["text"] == "Code Sky & Co for 123456 (10 min)", emulator.W.sms[-1]
    # UNSIGNED-PAYLOAD is signed itself: a request that drops it (and so claims a hashed body) fails.
    assert send(base, sms, lambda h: h.pop("X-Sdk-Content-Sha256"))[0] == 401
    checks += 2
    srv.shutdown()
    print(f"selftest.py: the emulator verifies the official SDK's signatures ({checks} checks) and refuses tampering")


if __name__ == "__main__":
    main()
