//! Helpers shared by the core's tests.

/// The top-level keys of `export interface {iface} { ... }` in the browser module's `types.d.ts`.
pub fn ts_keys(iface: &str) -> Vec<String> {
    let ts = include_str!("browser/types.d.ts");
    let start = ts.find(&format!("export interface {iface} ")).unwrap_or_else(|| panic!("no interface {iface}"));
    let body = &ts[start..];
    let Some(open) = body.find('{') else { panic!("{iface} has no body") };
    let body = &body[open + 1..];
    let mut depth = 0;
    let mut end = 0;
    for (i, ch) in body.char_indices() {
        match ch {
            '{' => depth += 1,
            '}' if depth == 0 => {
                end = i;
                break;
            }
            '}' => depth -= 1,
            _ => {}
        }
    }
    let mut keys = Vec::new();
    let mut depth = 0;
    for line in body[..end].lines() {
        let t = line.trim();
        if depth == 0 && !t.starts_with("/**") && !t.starts_with('*') {
            if let Some((k, _)) = t.split_once(':') {
                keys.push(k.trim_end_matches('?').trim().to_string());
            }
        }
        depth += t.matches('{').count() as i32 - t.matches('}').count() as i32;
    }
    keys
}

/// The keys of a JSON object, in order.
pub fn json_keys(v: &serde_json::Value) -> Vec<String> {
    v.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default()
}
