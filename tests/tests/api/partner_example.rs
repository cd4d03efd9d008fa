//! The partner client in `examples/` (Python: the standard library, PyJWT
//! and `standardwebhooks`), run against a live hub: client_secret_basic,
//! private_key_jwt with its key registered as a JWK, a replayed assertion
//! refused, a case opened with a retried Idempotency-Key, the feed read.

use std::path::PathBuf;
use std::process::Command;

use serde_json::{json, Value};

use crate::helpers::{spawn_app, temp_dir};
use crate::partners::register;

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/partner_client.py")
}

#[tokio::test]
async fn the_example_partner_client_authenticates_both_ways_and_reads_the_feed() {
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let dir = temp_dir();
    let keygen = Command::new("python3").arg(example()).arg("keygen").arg(&dir).status().unwrap();
    assert!(keygen.success(), "python3 -m pip install pyjwt cryptography standardwebhooks");
    let jwk: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("client-jwk.json")).unwrap()).unwrap();
    let made = register(
        &app,
        &admin.access,
        json!({"name": "Liquidlogic", "contact_email": "ict@la.example",
            "scopes": ["cases:read", "cases:write", "events:read"], "public_jwk": jwk}),
    )
    .await;
    assert_eq!(made["client"]["has_public_key"], true);
    let (hub, public_url) = (app.base.clone(), app.public_url.clone());
    let (id, secret) =
        (made["client"]["id"].as_str().unwrap().to_owned(), made["client_secret"].as_str().unwrap().to_owned());
    let key = dir.join("client-key.pem");
    let output = tokio::task::spawn_blocking(move || {
        Command::new("python3")
            .arg(example())
            .args(["run", "--hub", &hub, "--public-url", &public_url, "--client-id", &id, "--client-secret", &secret])
            .arg("--key")
            .arg(key)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    println!("partner example: {report}");
    assert_eq!(report["secret_token_scope"], "cases:read cases:write events:read");
    assert_eq!(report["key_token_status"], 200, "private_key_jwt");
    assert_eq!(report["replayed_assertion"], json!([401, "invalid_client"]));
    assert_eq!(report["case"]["statuses"], json!([201, 201]));
    assert_eq!(report["case"]["same_case"], true);
    assert_eq!(report["case"]["replayed"], "true");
    assert_eq!(report["events"], json!(["case.created"]), "one case, one event");
    assert_eq!(report["cursor"], "1");
}
