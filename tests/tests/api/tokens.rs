//! Tokens that must not work: expired, of another purpose, of another
//! algorithm, replayed refresh tokens, a disabled user's.

use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::json;

use crate::helpers::{spawn_app, Session, SIGNING_KEY};

#[tokio::test]
async fn reused_refresh_token_revokes_the_session() {
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let first = app.post("/api/v1/auth/refresh", None, json!({"refresh_token": admin.refresh})).await;
    assert_eq!(first.status, 200);
    let rotated = Session::from(&first.body);
    assert_eq!(app.get("/api/v1/me", Some(&rotated.access)).await.status, 200);

    let replay = app.post("/api/v1/auth/refresh", None, json!({"refresh_token": admin.refresh})).await;
    assert_eq!(replay.status, 401);
    assert_eq!(app.get("/api/v1/me", Some(&rotated.access)).await.status, 401, "the whole session ended");
    assert_eq!(app.post("/api/v1/auth/refresh", None, json!({"refresh_token": rotated.refresh})).await.status, 401);
}

fn claims_like(app_public_url: &str, access: &str) -> serde_json::Value {
    let payload = access.split('.').nth(1).unwrap();
    use base64::Engine;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap();
    let mut claims: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(claims["iss"], app_public_url);
    claims["exp"] = json!(chrono::Utc::now().timestamp() + 600);
    claims
}

#[tokio::test]
async fn expired_foreign_and_wrong_purpose_tokens_are_rejected() {
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let key = EncodingKey::from_secret(SIGNING_KEY.as_bytes());

    // Control: the same claims, re-signed properly, are accepted.
    let claims = claims_like(&app.public_url, &admin.access);
    let good = encode(&Header::new(Algorithm::HS256), &claims, &key).unwrap();
    assert_eq!(app.get("/api/v1/me", Some(&good)).await.status, 200);

    let mut expired = claims.clone();
    expired["exp"] = json!(chrono::Utc::now().timestamp() - 5);
    let expired = encode(&Header::new(Algorithm::HS256), &expired, &key).unwrap();
    let res = app.get("/api/v1/me", Some(&expired)).await;
    assert_eq!(res.status, 401);
    assert_eq!(res.header("www-authenticate").as_deref(), Some("Bearer"));

    let other_alg = encode(&Header::new(Algorithm::HS512), &claims, &key).unwrap();
    assert_eq!(app.get("/api/v1/me", Some(&other_alg)).await.status, 401, "HS512 with the same key");

    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let unsigned = format!("{}.{}.", b64.encode(br#"{"alg":"none","typ":"JWT"}"#), b64.encode(claims.to_string()));
    assert_eq!(app.get("/api/v1/me", Some(&unsigned)).await.status, 401, "alg none");

    let other_key = encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(b"another-key-of-sufficient-length-000000"),
    )
    .unwrap();
    assert_eq!(app.get("/api/v1/me", Some(&other_key)).await.status, 401);

    let step = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"email": "admin@la.example", "password": crate::helpers::STRONG_PASSWORD}),
        )
        .await;
    let mfa_token = step.body["mfa_token"].as_str().unwrap();
    assert_eq!(app.get("/api/v1/me", Some(mfa_token)).await.status, 401, "an MFA-step token is not an access token");
    let as_step = app.post("/api/v1/auth/mfa/verify", None, json!({"mfa_token": admin.access, "code": "123456"})).await;
    assert_eq!(as_step.status, 401, "an access token is not an MFA-step token");
}
