//! Schemathesis, a client nobody here wrote, generates requests for every
//! operation of the spec and checks every answer against it: no 5xx, the
//! statuses, media types, headers and bodies the spec declares, valid
//! requests accepted and invalid ones refused, 405 with `Allow`. It runs as
//! an assessment officer and as a professional on a world with a case, a
//! request and advice. scripts/test sets EHC_TEST_REQUIRE_SCHEMATHESIS.

use std::path::PathBuf;
use std::process::Command;

use serde_json::json;

use crate::advice_flow::{request_to, world};

fn schemathesis() -> Option<String> {
    let found = Command::new("schemathesis").arg("--version").output().ok()?;
    found.status.success().then(|| "schemathesis".to_owned())
}

/// Operations a run must not call on its own session: they end it, or they
/// change its login (each is covered by its own black-box test).
const OWN_SESSION: &[&str] = &["logout", "refreshTokens", "changeSecondFactor", "removePasskey", "chooseCouncil"];

#[tokio::test]
async fn schemathesis_finds_no_failure_as_an_officer_or_a_professional() {
    let Some(tool) = schemathesis() else {
        assert!(
            std::env::var("EHC_TEST_REQUIRE_SCHEMATHESIS").is_err(),
            "EHC_TEST_REQUIRE_SCHEMATHESIS is set but schemathesis is not installed"
        );
        eprintln!("schemathesis is not installed: skipping");
        return;
    };
    let w = world().await;
    let request_id = request_to(
        &w,
        json!({"specialism": "social_care", "areas": ["social_care"], "addressee_user_id": w.pro.id, "requested_on": "2026-11-20"}),
    )
    .await;
    let examples = std::env::var("EHC_TEST_SCHEMATHESIS_EXAMPLES").unwrap_or_else(|_| "12".to_owned());
    let dir = crate::helpers::temp_dir();
    let spec = dir.join("openapi.json");
    std::fs::write(&spec, without_idempotency_keys(&ehc_api::openapi::spec_json().unwrap())).unwrap();
    for (who, token) in [("officer", w.officer.session.access.clone()), ("professional", w.pro.session.access.clone())]
    {
        let report = dir.join(format!("junit-{who}.xml"));
        let settings = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schemathesis");
        let mut command = Command::new(&tool);
        command
            .arg("--config-file")
            .arg(settings.join("schemathesis.toml"))
            .arg("run")
            .arg(&spec)
            .args(["--url", &w.app.base])
            .args(["--header", &format!("Authorization: Bearer {token}")])
            .args(["--checks", "all"])
            .args(["--max-examples", &examples])
            .args(["--seed", "20261201"])
            .args(["--generation-deterministic"])
            .args(["--workers", "1"])
            .args(["--report", "junit", "--report-junit-path"])
            .arg(&report)
            .env("NO_COLOR", "1");
        for operation in OWN_SESSION {
            command.args(["--exclude-operation-id", operation]);
        }
        let _ = &request_id;
        let output = tokio::task::spawn_blocking(move || command.output()).await.unwrap().expect("schemathesis runs");
        let said = String::from_utf8_lossy(&output.stdout).into_owned();
        let log = dir.join(format!("schemathesis-{who}.txt"));
        std::fs::write(&log, format!("{said}{}", String::from_utf8_lossy(&output.stderr))).unwrap();
        // The run's own counts: operations, test cases and failures.
        let summary: Vec<String> = said
            .lines()
            .filter(|l| {
                ["API operations:", "Test cases:", "passed", "failed", "Warnings:"].iter().any(|w| l.contains(w))
            })
            .map(|l| l.trim().chars().take(160).collect())
            .collect();
        println!("schemathesis as {who}:\n  {}", summary.join("\n  "));
        assert!(output.status.success(), "schemathesis as {who} found failures; the run is in {}", log.display());
    }
}

/// The spec without its `Idempotency-Key` parameters. A key names one
/// request, and the hub rightly refuses one reused with another body (422);
/// the generator, drawing the same few values again and again, would reuse
/// keys on every POST. Replays, reuse and concurrent retries have their own
/// black-box test (retries_and_events.rs).
fn without_idempotency_keys(spec: &str) -> String {
    let mut spec: serde_json::Value = serde_json::from_str(spec).unwrap();
    for item in spec["paths"].as_object_mut().unwrap().values_mut() {
        if let Some(parameters) = item.pointer_mut("/post/parameters").and_then(|p| p.as_array_mut()) {
            parameters.retain(|p| p["name"] != "Idempotency-Key");
        }
    }
    serde_json::to_string_pretty(&spec).unwrap()
}
