//! `/metrics` for Prometheus: off without a token, refused without the
//! right one, and, with it, a scrape that an independent parser (the
//! Prometheus project's Python client) reads, counting requests by route
//! pattern (never by id) and reporting the shared backlogs.

use std::process::{Command, Stdio};

use serde_json::json;

use crate::helpers::{spawn_app, spawn_app_with};

const TOKEN: &str = "metrics-token-for-the-tests-0123456789abcdef";

/// The scrape parsed by prometheus_client's OpenMetrics parser: one line
/// per sample, `name{labels} value`, or None when the parser is missing.
fn parsed(text: &str) -> Option<Vec<String>> {
    let script = r#"
import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
for family in text_string_to_metric_families(sys.stdin.read()):
    for s in family.samples:
        labels = ",".join(f'{k}="{v}"' for k, v in sorted(s.labels.items()))
        print(f"{s.name}{{{labels}}} {s.value}")
"#;
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    use std::io::Write;
    child.stdin.take()?.write_all(text.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    let complaint = String::from_utf8_lossy(&out.stderr);
    if complaint.contains("No module named") {
        return None;
    }
    assert!(out.status.success(), "the Prometheus parser refused the scrape: {complaint}");
    Some(String::from_utf8_lossy(&out.stdout).lines().map(str::to_owned).collect())
}

#[tokio::test]
async fn metrics_are_off_without_a_token() {
    let app = spawn_app().await;
    let res = app.client.get(format!("{}/metrics", app.base)).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn a_scrape_counts_requests_by_route_and_reports_the_backlogs() {
    let hub = spawn_app_with(|env| {
        env.insert("EHC_METRICS_TOKEN".to_owned(), TOKEN.to_owned());
    })
    .await;
    let url = format!("{}/metrics", hub.base);
    assert_eq!(hub.client.get(&url).send().await.unwrap().status(), 401);
    assert_eq!(hub.client.get(&url).bearer_auth("not-the-token").send().await.unwrap().status(), 401);
    for _ in 0..3 {
        assert_eq!(hub.get("/api/v1/cases/01936b2e-1c1f-7cc2-9d1e-7f1f3c1a2b3c", None).await.status, 401);
    }
    assert_eq!(
        hub.post("/api/v1/auth/login", None, json!({"email": "nobody@x.example", "password": "p"})).await.status,
        401
    );
    let res = hub.client.get(&url).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/openmetrics-text"));
    let text = res.text().await.unwrap();
    assert!(!text.contains("01936b2e"), "series are by route pattern, never by id");
    assert!(
        text.contains(r#"ehc_http_requests_total{route="/api/v1/cases/{id}",method="GET",status="401"} 3"#),
        "{text}"
    );
    for name in [
        "ehc_http_request_duration_seconds_bucket",
        "ehc_db_pool_connections",
        "ehc_db_pool_wait_seconds_total",
        "ehc_password_hash_queue",
        "ehc_password_hashes_total",
        "ehc_outbox_pending",
        "ehc_outbox_oldest_age_seconds",
        "ehc_webhook_backlog",
        "ehc_webhook_oldest_age_seconds",
        "ehc_webhook_deliveries_total",
        "ehc_webhook_delivery_failures_total",
        "ehc_advice_requests_overdue",
        "ehc_audit_entries",
        "ehc_audit_pending",
    ] {
        assert!(text.contains(name), "{name} missing from the scrape");
    }
    // The dummy hash at start and the unknown address's verification.
    assert!(text.contains("ehc_password_hashes_total 2"), "{text}");
    let Some(samples) = parsed(&text) else {
        assert!(std::env::var("EHC_TEST_REQUIRE_PROMETHEUS_PARSER").is_err(), "prometheus_client is not installed");
        return;
    };
    assert!(
        samples
            .iter()
            .any(|s| s
                .starts_with("ehc_http_requests_total{method=\"GET\",route=\"/api/v1/cases/{id}\",status=\"401\"} 3")),
        "{samples:?}"
    );
}
