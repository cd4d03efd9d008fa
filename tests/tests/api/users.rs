//! Administrators list and disable users; invitations are scoped to the LA.

use serde_json::json;

use crate::helpers::{spawn_app, STRONG_PASSWORD};

#[tokio::test]
async fn a_disabled_users_token_stops_working_at_once() {
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let pro = app.professional(&admin, "pro@school.example", "07700 900555").await;
    assert_eq!(app.get("/api/v1/me", Some(&pro.access)).await.status, 200);

    let list = app.get("/api/v1/users?limit=1", Some(&admin.access)).await;
    assert_eq!(list.status, 200);
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
    let next = list.body["next_cursor"].as_str().unwrap().to_owned();
    let page2 = app.get(&format!("/api/v1/users?limit=1&cursor={next}"), Some(&admin.access)).await;
    let pro_row = &page2.body["items"][0];
    assert_eq!(pro_row["email"], "pro@school.example");
    assert!(page2.body["next_cursor"].is_null());
    assert!(pro_row.get("phone").is_none() && !page2.body.to_string().contains("900555"));

    let forbidden = app
        .post(&format!("/api/v1/users/{}/disable", pro_row["id"].as_str().unwrap()), Some(&pro.access), json!({}))
        .await;
    assert_eq!(forbidden.status, 403);
    let disabled = app
        .post(&format!("/api/v1/users/{}/disable", pro_row["id"].as_str().unwrap()), Some(&admin.access), json!({}))
        .await;
    assert_eq!(disabled.status, 204);
    assert_eq!(app.get("/api/v1/me", Some(&pro.access)).await.status, 401);
    assert_eq!(app.post("/api/v1/auth/refresh", None, json!({"refresh_token": pro.refresh})).await.status, 401);
    assert_eq!(
        app.post("/api/v1/auth/login", None, json!({"email": "pro@school.example", "password": STRONG_PASSWORD}))
            .await
            .status,
        401
    );

    // Enabled again: a new login works; the old session stays ended.
    let id = pro_row["id"].as_str().unwrap();
    assert_eq!(app.post(&format!("/api/v1/users/{id}/enable"), Some(&pro.access), json!({})).await.status, 401);
    assert_eq!(app.post(&format!("/api/v1/users/{id}/enable"), Some(&admin.access), json!({})).await.status, 204);
    assert_eq!(app.get("/api/v1/me", Some(&pro.access)).await.status, 401, "the old session stays ended");
    let back =
        app.post("/api/v1/auth/login", None, json!({"email": "pro@school.example", "password": STRONG_PASSWORD})).await;
    assert_eq!(back.status, 200, "{:?}", back.body);
}

#[tokio::test]
async fn invitations_are_scoped_replaced_and_revocable() {
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let other_la = app.admin("admin@other.example", "Otherborough Council").await;

    let first = app.invite(&admin, "new@school.example", "professional", Some("health")).await;
    let second = app.invite(&admin, "new@school.example", "professional", Some("health")).await;
    assert_ne!(first, second);
    let stale = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"token": first, "password": STRONG_PASSWORD, "channel": "sms", "phone": "07700 900666"}),
        )
        .await;
    assert_eq!(stale.status, 409, "inviting again replaces the earlier link");

    let pending = app.get("/api/v1/invitations", Some(&admin.access)).await;
    let items = pending.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    let id = items[0]["id"].as_str().unwrap().to_owned();
    assert!(app.get("/api/v1/invitations", Some(&other_la.access)).await.body["items"].as_array().unwrap().is_empty());
    let elsewhere =
        app.call(reqwest::Method::DELETE, &format!("/api/v1/invitations/{id}"), Some(&other_la.access), None).await;
    assert_eq!(elsewhere.status, 404, "another LA's invitation does not exist for you");

    let preview = app.post("/api/v1/invitations/inspect", None, json!({"token": second})).await;
    assert_eq!(preview.status, 200);
    assert_eq!(preview.body["organisation"], "Testshire County Council");

    assert_eq!(
        app.call(reqwest::Method::DELETE, &format!("/api/v1/invitations/{id}"), Some(&admin.access), None).await.status,
        204
    );
    let revoked = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"token": second, "password": STRONG_PASSWORD, "channel": "sms", "phone": "07700 900666"}),
        )
        .await;
    assert_eq!(revoked.status, 409);
    let unknown = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"token": "no-such-token", "password": STRONG_PASSWORD, "channel": "sms", "phone": "07700 900666"}),
        )
        .await;
    assert_eq!(unknown.status, 404);

    let pro = app.professional(&admin, "pro@school.example", "07700 900667").await;
    let not_staff = app
        .post(
            "/api/v1/invitations",
            Some(&pro.access),
            json!({"email": "x@y.example", "name": "X", "role": "parent_carer"}),
        )
        .await;
    assert_eq!(not_staff.status, 403);
}

#[tokio::test]
async fn invitation_e_mails_carry_no_personal_details_beyond_the_link() {
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let body = json!({"email": "parent@family.example", "name": "Zebedee Quixote", "role": "parent_carer"});
    assert_eq!(app.post("/api/v1/invitations", Some(&admin.access), body).await.status, 201);
    let mail = app.last_message_to("parent@family.example", "email");
    let text = format!("{} {}", mail["subject"], mail["body"]);
    assert!(!text.contains("Zebedee") && !text.contains("Quixote"), "{text}");
    assert!(text.contains("http://hub.test/invitations/accept?token="));
    assert!(mail["created_at"].as_str().is_some());
}
