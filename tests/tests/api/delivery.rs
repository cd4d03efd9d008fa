//! Messages through real transports: SMTP to a real server (aiosmtpd, started
//! by scripts/test), and GOV.UK Notify and a voice provider through local
//! stand-ins that check what the real services check.

use std::sync::{Arc, Mutex};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};
use serde_json::{json, Value};

use crate::helpers::{spawn_app_with, token_from_link, STRONG_PASSWORD};

const SERVICE_ID: &str = "26785a09-ab16-4eb0-8407-a37497a57506";
const SECRET: &str = "3d844edf-8d35-48ac-975b-e847b4f122b0";
const EMAIL_TEMPLATE: &str = "f33517ff-2a88-4f6e-b855-c550268ce08a";
const SMS_TEMPLATE: &str = "a1b2c3d4-2a88-4f6e-b855-c550268ce08a";
const VOICE_TOKEN: &str = "voice-provider-token";

type Received = Arc<Mutex<Vec<Value>>>;

/// Checks a Notify request as Notify does: HS256 JWT signed with the key's
/// secret, `iss` the service id, `iat` within 30 seconds; known template.
fn notify_accepts(req: &HttpRequest, body: &Value, path: &str) -> Result<(), &'static str> {
    let auth = req.headers().get("authorization").and_then(|v| v.to_str().ok()).ok_or("missing authorization")?;
    let token = auth.strip_prefix("Bearer ").ok_or("not bearer")?;
    let mut validation = Validation::new(Algorithm::HS256);
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    let claims = decode::<Value>(token, &DecodingKey::from_secret(SECRET.as_bytes()), &validation)
        .map_err(|_| "bad signature")?
        .claims;
    if claims["iss"] != SERVICE_ID {
        return Err("wrong iss");
    }
    let iat = claims["iat"].as_i64().ok_or("no iat")?;
    if (chrono::Utc::now().timestamp() - iat).abs() > 30 {
        return Err("iat too old");
    }
    let (template, recipient) =
        if path.ends_with("/sms") { (SMS_TEMPLATE, "phone_number") } else { (EMAIL_TEMPLATE, "email_address") };
    if body["template_id"] != template || !body[recipient].is_string() || !body["personalisation"]["body"].is_string() {
        return Err("bad body");
    }
    Ok(())
}

async fn stand_in(received: Received) -> String {
    // What the providers would deliver is kept for the personal-data scan.
    let delivered = crate::helpers::temp_dir().join("outbox");
    std::fs::create_dir_all(&delivered).unwrap();
    let server = HttpServer::new(move || {
        let received = received.clone();
        let delivered = delivered.clone();
        App::new().default_service(web::to(move |req: HttpRequest, body: web::Json<Value>| {
            let received = received.clone();
            let delivered = delivered.clone();
            async move {
                let path = req.path().to_owned();
                let verdict = if path.starts_with("/v2/notifications/") {
                    notify_accepts(&req, &body, &path)
                } else if req.headers().get("authorization").and_then(|v| v.to_str().ok()) == Some(&format!("Bearer {VOICE_TOKEN}")) {
                    Ok(())
                } else {
                    Err("bad voice token")
                };
                match verdict {
                    Ok(()) => {
                        let text = json!({"subject": body["personalisation"]["subject"], "body": body["personalisation"]["body"].as_str().or(body["message"].as_str())});
                        std::fs::write(delivered.join(format!("{}.json", uuid::Uuid::new_v4())), text.to_string()).unwrap();
                        received.lock().unwrap().push(json!({"path": path, "body": body.into_inner()}));
                        HttpResponse::Created().json(json!({"id": uuid::Uuid::new_v4()}))
                    }
                    Err(why) => HttpResponse::Forbidden().json(json!({"status_code": 403, "errors": [{"error": "AuthError", "message": why}]})),
                }
            }
        }))
    })
    .workers(1)
    .bind(("127.0.0.1", 0))
    .unwrap();
    let port = server.addrs()[0].port();
    tokio::spawn(server.run());
    format!("http://127.0.0.1:{port}")
}

fn use_notify(env: &mut std::collections::HashMap<String, String>, base: &str, secret: &str) {
    env.insert("EHC_EMAIL".into(), "notify".into());
    env.insert("EHC_SMS".into(), "notify".into());
    env.insert("EHC_VOICE".into(), "http".into());
    env.insert("EHC_VOICE_URL".into(), format!("{base}/voice/calls"));
    env.insert("EHC_VOICE_TOKEN".into(), VOICE_TOKEN.into());
    env.insert("EHC_NOTIFY_API_KEY".into(), format!("ehc_test-{SERVICE_ID}-{secret}"));
    env.insert("EHC_NOTIFY_BASE_URL".into(), base.into());
    env.insert("EHC_NOTIFY_EMAIL_TEMPLATE_ID".into(), EMAIL_TEMPLATE.into());
    env.insert("EHC_NOTIFY_SMS_TEMPLATE_ID".into(), SMS_TEMPLATE.into());
}

fn last_to(received: &Received, field: &str, to: &str) -> Value {
    received
        .lock()
        .unwrap()
        .iter()
        .rev()
        .find(|r| r["body"][field] == to || r["body"]["to"] == to)
        .cloned()
        .unwrap_or_else(|| panic!("nothing sent to {to}"))
}

#[tokio::test]
async fn login_codes_and_invitations_through_notify_and_the_voice_provider() {
    let received: Received = Arc::default();
    let base = stand_in(received.clone()).await;
    let app = spawn_app_with(|env| use_notify(env, &base, SECRET)).await;

    let link =
        ehc_api::bootstrap::invite_first_admin(&app.state, "admin@la.example", "Testshire County Council", "Ada")
            .await
            .unwrap();
    let reg = app.post("/api/v1/auth/register", None, json!({"token": token_from_link(&link), "password": STRONG_PASSWORD, "channel": "sms", "phone": "07700 900901"})).await;
    assert_eq!(reg.status, 201);
    let step =
        app.post("/api/v1/auth/login", None, json!({"email": "admin@la.example", "password": STRONG_PASSWORD})).await;
    assert_eq!(step.status, 200, "{:?}", step.body);
    let sms = last_to(&received, "phone_number", "+447700900901");
    let text = sms["body"]["personalisation"]["body"].as_str().unwrap();
    let code: String = text.chars().take(6).collect();
    let tokens =
        app.post("/api/v1/auth/mfa/verify", None, json!({"mfa_token": step.body["mfa_token"], "code": code})).await;
    assert_eq!(tokens.status, 200);
    let access = tokens.body["access_token"].as_str().unwrap();

    let invite = app.post("/api/v1/invitations", Some(access), json!({"email": "gp@nhs.example", "name": "Gale Practitioner", "role": "professional", "specialism": "health"})).await;
    assert_eq!(invite.status, 201);
    let email = last_to(&received, "email_address", "gp@nhs.example");
    let body = email["body"]["personalisation"]["body"].as_str().unwrap();
    assert!(!body.contains("Gale"), "no names in e-mails");
    let reg = app.post("/api/v1/auth/register", None, json!({"token": token_from_link(body), "password": STRONG_PASSWORD, "channel": "voice", "phone": "0114 496 0000"})).await;
    assert_eq!(reg.status, 201, "{:?}", reg.body);
    let step =
        app.post("/api/v1/auth/login", None, json!({"email": "gp@nhs.example", "password": STRONG_PASSWORD})).await;
    assert_eq!(step.status, 200, "{:?}", step.body);
    let call = last_to(&received, "to", "+441144960000");
    let digits: String =
        call["body"]["message"].as_str().unwrap().chars().filter(char::is_ascii_digit).take(6).collect();
    assert_eq!(
        app.post("/api/v1/auth/mfa/verify", None, json!({"mfa_token": step.body["mfa_token"], "code": digits}))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn a_refused_delivery_is_reported_not_swallowed() {
    let received: Received = Arc::default();
    let base = stand_in(received.clone()).await;
    let app = spawn_app_with(|env| use_notify(env, &base, "00000000-0000-4000-8000-000000000000")).await;
    let link =
        ehc_api::bootstrap::invite_first_admin(&app.state, "admin@la.example", "Testshire County Council", "Ada")
            .await
            .unwrap();
    let reg = app.post("/api/v1/auth/register", None, json!({"token": token_from_link(&link), "password": STRONG_PASSWORD, "channel": "sms", "phone": "07700 900902"})).await;
    assert_eq!(reg.status, 201);
    let step =
        app.post("/api/v1/auth/login", None, json!({"email": "admin@la.example", "password": STRONG_PASSWORD})).await;
    assert_eq!(step.status, 503, "Notify refused the wrongly signed request");
    assert!(received.lock().unwrap().is_empty());
}

fn maildir_message_to(dir: &std::path::Path, to: &str) -> Option<String> {
    let new = dir.join("new");
    std::fs::read_dir(new)
        .ok()?
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .find(|m| m.contains(&format!("To: {to}")))
}

#[tokio::test]
async fn invitations_by_smtp_arrive_at_a_real_server() {
    let (Ok(port), Ok(maildir)) = (std::env::var("EHC_TEST_SMTP_PORT"), std::env::var("EHC_TEST_MAILDIR")) else {
        assert!(std::env::var("EHC_TEST_REQUIRE_SMTP").is_err(), "EHC_TEST_REQUIRE_SMTP is set but no SMTP server is");
        eprintln!("EHC_TEST_SMTP_PORT not set: SMTP test skipped (scripts/test sets it)");
        return;
    };
    let app = spawn_app_with(|env| {
        env.insert("EHC_EMAIL".into(), "smtp".into());
        env.insert("EHC_SMTP_HOST".into(), "127.0.0.1".into());
        env.insert("EHC_SMTP_PORT".into(), port.clone());
        env.insert("EHC_SMTP_TLS".into(), "none".into());
        env.insert("EHC_MAIL_FROM".into(), "Testshire EHC Hub <hub@testshire.example>".into());
    })
    .await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let to = format!("senco-{}@school.example", uuid::Uuid::new_v4().simple());
    let res = app
        .post(
            "/api/v1/invitations",
            Some(&admin.access),
            json!({"email": to, "name": "Quill Example", "role": "professional", "specialism": "education"}),
        )
        .await;
    assert_eq!(res.status, 201, "{:?}", res.body);
    let mut message = None;
    for _ in 0..50 {
        message = maildir_message_to(std::path::Path::new(&maildir), &to);
        if message.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let message = message.expect("the invitation reached the SMTP server");
    let from = message.lines().find(|l| l.starts_with("From: ")).unwrap_or_default();
    assert!(from.contains("Testshire EHC Hub") && from.contains("<hub@testshire.example>"), "{from}");
    assert!(!message.contains("Quill"), "no names in e-mails");
    let token = token_from_link(&decode_quoted_printable(&message));
    let reg = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"token": token, "password": STRONG_PASSWORD, "channel": "sms", "phone": "07700 900903"}),
        )
        .await;
    assert_eq!(reg.status, 201, "{:?}", reg.body);
}

/// Enough of RFC 2045 quoted-printable for a plain-text body: soft line
/// breaks and `=XX` escapes.
fn decode_quoted_printable(text: &str) -> String {
    let joined = text.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
