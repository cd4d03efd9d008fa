//! invite → register → login → code from the outbox → /me → refresh → logout,
//! for each second-factor channel.

use serde_json::json;

use crate::helpers::{secret_from_uri, spawn_app, Session, TestApp, STRONG_PASSWORD};

async fn me_then_refresh_then_logout(app: &TestApp, session: Session, email: &str) {
    let me = app.get("/api/v1/me", Some(&session.access)).await;
    assert_eq!(me.status, 200, "{:?}", me.body);
    assert_eq!(me.body["email"], email);
    assert_eq!(me.header("cache-control").as_deref(), Some("no-store"));

    let renewed = app.post("/api/v1/auth/refresh", None, json!({"refresh_token": session.refresh})).await;
    assert_eq!(renewed.status, 200, "{:?}", renewed.body);
    let renewed = Session::from(&renewed.body);
    assert_ne!(renewed.refresh, session.refresh, "refresh tokens rotate");
    assert_eq!(app.get("/api/v1/me", Some(&renewed.access)).await.status, 200);

    assert_eq!(app.post("/api/v1/auth/logout", Some(&renewed.access), json!({})).await.status, 204);
    assert_eq!(app.get("/api/v1/me", Some(&renewed.access)).await.status, 401, "logged-out access token");
    assert_eq!(
        app.post("/api/v1/auth/refresh", None, json!({"refresh_token": renewed.refresh})).await.status,
        401,
        "logged-out refresh token"
    );
}

#[tokio::test]
async fn sms_journey() {
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let token = app.invite(&admin, "jo.senco@school.example", "professional", Some("education")).await;

    let reg = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"token": token, "password": STRONG_PASSWORD, "channel": "sms", "phone": "07700 900123"}),
        )
        .await;
    assert_eq!(reg.status, 201, "{:?}", reg.body);
    assert_eq!(reg.body["phone_masked"], "•••••••123");
    assert!(!reg.body.to_string().contains("900123"), "the number is never returned in full");

    let again = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"token": token, "password": STRONG_PASSWORD, "channel": "sms", "phone": "07700 900123"}),
        )
        .await;
    assert_eq!(again.status, 409, "an invitation works once");

    let step = app
        .post("/api/v1/auth/login", None, json!({"email": "Jo.Senco@School.example", "password": STRONG_PASSWORD}))
        .await;
    assert_eq!(step.status, 200, "{:?}", step.body);
    assert_eq!(step.body["channel"], "sms");
    let sms = app.last_message_to("+447700900123", "sms");
    let body = sms["body"].as_str().unwrap();
    assert!(body.contains("EHC Hub") && body.len() <= 160, "{body}");
    let code = app.last_code_to("+447700900123", "sms");
    let tokens =
        app.post("/api/v1/auth/mfa/verify", None, json!({"mfa_token": step.body["mfa_token"], "code": code})).await;
    assert_eq!(tokens.status, 200, "{:?}", tokens.body);
    assert!(tokens.body["expires_in"].as_i64().unwrap() <= 900);

    let me = app.get("/api/v1/me", Some(tokens.body["access_token"].as_str().unwrap())).await;
    assert_eq!(me.body["role"], "professional");
    assert_eq!(me.body["specialism"], "education");
    assert_eq!(me.body["second_factor"]["phone_masked"], "•••••••123");
    assert_eq!(me.body["local_authority"]["name"], "Testshire County Council");

    // The step token is spent once used.
    let reuse =
        app.post("/api/v1/auth/mfa/verify", None, json!({"mfa_token": step.body["mfa_token"], "code": code})).await;
    assert_eq!(reuse.status, 401);

    me_then_refresh_then_logout(&app, Session::from(&tokens.body), "jo.senco@school.example").await;
}

#[tokio::test]
async fn voice_journey() {
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let token = app.invite(&admin, "sw@care.example", "professional", Some("social_care")).await;

    let mobile = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"token": token, "password": STRONG_PASSWORD, "channel": "voice", "phone": "07700 900555"}),
        )
        .await;
    assert_eq!(mobile.status, 422, "a mobile is not a landline");
    assert_eq!(mobile.pointers(), vec!["/phone"]);

    let reg = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"token": token, "password": STRONG_PASSWORD, "channel": "voice", "phone": "01709 382121"}),
        )
        .await;
    assert_eq!(reg.status, 201, "{:?}", reg.body);
    let step =
        app.post("/api/v1/auth/login", None, json!({"email": "sw@care.example", "password": STRONG_PASSWORD})).await;
    assert_eq!(step.body["channel"], "voice");
    let call = app.last_message_to("+441709382121", "voice");
    assert!(call["body"].as_str().unwrap().contains("login code is"));
    let code = app.last_code_to("+441709382121", "voice");
    let tokens =
        app.post("/api/v1/auth/mfa/verify", None, json!({"mfa_token": step.body["mfa_token"], "code": code})).await;
    assert_eq!(tokens.status, 200, "{:?}", tokens.body);
    me_then_refresh_then_logout(&app, Session::from(&tokens.body), "sw@care.example").await;
}

#[tokio::test]
async fn totp_journey_with_recovery_codes() {
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let token = app.invite(&admin, "ep@la.example", "professional", Some("educational_psychology")).await;

    let reg = app
        .post("/api/v1/auth/register", None, json!({"token": token, "password": STRONG_PASSWORD, "channel": "totp"}))
        .await;
    assert_eq!(reg.status, 201, "{:?}", reg.body);
    assert_eq!(reg.body["status"], "pending_totp");
    let uri = reg.body["totp"]["otpauth_uri"].as_str().unwrap();
    assert!(!uri.contains("ep@la.example"), "the QR code carries no e-mail");
    assert!(!reg.body["totp"]["qr_png_base64"].as_str().unwrap().is_empty());
    let secret = secret_from_uri(uri);

    // Not active until the first code is confirmed.
    let early =
        app.post("/api/v1/auth/login", None, json!({"email": "ep@la.example", "password": STRONG_PASSWORD})).await;
    assert_eq!(early.status, 409);

    let now = chrono::Utc::now().timestamp();
    let wrong = app
        .post("/api/v1/auth/totp/confirm", None, json!({"mfa_token": reg.body["totp"]["mfa_token"], "code": "000000"}))
        .await;
    assert!(wrong.status == 401 || ehc_api::security::totp::code_at(&secret, now).as_deref() == Some("000000"));
    let confirm = app
        .post("/api/v1/auth/totp/confirm", None, json!({"mfa_token": reg.body["totp"]["mfa_token"], "code": ehc_api::security::totp::code_at(&secret, now).unwrap()}))
        .await;
    assert_eq!(confirm.status, 200, "{:?}", confirm.body);
    let recovery: Vec<String> =
        confirm.body["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_owned()).collect();
    assert_eq!(recovery.len(), 10);

    // The step just used for confirming is spent: the same code fails.
    let step =
        app.post("/api/v1/auth/login", None, json!({"email": "ep@la.example", "password": STRONG_PASSWORD})).await;
    assert_eq!(step.body["channel"], "totp");
    let replay = app.post("/api/v1/auth/mfa/verify", None, json!({"mfa_token": step.body["mfa_token"], "code": ehc_api::security::totp::code_at(&secret, now).unwrap()})).await;
    assert_eq!(replay.status, 401, "a TOTP step is accepted once");
    let why = replay.body["detail"].as_str().unwrap();
    assert!(why.contains("already used") && why.contains("next code"), "says why and what to do: {why}");
    let next = ehc_api::security::totp::code_at(&secret, now + 30).unwrap();
    let tokens =
        app.post("/api/v1/auth/mfa/verify", None, json!({"mfa_token": step.body["mfa_token"], "code": next})).await;
    assert_eq!(tokens.status, 200, "{:?}", tokens.body);
    let me = app.get("/api/v1/me", Some(tokens.body["access_token"].as_str().unwrap())).await;
    assert_eq!(me.body["second_factor"]["recovery_codes_remaining"], 10);
    me_then_refresh_then_logout(&app, Session::from(&tokens.body), "ep@la.example").await;

    // A recovery code logs in once, in any case and spacing.
    let step =
        app.post("/api/v1/auth/login", None, json!({"email": "ep@la.example", "password": STRONG_PASSWORD})).await;
    let typed = recovery[3].to_lowercase().replace('-', " ");
    let tokens =
        app.post("/api/v1/auth/mfa/verify", None, json!({"mfa_token": step.body["mfa_token"], "code": typed})).await;
    assert_eq!(tokens.status, 200, "{:?}", tokens.body);
    let step =
        app.post("/api/v1/auth/login", None, json!({"email": "ep@la.example", "password": STRONG_PASSWORD})).await;
    let again = app
        .post("/api/v1/auth/mfa/verify", None, json!({"mfa_token": step.body["mfa_token"], "code": recovery[3]}))
        .await;
    assert_eq!(again.status, 401, "a recovery code works once");
}

#[tokio::test]
async fn password_reset_needs_the_second_factor_and_ends_other_sessions() {
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let pro = app.professional(&admin, "pro@school.example", "07700 900222").await;

    let unknown = app.post("/api/v1/auth/password-reset", None, json!({"email": "nobody@school.example"})).await;
    assert_eq!(unknown.status, 202, "same answer for unknown addresses");
    assert_eq!(app.post("/api/v1/auth/password-reset", None, json!({"email": "pro@school.example"})).await.status, 202);
    let mail = app.last_message_to("pro@school.example", "email");
    let token = crate::helpers::token_from_link(mail["body"].as_str().unwrap());

    let weak = app
        .post("/api/v1/auth/password-reset/complete", None, json!({"token": token, "password": "password1234"}))
        .await;
    assert_eq!(weak.status, 422);
    assert_eq!(weak.pointers(), vec!["/password"]);
    let new_password = "violet harbour teapot gallop 7";
    let step =
        app.post("/api/v1/auth/password-reset/complete", None, json!({"token": token, "password": new_password})).await;
    assert_eq!(step.status, 200, "{:?}", step.body);
    let code = app.last_code_to("+447700900222", "sms");
    // Until the second step passes, the old password still works.
    assert_eq!(
        app.post("/api/v1/auth/login", None, json!({"email": "pro@school.example", "password": STRONG_PASSWORD}))
            .await
            .status,
        200
    );
    let tokens =
        app.post("/api/v1/auth/mfa/verify", None, json!({"mfa_token": step.body["mfa_token"], "code": code})).await;
    assert_eq!(tokens.status, 200, "{:?}", tokens.body);

    assert_eq!(app.get("/api/v1/me", Some(&pro.access)).await.status, 401, "older sessions end on reset");
    assert_eq!(
        app.post("/api/v1/auth/login", None, json!({"email": "pro@school.example", "password": STRONG_PASSWORD}))
            .await
            .status,
        401
    );
    assert_eq!(
        app.post("/api/v1/auth/login", None, json!({"email": "pro@school.example", "password": new_password}))
            .await
            .status,
        200
    );
    let reuse =
        app.post("/api/v1/auth/password-reset/complete", None, json!({"token": token, "password": new_password})).await;
    assert_eq!(reuse.status, 409, "a reset link works once");
}

#[tokio::test]
async fn changing_the_second_factor_needs_a_fresh_code() {
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let pro = app.professional(&admin, "pro@school.example", "07700 900333").await;

    let step = app.post("/api/v1/me/second-factor/challenge", Some(&pro.access), json!({})).await;
    assert_eq!(step.status, 200, "{:?}", step.body);
    let wrong = app
        .call(reqwest::Method::PUT, "/api/v1/me/second-factor", Some(&pro.access), Some(json!({"mfa_token": step.body["mfa_token"], "code": "12345x", "channel": "voice", "phone": "01709 382121"})))
        .await;
    assert_eq!(wrong.status, 401);
    let code = app.last_code_to("+447700900333", "sms");
    let changed = app
        .call(
            reqwest::Method::PUT,
            "/api/v1/me/second-factor",
            Some(&pro.access),
            Some(
                json!({"mfa_token": step.body["mfa_token"], "code": code, "channel": "voice", "phone": "01709 382121"}),
            ),
        )
        .await;
    assert_eq!(changed.status, 200, "{:?}", changed.body);
    assert_eq!(changed.body["phone_masked"], "•••••••121");
    assert_eq!(app.last_message_to("pro@school.example", "email")["subject"], "EHC Hub: your login settings changed");

    let step =
        app.post("/api/v1/auth/login", None, json!({"email": "pro@school.example", "password": STRONG_PASSWORD})).await;
    assert_eq!(step.body["channel"], "voice");
    let code = app.last_code_to("+441709382121", "voice");
    assert_eq!(
        app.post("/api/v1/auth/mfa/verify", None, json!({"mfa_token": step.body["mfa_token"], "code": code}))
            .await
            .status,
        200
    );
}
