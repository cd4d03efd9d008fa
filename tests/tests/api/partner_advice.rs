//! An organisation's system writes advice for one of its practitioners
//! (`On-Behalf-Of`): saved, submitted, locked and versioned as theirs,
//! exactly as in the app, and audited with the system as the actor.

use serde_json::json;

use crate::advice_flow::complete_advice;
use crate::helpers::{spawn_app, Answer, TestApp};
use crate::partners::{client_token, register};

async fn as_practitioner(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
    practitioner: &str,
    if_match: Option<&str>,
    body: Option<serde_json::Value>,
) -> Answer {
    let mut req = app.client.request(method, format!("{}{path}", app.base)).bearer_auth(token);
    req = req.header("On-Behalf-Of", practitioner);
    if let Some(tag) = if_match {
        req = req.header("If-Match", tag);
    }
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.unwrap();
    let (status, headers) = (res.status().as_u16(), res.headers().clone());
    Answer { status, headers, body: res.json().await.unwrap_or_default() }
}

#[tokio::test]
async fn an_organisations_system_writes_advice_as_its_practitioner() {
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let officer = app.person(&admin, "officer@la.example", "assessment_officer", None, "07700 900090").await;
    let o = &officer.session.access;
    let org = app
        .post(
            "/api/v1/organisations",
            Some(o),
            json!({"name": "Northshire Children's Services", "kind": "social_care_team"}),
        )
        .await;
    let org = org.body["id"].as_str().unwrap().to_owned();
    let sw = app
        .person_at(&officer.session, &org, "sw@care.example", "professional", Some("social_care"), "07700 900091")
        .await;
    let case = app
        .post(
            "/api/v1/cases",
            Some(o),
            json!({"given_name": "Tamsin", "family_name": "Polglase", "date_of_birth": "2015-03-01",
            "request_received_on": "2026-11-02", "request_source": "school", "looked_after": true}),
        )
        .await;
    let case = case.body["id"].as_str().unwrap().to_owned();
    let asked = app
        .post(
            &format!("/api/v1/cases/{case}/advice-requests"),
            Some(o),
            json!({"specialism": "social_care", "areas": ["social_care"], "addressee_user_id": sw.id}),
        )
        .await;
    let request = asked.body["id"].as_str().unwrap().to_owned();
    let made = register(&app, &admin.access, json!({"name": "Care system", "contact_email": "ict@care.example", "organisation_id": org, "scopes": ["advice:read", "advice:write", "cases:read"]})).await;
    let client_id = made["client"]["id"].as_str().unwrap().to_owned();
    let token = client_token(&app, &client_id, made["client_secret"].as_str().unwrap(), None).await;
    let advice = format!("/api/v1/advice-requests/{request}/advice");

    // By itself the system sees its inboxes only: this request is the practitioner's.
    assert_eq!(app.get(&advice, Some(&token)).await.status, 404);
    // It acts only for its own organisation's practitioners, and only on advice.
    let officer_id = app.get("/api/v1/me", Some(o)).await.body["id"].as_str().unwrap().to_owned();
    let stranger = as_practitioner(&app, reqwest::Method::GET, &advice, &token, &officer_id, None, None).await;
    assert_eq!(stranger.status, 403);
    let on_cases = as_practitioner(&app, reqwest::Method::GET, "/api/v1/cases", &token, &sw.id, None, None).await;
    assert_eq!(on_cases.status, 403);

    let draft = as_practitioner(&app, reqwest::Method::GET, &advice, &token, &sw.id, None, None).await;
    assert_eq!(draft.status, 200, "{:?}", draft.body);
    let tag = draft.header("etag").unwrap();
    let saved =
        as_practitioner(&app, reqwest::Method::PUT, &advice, &token, &sw.id, Some(&tag), Some(complete_advice())).await;
    assert_eq!(saved.status, 200, "{:?}", saved.body);
    let submitted = as_practitioner(
        &app,
        reqwest::Method::POST,
        &format!("{advice}/submit"),
        &token,
        &sw.id,
        None,
        Some(json!({})),
    )
    .await;
    assert_eq!(submitted.status, 200, "{:?}", submitted.body);
    assert_eq!(submitted.body["status"], "submitted");

    // Locked as the app locks it: the system cannot change it now either.
    let tag = submitted.header("etag").unwrap();
    let locked =
        as_practitioner(&app, reqwest::Method::PUT, &advice, &token, &sw.id, Some(&tag), Some(complete_advice())).await;
    assert_eq!(locked.status, 409);
    // The officer reads the published advice; the version is the practitioner's.
    assert_eq!(app.get(&advice, Some(o)).await.body["status"], "submitted");
    let versions = app
        .state
        .db
        .transaction::<_, ehc_storage::StorageError>(|conn| {
            ehc_storage::casework::advice::versions(conn, &request, true)
        })
        .unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0].submitted_by, sw.id, "written for the practitioner");
    // The audit log names the system as the actor.
    let audit = app.get(&format!("/api/v1/cases/{case}/audit?limit=200"), Some(o)).await;
    let submit =
        audit.body["items"].as_array().unwrap().iter().find(|e| e["action"] == "advice.submit").unwrap().clone();
    assert_eq!(submit["actor_user_id"], client_id.as_str());

    // A person acts for nobody; a malformed id is refused whoever sends it.
    let by_person = as_practitioner(&app, reqwest::Method::GET, &advice, o, &sw.id, None, None).await;
    assert_eq!(by_person.status, 403);
    let malformed = as_practitioner(&app, reqwest::Method::GET, &advice, &token, "sw@care.example", None, None).await;
    assert_eq!(malformed.status, 400);

    // A council's own system acts for nobody.
    let council = register(
        &app,
        &admin.access,
        json!({"name": "CMS", "contact_email": "ict@la.example", "scopes": ["advice:read"]}),
    )
    .await;
    let council_token =
        client_token(&app, council["client"]["id"].as_str().unwrap(), council["client_secret"].as_str().unwrap(), None)
            .await;
    let refused = as_practitioner(&app, reqwest::Method::GET, &advice, &council_token, &sw.id, None, None).await;
    assert_eq!(refused.status, 403);
}
