use super::*;

#[test]
fn the_document_lists_every_route_and_every_code() {
    let d = document();
    assert_eq!(d["openapi"], "3.1.0");
    let codes = d["components"]["schemas"]["ErrorCode"]["enum"].as_array().map(Vec::len);
    assert_eq!(codes, Some(Code::ALL.len()));
    // Every route of the dispatcher (its match arms) is described.
    let routes = include_str!("../worker/routes/mod.rs");
    let paths = d["paths"].as_object().cloned().unwrap_or_default();
    let mut seen = 0;
    for line in routes.lines().filter(|l| l.trim_start().starts_with("[\"v1\"")) {
        let arm = line.trim_start();
        let Some(end) = arm.find(']') else { continue };
        let segs: Vec<String> = arm[1..end].split(',').map(|s| s.split(" @ ").next().unwrap_or(s).trim().trim_matches('"').to_string()).collect();
        if segs.get(1).map(String::as_str) == Some("dev") {
            continue; // dev-only routes are not part of the API
        }
        let path = format!("/{}", segs.iter().map(|s| if s.chars().all(|c| c.is_ascii_lowercase() || c == '_') && !arm[1..end].contains(&format!("\"{s}\"")) { format!("{{{s}}}") } else { s.clone() }).collect::<Vec<_>>().join("/"));
        assert!(paths.contains_key(&path), "{path} is not in openapi.json");
        seen += 1;
    }
    assert!(seen >= 30, "{seen}");
}
