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

/// A fresh second step proven by a passkey: `{mfa_token, credential}`.
async fn passkey_proof(app: &TestApp, access: &str, device: &std::path::Path) -> Value {
    let fresh = app.post("/api/v1/me/second-factor/challenge", Some(access), json!({})).await;
    assert_eq!(fresh.status, 200, "{:?}", fresh.body);
    assert_eq!(fresh.body["passkey"], true);
    let options =
        app.post("/api/v1/auth/mfa/passkey/options", None, json!({"mfa_token": fresh.body["mfa_token"]})).await;
    assert_eq!(options.status, 200, "{:?}", options.body);
    let credential = authenticator("get", device, ORIGIN, &options.body["options"]);
    json!({"mfa_token": fresh.body["mfa_token"], "credential": credential})
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
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(listed.body["items"][0]["name"], "Work laptop");
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
    assert_eq!(listed.body["items"][0]["locked"], true);
    app.wait_for_message("ot@nhs.example", "suggests it was copied").await;
    assert_eq!(password_step(&app, "ot@nhs.example").await["passkey"], false, "a locked passkey is not offered");

    // Removing needs a fresh step too.
    let id = listed.body["items"][0]["id"].as_str().unwrap().to_owned();
    let session = Session { access: access.clone(), refresh: String::new() };
    let bad = app
        .post(&format!("/api/v1/me/passkeys/{id}/remove"), Some(&access), json!({"mfa_token": "x", "code": "1"}))
        .await;
    assert_eq!(bad.status, 401);
    let removed = app
        .post(&format!("/api/v1/me/passkeys/{id}/remove"), Some(&access), fresh_step(&app, &session, phone).await)
        .await;
    assert_eq!(removed.status, 204, "{:?}", removed.body);
    assert!(app.get("/api/v1/me/passkeys", Some(&access)).await.body["items"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn an_invitee_registers_with_a_passkey_and_keeps_it_as_the_last_factor() {
    let app = crate::helpers::spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let token = app.invite(&admin, "slt@nhs.example", "professional", Some("health")).await;
    let dir = crate::helpers::temp_dir();
    let device = dir.join("device.json");

    let reg = app
        .post("/api/v1/auth/register", None, json!({"token": token, "password": STRONG_PASSWORD, "channel": "passkey"}))
        .await;
    assert_eq!(reg.status, 201, "{:?}", reg.body);
    assert_eq!(reg.body["status"], "pending_passkey");
    let early =
        app.post("/api/v1/auth/login", None, json!({"email": "slt@nhs.example", "password": STRONG_PASSWORD})).await;
    assert_eq!(early.status, 409, "not active until the passkey is confirmed");
    let enrol = &reg.body["passkey"];
    let created = authenticator("create", &device, ORIGIN, &enrol["options"]);
    let confirmed = app
        .post("/api/v1/auth/passkey/confirm", None, json!({"mfa_token": enrol["mfa_token"], "ceremony_id": enrol["ceremony_id"], "name": "Clinic phone", "credential": created}))
        .await;
    assert_eq!(confirmed.status, 200, "{:?}", confirmed.body);
    let recovery: Vec<String> =
        confirmed.body["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_owned()).collect();
    assert_eq!(recovery.len(), 10);

    let step = password_step(&app, "slt@nhs.example").await;
    assert_eq!(step["channel"], "passkey");
    let (status, login) = passkey_login(&app, "slt@nhs.example", &device, ORIGIN).await;
    assert_eq!(status, 200, "{:?}", login);
    let access = login["answer"]["access_token"].as_str().unwrap().to_owned();

    // The only passkey of a passkey account is never removed; the fresh
    // step before changing factors is proven with the passkey itself.
    let passkeys = app.get("/api/v1/me/passkeys", Some(&access)).await;
    let id = passkeys.body["items"][0]["id"].as_str().unwrap().to_owned();
    let proof = passkey_proof(&app, &access, &device).await;
    let refused = app.post(&format!("/api/v1/me/passkeys/{id}/remove"), Some(&access), proof).await;
    assert_eq!(refused.status, 409, "{:?}", refused.body);
    assert_eq!(app.get("/api/v1/me/passkeys", Some(&access)).await.body["items"].as_array().unwrap().len(), 1);

    // A second passkey, added with the first; then the first may go.
    let second = dir.join("second.json");
    let started =
        app.post("/api/v1/me/passkeys/options", Some(&access), passkey_proof(&app, &access, &device).await).await;
    assert_eq!(started.status, 200, "{:?}", started.body);
    let created = authenticator("create", &second, ORIGIN, &started.body["options"]);
    let body = json!({"ceremony_id": started.body["ceremony_id"], "name": "Spare key", "credential": created});
    assert_eq!(app.post("/api/v1/me/passkeys", Some(&access), body).await.status, 201);
    let proof = passkey_proof(&app, &access, &second).await;
    assert_eq!(app.post(&format!("/api/v1/me/passkeys/{id}/remove"), Some(&access), proof).await.status, 204);
    let fresh = app.post("/api/v1/me/second-factor/challenge", Some(&access), json!({})).await;
    let by_recovery = json!({"mfa_token": fresh.body["mfa_token"], "code": recovery[0]});
    assert_eq!(
        app.post("/api/v1/me/passkeys/options", Some(&access), by_recovery).await.status,
        200,
        "or a recovery code"
    );

    // A recovery code still answers the login step.
    let step = password_step(&app, "slt@nhs.example").await;
    let by_code =
        app.post("/api/v1/auth/mfa/verify", None, json!({"mfa_token": step["mfa_token"], "code": recovery[1]})).await;
    assert_eq!(by_code.status, 200, "{:?}", by_code.body);
}

#[tokio::test]
async fn a_council_may_require_passkeys_or_apps_of_its_staff() {
    let app = crate::helpers::spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let officer = app.person(&admin, "officer@la.example", "assessment_officer", None, "07700 900451").await;
    let pro = app.professional(&admin, "ep@la.example", "07700 900452").await;
    let dir = crate::helpers::temp_dir();
    let device = dir.join("device.json");

    // The administrator adds a passkey first, or the rule would stop them too.
    let admin_device = dir.join("admin-device.json");
    let started = app
        .post("/api/v1/me/passkeys/options", Some(&admin.access), fresh_step(&app, &admin, "+447700900001").await)
        .await;
    let created = authenticator("create", &admin_device, ORIGIN, &started.body["options"]);
    let body = json!({"ceremony_id": started.body["ceremony_id"], "name": "Admin key", "credential": created});
    assert_eq!(app.post("/api/v1/me/passkeys", Some(&admin.access), body).await.status, 201);
    let by_officer =
        app.put_json("/api/v1/factor-policy", &officer.session.access, None, json!({"strong_for_staff": true})).await;
    assert_eq!(by_officer.status, 403, "administrators set it");
    let set = app.put_json("/api/v1/factor-policy", &admin.access, None, json!({"strong_for_staff": true})).await;
    assert_eq!(set.status, 200, "{:?}", set.body);
    assert_eq!(
        app.get("/api/v1/factor-policy", Some(&admin.access)).await.status,
        403,
        "the SMS session stops at once"
    );
    let (status, admin_login) = passkey_login(&app, "admin@la.example", &admin_device, ORIGIN).await;
    assert_eq!(status, 200);
    let admin_strong = admin_login["answer"]["access_token"].as_str().unwrap().to_owned();
    assert_eq!(app.get("/api/v1/factor-policy", Some(&admin_strong)).await.body["strong_for_staff"], true);

    // The officer's SMS session may now only add a passkey.
    let o = &officer.session;
    let cases = app.get("/api/v1/cases", Some(&o.access)).await;
    assert_eq!(cases.status, 403);
    assert!(cases.body["detail"].as_str().unwrap().contains("passkey"));
    let me = app.get("/api/v1/me", Some(&o.access)).await;
    assert_eq!(me.status, 200, "{:?}", me.body);
    assert_eq!(me.body["needs_strong_factor"], true);
    assert_eq!(app.get("/api/v1/cases", Some(&pro.access)).await.status, 200, "partners' professionals are not staff");

    let started =
        app.post("/api/v1/me/passkeys/options", Some(&o.access), fresh_step(&app, o, "+447700900451").await).await;
    assert_eq!(started.status, 200, "{:?}", started.body);
    let created = authenticator("create", &device, ORIGIN, &started.body["options"]);
    let registered = app
        .post(
            "/api/v1/me/passkeys",
            Some(&o.access),
            json!({"ceremony_id": started.body["ceremony_id"], "name": "Office laptop", "credential": created}),
        )
        .await;
    assert_eq!(registered.status, 201, "{:?}", registered.body);
    let (status, login) = passkey_login(&app, "officer@la.example", &device, ORIGIN).await;
    assert_eq!(status, 200);
    let strong = login["answer"]["access_token"].as_str().unwrap();
    assert_eq!(app.get("/api/v1/cases", Some(strong)).await.status, 200, "a passkey session does the work");
    let users = app.get("/api/v1/users?limit=200", Some(&admin_strong)).await;
    let listed =
        users.body["items"].as_array().unwrap().iter().find(|u| u["id"] == officer.id.as_str()).unwrap().clone();
    assert_eq!((listed["second_factor"].clone(), listed["passkeys"].clone()), (json!("sms"), json!(1)));
}
