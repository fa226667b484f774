use super::*;

#[test]
fn the_document_lists_every_route_and_every_code() {
    let d = document();
    assert_eq!(d["openapi"], "3.1.0");
    let codes = d["components"]["schemas"]["ErrorCode"]["enum"].as_array().map(Vec::len);
    assert_eq!(codes, Some(Code::ALL.len()));
    let regions = &d["paths"]["/v1/catalog"]["get"]["parameters"][0];
    assert_eq!(regions["name"], "region");
    assert_eq!(
        regions["schema"]["enum"].as_array().map(Vec::len),
        crate::catalog::catalog().map(|c| c.region_ids().len()).ok()
    );
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
