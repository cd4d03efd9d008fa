//! Bad input gets problem+json with pointers, and changes nothing.

use serde_json::json;

use crate::helpers::{spawn_app, STRONG_PASSWORD};

#[tokio::test]
async fn weak_passwords_and_bad_phones_get_422_with_pointers() {
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let token = app.invite(&admin, "robin@school.example", "professional", Some("education")).await;

    for (password, code) in [("short", "too_short"), ("password1234", "too_weak"), ("robin@school.example", "too_weak")]
    {
        let res = app
            .post(
                "/api/v1/auth/register",
                None,
                json!({"token": token, "password": password, "channel": "sms", "phone": "07700 900777"}),
            )
            .await;
        assert_eq!(res.status, 422, "{password}");
        assert_eq!(res.header("content-type").as_deref(), Some("application/problem+json"));
        assert_eq!(res.body["errors"][0]["pointer"], "/password");
        assert_eq!(res.body["errors"][0]["code"], code);
        assert!(res.body["instance"].as_str().unwrap().starts_with("urn:request:"));
    }
    for phone in ["01709 382121", "+33 6 12 34 56 78", "07700 90077", "not a phone"] {
        let res = app
            .post(
                "/api/v1/auth/register",
                None,
                json!({"token": token, "password": STRONG_PASSWORD, "channel": "sms", "phone": phone}),
            )
            .await;
        assert_eq!(res.status, 422, "{phone}");
        assert_eq!(res.pointers(), vec!["/phone"], "{phone}");
    }
    let both =
        app.post("/api/v1/auth/register", None, json!({"token": token, "password": "short", "channel": "sms"})).await;
    assert_eq!(both.pointers(), vec!["/password", "/phone"]);
    let bad_channel = app
        .post("/api/v1/auth/register", None, json!({"token": token, "password": STRONG_PASSWORD, "channel": "pigeon"}))
        .await;
    assert_eq!(bad_channel.status, 422);
    assert_eq!(bad_channel.pointers(), vec!["/channel"]);

    // Nothing changed: the invitation still works.
    let ok = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"token": token, "password": STRONG_PASSWORD, "channel": "sms", "phone": "07700 900777"}),
        )
        .await;
    assert_eq!(ok.status, 201, "{:?}", ok.body);
}

#[tokio::test]
async fn malformed_requests_get_400_and_unknown_routes_404() {
    let app = spawn_app().await;
    let raw = app
        .client
        .post(format!("{}/api/v1/auth/login", app.base))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status().as_u16(), 400);
    assert_eq!(raw.headers()["content-type"], "application/problem+json");
    assert!(raw.headers().get("x-request-id").is_some());
    let wrong_type = app.client.post(format!("{}/api/v1/auth/login", app.base)).body("email=a").send().await.unwrap();
    assert_eq!(wrong_type.status().as_u16(), 400);
    let big = "x".repeat(400 * 1024);
    let too_big = app.post("/api/v1/auth/login", None, json!({"email": big, "password": "x"})).await;
    assert_eq!(too_big.status, 413);
    let missing = app.get("/api/v1/nothing-here", None).await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("content-type").as_deref(), Some("application/problem+json"));

    let with_id =
        app.client.get(format!("{}/healthz", app.base)).header("x-request-id", "caller-123").send().await.unwrap();
    assert_ne!(with_id.headers()["x-request-id"], "caller-123", "the server makes its own id");
    assert_eq!(with_id.headers()["x-client-request-id"], "caller-123", "the caller's is echoed apart");
    let evil = app.client.get(format!("{}/healthz", app.base)).header("x-request-id", "a\"b{}").send().await.unwrap();
    assert_ne!(evil.headers()["x-request-id"], "a\"b{}");
    assert!(evil.headers().get("x-client-request-id").is_none(), "an id with other characters is dropped");
}

#[tokio::test]
async fn a_wrong_method_on_a_known_path_answers_405_with_allow() {
    let app = spawn_app().await;
    let wrong = app.call(reqwest::Method::DELETE, "/api/v1/cases", None, None).await;
    assert_eq!(wrong.status, 405);
    assert_eq!(wrong.header("content-type").as_deref(), Some("application/problem+json"));
    let allow = wrong.header("allow").unwrap();
    assert!(allow.contains("GET") && allow.contains("POST") && !allow.contains("DELETE"), "{allow}");
    let on_an_id =
        app.call(reqwest::Method::PATCH, "/api/v1/documents/0193a5c2-7d1e-7c3a-9f4b-2e8d6a1b0c9f", None, None).await;
    assert_eq!(on_an_id.status, 405, "a path with an id is known too");
    assert!(on_an_id.header("allow").unwrap().contains("DELETE"));
    assert_eq!(app.call(reqwest::Method::DELETE, "/api/v1/no-such-thing", None, None).await.status, 404);

    let docs = app.client.get(format!("{}/docs", app.base)).send().await.unwrap();
    assert_eq!(docs.status().as_u16(), 200, "/docs leads to Swagger UI");
    assert!(docs.url().path().ends_with("/docs/"));
}

#[tokio::test]
async fn readiness_and_liveness() {
    let app = spawn_app().await;
    assert_eq!(app.get("/healthz", None).await.status, 200);
    assert_eq!(app.get("/readyz", None).await.status, 200);
    let docs = app.client.get(format!("{}/docs/", app.base)).send().await.unwrap();
    assert_eq!(docs.status().as_u16(), 200);
    assert!(docs.text().await.unwrap().contains("swagger"));
}

#[tokio::test]
async fn database_down_answers_503_with_retry_after() {
    if crate::helpers::backend() != crate::helpers::Backend::Postgres {
        return; // An SQLite file cannot go away under the hub; the PostgreSQL run covers this.
    }
    let app = spawn_app().await;
    assert_eq!(app.get("/readyz", None).await.status, 200);
    // Take the database away under the running hub.
    let admin_url = crate::helpers::pg_admin_url();
    let db_name = app.database_name.clone();
    tokio::task::spawn_blocking(move || {
        use diesel::{Connection, RunQueryDsl};
        let mut conn = diesel::PgConnection::establish(&admin_url).unwrap();
        diesel::sql_query(format!("DROP DATABASE {db_name} WITH (FORCE)")).execute(&mut conn).unwrap();
    })
    .await
    .unwrap();
    let ready = app.get("/readyz", None).await;
    assert_eq!(ready.status, 503, "{:?}", ready.body);
    assert!(ready.header("retry-after").is_some());
    let login =
        app.post("/api/v1/auth/login", None, json!({"email": "a@b.example", "password": STRONG_PASSWORD})).await;
    assert_eq!(login.status, 503, "{:?}", login.body);
    assert_eq!(login.header("content-type").as_deref(), Some("application/problem+json"));
}
