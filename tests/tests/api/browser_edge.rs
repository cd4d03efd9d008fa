//! Findings 6 and 9 of the access probe: the client address behind proxies
//! (rate limits cannot be dodged with a forged `X-Forwarded-For`), and the
//! headers a browser relies on: security headers, HSTS and CORS.

use serde_json::json;

use crate::helpers::{spawn_app, spawn_app_with, STRONG_PASSWORD};

#[tokio::test]
async fn a_forged_left_hand_forwarded_address_gets_no_fresh_allowance() {
    // The hub sits behind a proxy on 127.0.0.1 (the test client itself).
    let app = spawn_app_with(|env| {
        env.insert("EHC_TRUSTED_PROXIES".into(), "127.0.0.1/32".into());
    })
    .await;
    let attempt = |n: usize, forwarded: String| {
        let app = &app;
        async move {
            app.client
                .post(format!("{}/api/v1/auth/login", app.base))
                .header("x-forwarded-for", forwarded)
                .json(&json!({"email": format!("nobody{n}@school.example"), "password": STRONG_PASSWORD}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    // 60 attempts in 15 minutes per client, each with a new forged left-hand entry.
    for n in 0..60 {
        assert_eq!(attempt(n, format!("10.9.{}.{}, 203.0.113.9", n / 250, n % 250)).await, 401, "attempt {n}");
    }
    assert_eq!(attempt(60, "198.51.100.1, 203.0.113.9".into()).await, 429, "the proxy's hop is what counts");
    assert_eq!(attempt(61, "203.0.113.10".into()).await, 401, "another client has its own allowance");
    let forwarded = app
        .client
        .post(format!("{}/api/v1/auth/login", app.base))
        .header("forwarded", "for=198.51.100.1, for=\"203.0.113.9:4711\"")
        .json(&json!({"email": "nobody-else@school.example", "password": STRONG_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(forwarded.status().as_u16(), 429, "RFC 7239 Forwarded is read the same way");
}

#[tokio::test]
async fn forwarded_headers_count_for_nothing_unless_a_trusted_proxy_sent_them() {
    let app = spawn_app().await;
    for n in 0..60 {
        let status = app
            .client
            .post(format!("{}/api/v1/auth/login", app.base))
            .header("x-forwarded-for", format!("203.0.113.{n}"))
            .json(&json!({"email": format!("nobody{n}@school.example"), "password": STRONG_PASSWORD}))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status.as_u16(), 401);
    }
    let limited = app.post("/api/v1/auth/login", None, json!({"email": "x@school.example", "password": "x"})).await;
    assert_eq!(limited.status, 429, "every attempt came from the same connection's address");
}

#[tokio::test]
async fn every_answer_carries_the_browser_security_headers() {
    let app = spawn_app().await;
    for path in ["/api/v1/me", "/healthz", "/api/v1/nothing-here"] {
        let answer = app.get(path, None).await;
        assert_eq!(answer.header("x-content-type-options").as_deref(), Some("nosniff"), "{path}");
        assert_eq!(answer.header("x-frame-options").as_deref(), Some("DENY"), "{path}");
        assert_eq!(answer.header("referrer-policy").as_deref(), Some("no-referrer"), "{path}");
        let csp = answer.header("content-security-policy").unwrap_or_default();
        assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(answer.header("strict-transport-security").is_none(), "no HSTS over plain http");
    }
    let docs = app.client.get(format!("{}/docs/", app.base)).send().await.unwrap();
    assert_eq!(docs.status().as_u16(), 200);
    let csp = docs.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("'unsafe-eval'") && !csp.contains("script-src 'self' 'unsafe-inline'"), "{csp}");

    let https = spawn_app_with(|env| {
        env.insert("EHC_PUBLIC_URL".into(), "https://ehc.council.example".into());
    })
    .await;
    let answer = https.get("/healthz", None).await;
    let hsts = answer.header("strict-transport-security").expect("HSTS when the public URL is https");
    assert!(hsts.starts_with("max-age=31536000"), "{hsts}");
}

#[tokio::test]
async fn only_listed_origins_may_call_the_api_from_a_browser() {
    let app = spawn_app_with(|env| {
        env.insert("EHC_CORS_ORIGINS".into(), "https://app.council.example".into());
    })
    .await;
    let preflight = |origin: &'static str| {
        let app = &app;
        async move {
            app.client
                .request(reqwest::Method::OPTIONS, format!("{}/api/v1/cases", app.base))
                .header("origin", origin)
                .header("access-control-request-method", "POST")
                .header("access-control-request-headers", "authorization, content-type, if-match")
                .send()
                .await
                .unwrap()
        }
    };
    let allowed = preflight("https://app.council.example").await;
    assert!(allowed.status().is_success(), "{}", allowed.status());
    let h = allowed.headers();
    assert_eq!(h["access-control-allow-origin"], "https://app.council.example");
    let methods = h["access-control-allow-methods"].to_str().unwrap().to_uppercase();
    assert!(methods.contains("POST") && methods.contains("PUT"), "{methods}");
    let headers = h["access-control-allow-headers"].to_str().unwrap().to_lowercase();
    assert!(headers.contains("authorization") && headers.contains("if-match"), "{headers}");
    assert!(h.get("access-control-allow-credentials").is_none(), "credentials stay off");

    let other = preflight("https://evil.example").await;
    assert!(other.headers().get("access-control-allow-origin").is_none(), "an unlisted origin is not allowed");
    assert_eq!(other.status().as_u16(), 400);
    assert_eq!(other.headers()["content-type"], "application/problem+json", "refused like any bad request");

    let actual = app
        .client
        .get(format!("{}/api/v1/me", app.base))
        .header("origin", "https://app.council.example")
        .send()
        .await
        .unwrap();
    assert_eq!(actual.status().as_u16(), 401);
    let h = actual.headers();
    assert_eq!(h["access-control-allow-origin"], "https://app.council.example");
    let exposed = h["access-control-expose-headers"].to_str().unwrap().to_lowercase();
    for header in ["etag", "retry-after", "x-request-id", "location", "www-authenticate"] {
        assert!(exposed.contains(header), "{header} is exposed: {exposed}");
    }
    let unlisted = app
        .client
        .get(format!("{}/api/v1/me", app.base))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert!(unlisted.headers().get("access-control-allow-origin").is_none());

    // None by default.
    let closed = spawn_app().await;
    let answer = closed
        .client
        .get(format!("{}/healthz", closed.base))
        .header("origin", "https://app.council.example")
        .send()
        .await
        .unwrap();
    assert!(answer.headers().get("access-control-allow-origin").is_none());
}
