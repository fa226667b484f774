use super::*;

#[test]
fn the_document_lists_every_route_and_every_code() {
    let d = document();
    assert_eq!(d["openapi"], "3.1.0");
    let codes = d["components"]["schemas"]["ErrorCode"]["enum"].as_array().map(Vec::len);
    assert_eq!(codes, Some(Code::ALL.len()));
    // The regions are the catalog's, and every `region` query parameter takes one of them (a fuzzer
    // that sent `region=00` to the customer's VPC lookup was right to expect a 2xx).
    let regions = d["components"]["schemas"]["Region"]["enum"].as_array().cloned().unwrap_or_default();
    let want: Vec<Value> =
        crate::catalog::catalog().map(|c| c.region_ids()).unwrap_or_default().into_iter().map(Value::from).collect();
    assert!(!want.is_empty());
    assert_eq!(regions, want);
    let mut region_params = 0;
    for (path, item) in d["paths"].as_object().cloned().unwrap_or_default() {
        for (method, op) in item.as_object().cloned().unwrap_or_default() {
            for p in op["parameters"].as_array().cloned().unwrap_or_default() {
                if p["name"] == "region" && p["in"] == "query" {
                    assert_eq!(p["schema"]["$ref"], "#/components/schemas/Region", "{method} {path}");
                    region_params += 1;
                }
            }
        }
    }
    assert!(region_params >= 7, "{region_params} region parameters");
    // Every route of the dispatcher (its match arms) is described.
    let routes = include_str!("../worker/routes/mod.rs");
    let paths = d["paths"].as_object().cloned().unwrap_or_default();
    let mut seen = 0;
    for line in routes.lines().filter(|l| l.trim_start().starts_with("[\"v1\"")) {
        let arm = line.trim_start();
        let Some(end) = arm.find("] =>") else { continue };
        let inner = &arm[1..end];
        if inner.contains("\"dev\"") {
            continue; // dev-only routes are not part of the API
        }
        // A segment is a literal ("customers"), a binding (id: a {id} parameter), or a binding limited
        // to literals (action @ ("approve" | "reject")): one path per literal.
        let mut expanded: Vec<String> = vec![String::new()];
        for seg in inner.split(", ") {
            let seg = seg.trim();
            let options: Vec<String> = if let Some((_, alts)) = seg.split_once(" @ ") {
                alts.trim_matches(|c| c == '(' || c == ')')
                    .split('|')
                    .map(|a| a.trim().trim_matches('"').to_string())
                    .collect()
            } else if seg.starts_with('"') {
                vec![seg.trim_matches('"').to_string()]
            } else {
                vec![format!("{{{seg}}}")]
            };
            expanded = expanded.iter().flat_map(|p| options.iter().map(move |o| format!("{p}/{o}"))).collect();
        }
        for path in expanded {
            assert!(paths.contains_key(&path), "{path} is not in openapi.json");
            seen += 1;
        }
    }
    assert!(seen >= 30, "{seen}");
}

/// The properties of schema `name` (or of its `oneOf` alternative `alt`), sorted.
fn schema_keys(d: &serde_json::Value, name: &str, alt: Option<usize>) -> Vec<String> {
    let s = &d["components"]["schemas"][name];
    let s = match alt {
        Some(i) => &s["oneOf"][i],
        None => s,
    };
    let mut keys: Vec<String> = s["properties"].as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
    keys.sort();
    keys
}

fn value_keys(v: &serde_json::Value) -> Vec<String> {
    let mut keys: Vec<String> = v.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
    keys.sort();
    keys
}

#[test]
fn the_order_resource_and_ledger_shapes_are_the_documented_ones() {
    let d = document();
    let (order, resource, enablement_entry) = crate::orders::tests::samples();
    let entries = serde_json::to_value(crate::orders::ledger(vec![order.view.clone()], vec![enablement_entry], 10))
        .unwrap_or_default();
    assert_eq!(value_keys(&serde_json::to_value(&order.view).unwrap_or_default()), schema_keys(&d, "Order", None));
    assert_eq!(value_keys(&serde_json::to_value(&resource).unwrap_or_default()), schema_keys(&d, "Resource", None));
    let kinds: Vec<(String, Vec<String>)> =
        entries.as_array().into_iter().flatten().map(|e| (e["kind"].to_string(), value_keys(e))).collect();
    for (kind, keys) in kinds {
        let alt = if kind == "\"order\"" { 0 } else { 1 };
        assert_eq!(keys, schema_keys(&d, "LedgerEntry", Some(alt)), "{kind}");
    }
    for name in ["Order", "Resource", "ReliedOn"] {
        let mut ts = crate::testutil::ts_keys(name);
        ts.sort();
        assert_eq!(ts, schema_keys(&d, name, None), "{name}: the browser module's types.d.ts says the same");
    }
    for name in ["Order", "Resource"] {
        assert_eq!(
            d["components"]["schemas"][name]["required"].as_array().map(Vec::len),
            Some(schema_keys(&d, name, None).len()),
            "{name}: every field is always present"
        );
    }
}

/// Whether `s` (after following `$ref`s) accepts `null`.
fn accepts_null(d: &serde_json::Value, s: &serde_json::Value) -> bool {
    if let Some(r) = s["$ref"].as_str() {
        let name = r.trim_start_matches("#/components/schemas/");
        return accepts_null(d, &d["components"]["schemas"][name]);
    }
    let typed = match &s["type"] {
        serde_json::Value::String(t) => t == "null",
        serde_json::Value::Array(ts) => ts.iter().any(|t| t == "null"),
        _ => false,
    };
    let alts =
        ["anyOf", "oneOf"].iter().any(|k| s[*k].as_array().is_some_and(|alts| alts.iter().any(|a| accepts_null(d, a))));
    typed || alts
}

/// Every optional property of an object schema reachable from `s`, as `path`.
fn optional_properties(d: &serde_json::Value, s: &serde_json::Value, path: &str, depth: usize, out: &mut Vec<String>) {
    if depth > 12 {
        return;
    }
    if let Some(r) = s["$ref"].as_str() {
        let name = r.trim_start_matches("#/components/schemas/");
        return optional_properties(d, &d["components"]["schemas"][name], path, depth + 1, out);
    }
    for k in ["anyOf", "oneOf", "allOf"] {
        for a in s[k].as_array().into_iter().flatten() {
            optional_properties(d, a, path, depth + 1, out);
        }
    }
    if let Some(items) = s.get("items") {
        optional_properties(d, items, &format!("{path}[]"), depth + 1, out);
    }
    let required: Vec<&str> = s["required"].as_array().into_iter().flatten().filter_map(|r| r.as_str()).collect();
    for (key, p) in s["properties"].as_object().into_iter().flatten() {
        let here = format!("{path}.{key}");
        if !required.contains(&key.as_str()) && !p["readOnly"].as_bool().unwrap_or(false) && !accepts_null(d, p) {
            out.push(here.clone());
        }
        optional_properties(d, p, &here, depth + 1, out);
    }
}

/// The shared decoder reads an absent optional field and a null one alike (`Decoder::optional`), so the
/// document must say every optional request property may be null, or a fuzzer's null is "accepted
/// against the schema" (Schemathesis found `signature: null` so).
#[test]
fn every_optional_request_property_is_documented_as_nullable() {
    let d = document();
    let mut missing = Vec::new();
    for (path, ops) in d["paths"].as_object().into_iter().flatten() {
        for (method, op) in ops.as_object().into_iter().flatten() {
            let body = &op["requestBody"]["content"]["application/json"]["schema"];
            if !body.is_null() {
                optional_properties(&d, body, &format!("{method} {path} body"), 0, &mut missing);
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(missing.is_empty(), "optional but not nullable: {missing:#?}");
}
