//! Passkeys as a second step, with a software authenticator nobody here
//! wrote (the soft-webauthn package, tests/webauthn/authenticator.py) doing
//! real WebAuthn ceremonies: registration after a fresh second step, login,
//! a wrong origin and a replayed assertion refused, a cloned authenticator
//! locked, removal.

use serde_json::{json, Value};

use crate::helpers::{TestApp, STRONG_PASSWORD};
use crate::people::Session;

const ORIGIN: &str = "http://hub.test";

fn authenticator(command: &str, device: &std::path::Path, origin: &str, options: &Value) -> Value {
    use std::io::Write;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/webauthn/authenticator.py");
    let mut child = std::process::Command::new("python3")
        .args([script, command, device.to_str().unwrap(), origin])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs the software authenticator");
    child.stdin.take().unwrap().write_all(options.to_string().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "the authenticator failed");
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A fresh second step for changing factors: its token and the SMS code.
async fn fresh_step(app: &TestApp, session: &Session, phone: &str) -> Value {
    let challenge = app.post("/api/v1/me/second-factor/challenge", Some(&session.access), json!({})).await;
    assert_eq!(challenge.status, 200, "{:?}", challenge.body);
    json!({"mfa_token": challenge.body["mfa_token"], "code": app.last_code_to(phone, "sms")})
}

async fn password_step(app: &TestApp, email: &str) -> Value {
    let step = app.post("/api/v1/auth/login", None, json!({"email": email, "password": STRONG_PASSWORD})).await;
    assert_eq!(step.status, 200, "{:?}", step.body);
    step.body
}

async fn passkey_login(app: &TestApp, email: &str, device: &std::path::Path, origin: &str) -> (u16, Value) {
    let step = password_step(app, email).await;
    assert_eq!(step["passkey"], true, "the step offers the passkey");
    let options = app.post("/api/v1/auth/mfa/passkey/options", None, json!({"mfa_token": step["mfa_token"]})).await;
    assert_eq!(options.status, 200, "{:?}", options.body);
    let assertion = authenticator("get", device, origin, &options.body["options"]);
    let verified = app
        .post("/api/v1/auth/mfa/passkey/verify", None, json!({"mfa_token": step["mfa_token"], "credential": assertion}))
        .await;
    (verified.status, json!({"assertion": assertion, "mfa_token": step["mfa_token"], "answer": verified.body}))
}

#[tokio::test]
async fn a_passkey_is_registered_used_refused_when_replayed_or_cloned_and_removed() {
    let app = crate::helpers::spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let pro = app.professional(&admin, "ot@nhs.example", "07700 900450").await;
    let phone = "+447700900450";
    let dir = crate::helpers::temp_dir();
    let device = dir.join("device.json");

    assert_eq!(password_step(&app, "ot@nhs.example").await["passkey"], false, "no passkey yet");
    let unproven =
        app.post("/api/v1/me/passkeys/options", Some(&pro.access), json!({"mfa_token": "x", "code": "000000"})).await;
    assert_eq!(unproven.status, 401, "a fresh second step first");
    let started = app.post("/api/v1/me/passkeys/options", Some(&pro.access), fresh_step(&app, &pro, phone).await).await;
    assert_eq!(started.status, 200, "{:?}", started.body);
    assert_eq!(started.body["options"]["publicKey"]["rp"]["id"], "hub.test");
    assert_eq!(started.body["options"]["publicKey"]["authenticatorSelection"]["userVerification"], "required");
    let created = authenticator("create", &device, ORIGIN, &started.body["options"]);
    let body = json!({"ceremony_id": started.body["ceremony_id"], "name": "Work laptop", "credential": created});
    let registered = app.post("/api/v1/me/passkeys", Some(&pro.access), body.clone()).await;
    assert_eq!(registered.status, 201, "{:?}", registered.body);
    assert_eq!(app.post("/api/v1/me/passkeys", Some(&pro.access), body).await.status, 409, "a ceremony works once");
    let listed = app.get("/api/v1/me/passkeys", Some(&pro.access)).await;
    assert_eq!(listed.body.as_array().unwrap().len(), 1);
    assert_eq!(listed.body[0]["name"], "Work laptop");
    assert!(!listed.body.to_string().contains(created["id"].as_str().unwrap()), "never the credential id");
    app.wait_for_message("ot@nhs.example", "A passkey was added").await;

    // Logging in with it.
    let (status, first) = passkey_login(&app, "ot@nhs.example", &device, ORIGIN).await;
    assert_eq!(status, 200, "{:?}", first);
    let access = first["answer"]["access_token"].as_str().unwrap().to_owned();
    assert_eq!(app.get("/api/v1/me", Some(&access)).await.status, 200);

    // The same assertion again, for the same step or a new one, is refused.
    let replay = app
        .post(
            "/api/v1/auth/mfa/passkey/verify",
            None,
            json!({"mfa_token": first["mfa_token"], "credential": first["assertion"]}),
        )
        .await;
    assert_eq!(replay.status, 401, "the step was used");
    let step = password_step(&app, "ot@nhs.example").await;
    let options = app.post("/api/v1/auth/mfa/passkey/options", None, json!({"mfa_token": step["mfa_token"]})).await;
    assert_eq!(options.status, 200);
    let replayed = app
        .post(
            "/api/v1/auth/mfa/passkey/verify",
            None,
            json!({"mfa_token": step["mfa_token"], "credential": first["assertion"]}),
        )
        .await;
    assert_eq!(replayed.status, 401, "an old assertion answers no new challenge");

    // Another origin (a phishing site) is refused.
    let (status, _) = passkey_login(&app, "ot@nhs.example", &device, "https://hub-login.example").await;
    assert_eq!(status, 401, "a wrong origin is refused");

    // A copy of the authenticator: its counter falls behind, and the passkey locks.
    let copy = dir.join("copy.json");
    std::fs::copy(&device, &copy).unwrap();
    assert_eq!(passkey_login(&app, "ot@nhs.example", &device, ORIGIN).await.0, 200);
    let (status, _) = passkey_login(&app, "ot@nhs.example", &copy, ORIGIN).await;
    assert_eq!(status, 401, "the cloned authenticator is refused");
    let listed = app.get("/api/v1/me/passkeys", Some(&access)).await;
    assert_eq!(listed.body[0]["locked"], true);
    app.wait_for_message("ot@nhs.example", "suggests it was copied").await;
    assert_eq!(password_step(&app, "ot@nhs.example").await["passkey"], false, "a locked passkey is not offered");

    // Removing needs a fresh step too.
    let id = listed.body[0]["id"].as_str().unwrap().to_owned();
    let session = Session { access: access.clone(), refresh: String::new() };
    let bad = app
        .post(&format!("/api/v1/me/passkeys/{id}/remove"), Some(&access), json!({"mfa_token": "x", "code": "1"}))
        .await;
    assert_eq!(bad.status, 401);
    let removed = app
        .post(&format!("/api/v1/me/passkeys/{id}/remove"), Some(&access), fresh_step(&app, &session, phone).await)
        .await;
    assert_eq!(removed.status, 204, "{:?}", removed.body);
    assert!(app.get("/api/v1/me/passkeys", Some(&access)).await.body.as_array().unwrap().is_empty());
}
