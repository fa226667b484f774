"""Checks a JSON body against an official Huawei Cloud SDK model class (huaweicloudsdk* on PyPI).

A model lists its fields in `openapi_types` (attribute -> type) and their wire names in
`attribute_map`. A body fits a model when every key is one of its wire names and every value has the
declared type, recursively. The SDK models do not mark required fields, so each route in the
emulator checks what it requires itself.
"""

import importlib
import re

MODULES = {
    "iam": "huaweicloudsdkiam.v3.model",
    "ecs": "huaweicloudsdkecs.v2.model",
    "evs": "huaweicloudsdkevs.v2.model",
    "eip": "huaweicloudsdkeip.v2.model",
    "vpc": "huaweicloudsdkvpc.v2.model",
    "bss": "huaweicloudsdkbssintl.v2.model",
    "smsapi": "huaweicloudsdksmsapi.v1.model",
}


def _module(sdk):
    return importlib.import_module(MODULES[sdk])


def check(sdk, type_name, value, path="$"):
    """The list of problems (empty when `value` fits `type_name` of `sdk`)."""
    problems = []
    _check(_module(sdk), type_name, value, path, problems)
    return problems


def _check(mod, t, v, path, out):
    if v is None:
        return
    m = re.fullmatch(r"list\[(.+)\]", t)
    if m:
        if not isinstance(v, list):
            out.append(f"{path}: expected a list for {t}, got {type(v).__name__}")
            return
        for i, x in enumerate(v):
            _check(mod, m.group(1), x, f"{path}[{i}]", out)
        return
    m = re.fullmatch(r"dict\(str, (.+)\)", t)
    if m:
        if not isinstance(v, dict):
            out.append(f"{path}: expected an object for {t}")
            return
        for k, x in v.items():
            _check(mod, m.group(1), x, f"{path}.{k}", out)
        return
    simple = {
        "str": lambda x: isinstance(x, str),
        "int": lambda x: isinstance(x, int) and not isinstance(x, bool),
        "float": lambda x: isinstance(x, (int, float)) and not isinstance(x, bool),
        "decimal.Decimal": lambda x: isinstance(x, (int, float)) and not isinstance(x, bool),
        "bool": lambda x: isinstance(x, bool),
        "object": lambda x: True,
        "datetime": lambda x: isinstance(x, str),
        "date": lambda x: isinstance(x, str),
    }
    if t in simple:
        if not simple[t](v):
            out.append(f"{path}: expected {t}, got {type(v).__name__} {v!r}")
        return
    cls = getattr(mod, t, None)
    if cls is None:
        out.append(f"{path}: the SDK has no model {t}")
        return
    if not isinstance(v, dict):
        out.append(f"{path}: expected an object ({t}), got {type(v).__name__}")
        return
    wire = {w: a for a, w in cls.attribute_map.items()}
    for k, x in v.items():
        if k not in wire:
            out.append(f"{path}.{k}: not a field of {t}")
            continue
        _check(mod, cls.openapi_types[wire[k]], x, f"{path}.{k}", out)


if __name__ == "__main__":
    # Self-check: a body that fits, an unknown field, a wrong type, a wrong nested type.
    ok = {"auth": {"identity": {"methods": ["assume_role"], "assume_role": {
        "domain_name": "d", "agency_name": "a", "duration_seconds": 900, "session_user": {"name": "ob-u1"}}}}}
    assert check("iam", "CreateTemporaryAccessKeyByAgencyRequestBody", ok) == [], check(
        "iam", "CreateTemporaryAccessKeyByAgencyRequestBody", ok)
    bad = {"auth": {"identity": {"methods": "assume_role", "assume_role": {"domain_nam": "d",
           "duration_seconds": "900"}}}}
    p = check("iam", "CreateTemporaryAccessKeyByAgencyRequestBody", bad)
    assert any("methods" in x for x in p) and any("domain_nam" in x for x in p) and any("duration" in x for x in p), p
    assert check("ecs", "CreateServersResponse", {"job_id": "j", "serverIds": ["s"]}) == []
    assert check("ecs", "CreateServersResponse", {"job_id": "j", "server_ids": ["s"]}) != []
    print("models.py: the checker accepts a fitting body and names 5 kinds of misfit")
