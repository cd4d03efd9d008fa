//! Webhooks: deliveries to a real HTTP receiver, verified there by the
//! `standardwebhooks` package (not the hub's code); a receiver that is down
//! for a while gets every event once it is back, with the retries listed;
//! a rotation sends both signatures; an endpoint failing for 5 days is
//! disabled and the council's administrators are told.

use std::path::{Path, PathBuf};
use std::process::{Child, Command};

use serde_json::{json, Value};

use crate::helpers::{spawn_app, spawn_app_with, temp_dir, TestApp};
use crate::partners::{client_token, register};

struct Receiver {
    child: Child,
    port: u16,
    secret_file: PathBuf,
    out_file: PathBuf,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn receiver(dir: &Path) -> Receiver {
    let port = free_port();
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("webhooks/receiver.py");
    let (secret_file, out_file) = (dir.join("secret"), dir.join("received.jsonl"));
    let child =
        Command::new("python3").arg(script).arg(port.to_string()).arg(&secret_file).arg(&out_file).spawn().unwrap();
    // Dropping it (even on a failed start) stops the process.
    let receiver = Receiver { child, port, secret_file, out_file };
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return receiver;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the receiver did not start (python3 -m pip install standardwebhooks)");
}

fn received(r: &Receiver) -> Vec<Value> {
    std::fs::read_to_string(&r.out_file).unwrap_or_default().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

async fn wait_for(r: &Receiver, n: usize) -> Vec<Value> {
    for _ in 0..300 {
        let got = received(r);
        if got.len() >= n {
            return got;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("only {} of {n} webhooks arrived", received(r).len());
}

fn case_body() -> Value {
    json!({"given_name": "Morwenna", "family_name": "Tregarthen", "date_of_birth": "2014-09-10",
        "request_received_on": "2026-11-02", "request_source": "school"})
}

async fn webhook_client(app: &TestApp, admin: &str) -> String {
    let made = register(
        app,
        admin,
        json!({"name": "Mosaic", "contact_email": "ict@la.example", "scopes": ["webhooks:manage", "events:read"]}),
    )
    .await;
    client_token(app, made["client"]["id"].as_str().unwrap(), made["client_secret"].as_str().unwrap(), None).await
}

#[tokio::test]
async fn a_receiver_that_was_down_gets_every_event_signed_and_retries_are_listed() {
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let officer = app.person(&admin, "officer@la.example", "assessment_officer", None, "07700 900080").await;
    let token = webhook_client(&app, &admin.access).await;
    let dir = temp_dir();
    let r = receiver(&dir).await;

    // People manage no webhooks; the client manages its own.
    let by_person = app.get("/api/v1/webhooks/endpoints", Some(&officer.session.access)).await;
    assert_eq!(by_person.status, 401, "a person's token is not a partner system's");
    let url = format!("http://127.0.0.1:{}/hook", r.port);
    let made = app
        .post("/api/v1/webhooks/endpoints", Some(&token), json!({"url": url, "event_types": ["case.created"]}))
        .await;
    assert_eq!(made.status, 201, "{:?}", made.body);
    let endpoint = made.body["id"].as_str().unwrap().to_owned();
    let secret = made.body["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"));

    // Three changes while the receiver is down: each first attempt fails.
    for _ in 0..3 {
        assert_eq!(app.post("/api/v1/cases", Some(&officer.session.access), case_body()).await.status, 201);
    }
    let deliveries_path = format!("/api/v1/webhooks/endpoints/{endpoint}/deliveries");
    let mut failed_once = false;
    for _ in 0..50 {
        let listed = app.get(&deliveries_path, Some(&token)).await;
        let items = listed.body["items"].as_array().unwrap().clone();
        if items.len() == 3 && items.iter().all(|d| d["attempts"][0]["status_code"] == 503) {
            assert!(items.iter().all(|d| d["next_attempt_at"].is_string() && d["delivered_at"].is_null()));
            failed_once = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(failed_once, "each delivery was tried at once, and failed");

    // Back: the retry 5 seconds on brings every event, signed.
    std::fs::write(&r.secret_file, &secret).unwrap();
    let got = wait_for(&r, 3).await;
    let feed = app.get("/api/v1/events", Some(&token)).await;
    let event_ids: Vec<&str> =
        feed.body["items"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap()).collect();
    let mut webhook_ids: Vec<&str> = got.iter().map(|m| m["headers"]["webhook-id"].as_str().unwrap()).collect();
    webhook_ids.sort_unstable();
    assert_eq!(webhook_ids, event_ids, "the webhook ids are the feed's event ids");
    for message in &got {
        let body: Value = serde_json::from_str(message["body"].as_str().unwrap()).unwrap();
        assert_eq!(body["type"], "case.created");
        assert!(body["data"]["case_reference"].is_string());
        let text = message["body"].as_str().unwrap();
        assert!(!text.contains("Morwenna") && !text.contains("Tregarthen") && !text.contains("2014-09-10"));
    }
    let listed = app.get(&deliveries_path, Some(&token)).await;
    for delivery in listed.body["items"].as_array().unwrap() {
        let statuses: Vec<i64> =
            delivery["attempts"].as_array().unwrap().iter().map(|a| a["status_code"].as_i64().unwrap()).collect();
        assert_eq!(statuses, vec![503, 204], "{delivery:?}");
        assert!(delivery["delivered_at"].is_string());
    }

    // A rotation: for a day both signatures are sent, so a receiver still on
    // the old secret verifies; then on the new one.
    let rotated =
        app.post(&format!("/api/v1/webhooks/endpoints/{endpoint}/rotate-secret"), Some(&token), json!({})).await;
    assert_eq!(rotated.status, 200, "{:?}", rotated.body);
    let new_secret = rotated.body["secret"].as_str().unwrap().to_owned();
    app.post("/api/v1/cases", Some(&officer.session.access), case_body()).await;
    let got = wait_for(&r, 4).await;
    assert_eq!(got[3]["headers"]["webhook-signature"].as_str().unwrap().split(' ').count(), 2);
    std::fs::write(&r.secret_file, &new_secret).unwrap();
    app.post("/api/v1/cases", Some(&officer.session.access), case_body()).await;
    wait_for(&r, 5).await;

    // Any message can be sent again, with its webhook-id.
    let first = listed.body["items"][0]["id"].as_str().unwrap().to_owned();
    let again = app.post(&format!("{deliveries_path}/{first}/redeliver"), Some(&token), json!({})).await;
    assert_eq!(again.status, 202, "{:?}", again.body);
    let got = wait_for(&r, 6).await;
    assert_eq!(got[5]["headers"]["webhook-id"], listed.body["items"][0]["event_id"]);
    assert!(!r.out_file.with_extension("jsonl.rejected").exists(), "no signature failed verification");
}

#[tokio::test]
async fn private_addresses_are_refused_in_production_settings() {
    let app = spawn_app_with(|env| {
        env.insert("EHC_WEBHOOKS_ALLOW_LOCAL".to_owned(), "false".to_owned());
    })
    .await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let token = webhook_client(&app, &admin.access).await;
    for url in [
        "http://81.2.69.160/hook",
        "https://127.0.0.1/hook",
        "https://169.254.169.254/latest",
        "https://[::1]/x",
        "https://10.0.0.8/hook",
        "https://user:pw@81.2.69.160/",
    ] {
        let res = app
            .post("/api/v1/webhooks/endpoints", Some(&token), json!({"url": url, "event_types": ["case.created"]}))
            .await;
        assert_eq!((res.status, res.pointers()), (422, vec!["/url".to_owned()]), "{url}: {:?}", res.body);
    }
}

#[tokio::test]
async fn an_endpoint_failing_for_five_days_is_disabled_and_the_administrators_told() {
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let officer = app.person(&admin, "officer@la.example", "assessment_officer", None, "07700 900081").await;
    let token = webhook_client(&app, &admin.access).await;
    // Nothing listens here.
    let url = format!("http://127.0.0.1:{}/hook", free_port());
    let made = app
        .post("/api/v1/webhooks/endpoints", Some(&token), json!({"url": url, "event_types": ["case.created"]}))
        .await;
    let endpoint = made.body["id"].as_str().unwrap().to_owned();
    assert_eq!(app.post("/api/v1/cases", Some(&officer.session.access), case_body()).await.status, 201);
    let path = format!("/api/v1/webhooks/endpoints/{endpoint}");
    for _ in 0..50 {
        if app.get(&path, Some(&token)).await.body["failing_since"].is_string() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let shown = app.get(&path, Some(&token)).await;
    let deliveries = app.get(&format!("{path}/deliveries"), Some(&token)).await;
    assert!(shown.body["failing_since"].is_string(), "{:?} {:?}", shown.body, deliveries.body);
    // Six days on (the client's token is checked against the client, not a session).
    app.pin_clock(chrono::Utc::now().date_naive() + chrono::Duration::days(6));
    let mut disabled = false;
    for _ in 0..80 {
        if app.get(&path, Some(&token)).await.body["status"] == "disabled" {
            disabled = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(disabled, "still failing after 5 days: disabled");
    let told = app.wait_for_message("admin@la.example", "webhook endpoint").await;
    assert!(told["body"].as_str().unwrap().contains("Mosaic"), "{told:?}");
    let enabled = app.post(&format!("{path}/enable"), Some(&token), json!({})).await;
    assert_eq!((enabled.status, enabled.body["status"].as_str()), (200, Some("enabled")));
}
