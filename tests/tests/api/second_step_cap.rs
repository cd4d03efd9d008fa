//! Finding 2 of the access probe: wrong second-step codes are capped per
//! account across logins, not only per login attempt, and the owner is told.

use serde_json::json;

use crate::helpers::{secret_from_uri, spawn_app, TestApp, STRONG_PASSWORD};

async fn login(app: &TestApp, email: &str) -> String {
    let step = app.post("/api/v1/auth/login", None, json!({"email": email, "password": STRONG_PASSWORD})).await;
    assert_eq!(step.status, 200, "{:?}", step.body);
    step.body["mfa_token"].as_str().unwrap().to_owned()
}

async fn verify(app: &TestApp, mfa_token: &str, code: &str) -> u16 {
    app.post("/api/v1/auth/mfa/verify", None, json!({"mfa_token": mfa_token, "code": code})).await.status
}

#[tokio::test]
async fn wrong_sms_codes_over_several_logins_lock_the_second_step() {
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let _pro = app.professional(&admin, "pro@school.example", "07700 900446").await;

    // Four logins of four wrong codes each stay under the per-login limit
    // of five; the account's tenth wrong code in the hour locks it.
    let mut answers = Vec::new();
    let mut token = String::new();
    for _ in 0..3 {
        token = login(&app, "pro@school.example").await;
        let right = app.last_code_to("+447700900446", "sms");
        let wrong = if right == "000000" { "111111" } else { "000000" };
        for _ in 0..4 {
            answers.push(verify(&app, &token, wrong).await);
        }
    }
    assert_eq!(&answers[..9], &[401; 9], "nine wrong codes are refused one by one");
    assert_eq!(answers[9], 429, "the tenth wrong code in an hour locks the second step");
    assert!(answers[10..].iter().all(|s| *s == 429), "{answers:?}");

    let right = app.last_code_to("+447700900446", "sms");
    assert_eq!(verify(&app, &token, &right).await, 429, "the right code does not pass the lock");
    let again =
        app.post("/api/v1/auth/login", None, json!({"email": "pro@school.example", "password": STRONG_PASSWORD})).await;
    assert_eq!(again.status, 429, "nor does a new login");
    assert!(again.header("retry-after").is_some());

    let told = app.wait_for_message("pro@school.example", "Too many wrong codes").await;
    assert_eq!(told["channel"], "email");
    assert!(!told["body"].as_str().unwrap().contains(&right), "the e-mail carries no code");
}

#[tokio::test]
async fn wrong_app_codes_then_a_recovery_code_are_refused_once_locked() {
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let token = app.invite(&admin, "ep@la.example", "professional", Some("educational_psychology")).await;
    let reg = app
        .post("/api/v1/auth/register", None, json!({"token": token, "password": STRONG_PASSWORD, "channel": "totp"}))
        .await;
    assert_eq!(reg.status, 201, "{:?}", reg.body);
    let secret = secret_from_uri(reg.body["totp"]["otpauth_uri"].as_str().unwrap());
    let now = chrono::Utc::now().timestamp();
    let first = ehc_api::security::totp::code_at(&secret, now).unwrap();
    let confirm = app
        .post("/api/v1/auth/totp/confirm", None, json!({"mfa_token": reg.body["totp"]["mfa_token"], "code": first}))
        .await;
    assert_eq!(confirm.status, 200, "{:?}", confirm.body);
    let recovery = confirm.body["recovery_codes"][0].as_str().unwrap().to_owned();

    // A wrong code is one no authenticator step around now would give.
    let near: Vec<String> = (-3..=3).filter_map(|k| ehc_api::security::totp::code_at(&secret, now + k * 30)).collect();
    let wrong = ["000000", "111111", "222222"].into_iter().find(|c| !near.iter().any(|n| n == c)).unwrap();
    let mut answers = Vec::new();
    let mut mfa_token = String::new();
    for _ in 0..6 {
        let step =
            app.post("/api/v1/auth/login", None, json!({"email": "ep@la.example", "password": STRONG_PASSWORD})).await;
        if step.status != 200 {
            answers.push(step.status);
            continue;
        }
        mfa_token = step.body["mfa_token"].as_str().unwrap().to_owned();
        for _ in 0..4 {
            answers.push(verify(&app, &mfa_token, wrong).await);
        }
    }
    assert_eq!(answers.iter().filter(|s| **s == 401).count(), 9, "{answers:?}");
    assert_eq!(verify(&app, &mfa_token, &recovery).await, 429, "a recovery code does not pass the lock");
    app.wait_for_message("ep@la.example", "Too many wrong codes").await;
}
