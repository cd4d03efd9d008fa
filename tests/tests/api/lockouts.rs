//! Limits that live in the database: wrong codes, wrong passwords, resends.

use serde_json::json;

use crate::helpers::{spawn_app, STRONG_PASSWORD};

#[tokio::test]
async fn five_wrong_codes_lock_the_login() {
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let _pro = app.professional(&admin, "pro@school.example", "07700 900444").await;

    let step =
        app.post("/api/v1/auth/login", None, json!({"email": "pro@school.example", "password": STRONG_PASSWORD})).await;
    let right = app.last_code_to("+447700900444", "sms");
    let wrong = if right == "000000" { "111111" } else { "000000" };
    for attempt in 1..=4 {
        let res = app
            .post("/api/v1/auth/mfa/verify", None, json!({"mfa_token": step.body["mfa_token"], "code": wrong}))
            .await;
        assert_eq!(res.status, 401, "attempt {attempt}");
    }
    let fifth =
        app.post("/api/v1/auth/mfa/verify", None, json!({"mfa_token": step.body["mfa_token"], "code": wrong})).await;
    assert_eq!(fifth.status, 429);
    assert!(fifth.header("retry-after").is_some());

    let with_right_code =
        app.post("/api/v1/auth/mfa/verify", None, json!({"mfa_token": step.body["mfa_token"], "code": right})).await;
    assert_eq!(with_right_code.status, 429, "locked even for the right code");
    let new_login =
        app.post("/api/v1/auth/login", None, json!({"email": "pro@school.example", "password": STRONG_PASSWORD})).await;
    assert_eq!(new_login.status, 429, "the account waits before a new login");
    let retry: i64 = new_login.header("retry-after").unwrap().parse().unwrap();
    assert!(retry > 800 && retry <= 900, "{retry}");
}

#[tokio::test]
async fn wrong_passwords_and_unknown_emails_answer_alike_then_limit() {
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let _pro = app.professional(&admin, "pro@school.example", "07700 900445").await;

    let unknown = app
        .post("/api/v1/auth/login", None, json!({"email": "ghost@school.example", "password": STRONG_PASSWORD}))
        .await;
    let wrong = app
        .post("/api/v1/auth/login", None, json!({"email": "pro@school.example", "password": "not the password at all"}))
        .await;
    assert_eq!((unknown.status, wrong.status), (401, 401));
    assert_eq!(unknown.body["detail"], wrong.body["detail"]);

    for _ in 0..9 {
        assert_eq!(
            app.post(
                "/api/v1/auth/login",
                None,
                json!({"email": "pro@school.example", "password": "not the password at all"})
            )
            .await
            .status,
            401
        );
    }
    let limited =
        app.post("/api/v1/auth/login", None, json!({"email": "pro@school.example", "password": STRONG_PASSWORD})).await;
    assert_eq!(limited.status, 429, "10 failures in 15 minutes limit the account, even with the right password");
    assert!(limited.header("retry-after").unwrap().parse::<i64>().unwrap() > 0);
    assert_eq!(limited.header("content-type").as_deref(), Some("application/problem+json"));
}

#[tokio::test]
async fn a_new_code_at_most_every_thirty_seconds() {
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let _pro = app.professional(&admin, "pro@school.example", "07700 900446").await;
    let step =
        app.post("/api/v1/auth/login", None, json!({"email": "pro@school.example", "password": STRONG_PASSWORD})).await;
    let resend = app.post("/api/v1/auth/mfa/resend", None, json!({"mfa_token": step.body["mfa_token"]})).await;
    assert_eq!(resend.status, 429);
    let retry: i64 = resend.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=30).contains(&retry), "{retry}");
}
