//! The committed spec must be the generated one: regenerate it with
//! `cargo run -q -- openapi > openapi/openapi.json`.

#[test]
fn committed_spec_matches_generated() {
    let generated = ehc_api::openapi::spec_json().unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi/openapi.json is stale: run `cargo run -q -- openapi > openapi/openapi.json`"
    );
}

#[test]
fn every_operation_has_an_id_a_summary_and_error_responses() {
    let spec: serde_json::Value = serde_json::from_str(&ehc_api::openapi::spec_json().unwrap()).unwrap();
    let mut ids = std::collections::HashSet::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path} has no operationId"));
            assert!(ids.insert(id.to_owned()), "duplicate operationId {id}");
            assert!(op["summary"].as_str().is_some_and(|s| !s.is_empty()), "{id} has no summary");
            assert!(op.get("security").is_some(), "{id} states no security");
            let responses = op["responses"].as_object().unwrap();
            if path.starts_with("/api/") {
                assert!(responses.keys().any(|k| k.starts_with('4')), "{id} lists no 4xx response");
            }
            if op["security"].as_array().is_some_and(|s| s.iter().any(|r| r.get("bearer").is_some())) {
                assert!(responses.contains_key("401"), "{id} needs a 401");
            }
        }
    }
    assert!(ids.len() >= 20, "{} operations", ids.len());
}
