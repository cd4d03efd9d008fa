//! Partner systems: an administrator registers a client, the client gets a
//! token by the client-credentials grant (RFC 6749 §4.4), uses it within
//! its scopes, and stops the moment it is revoked.

use serde_json::{json, Value};

use crate::helpers::{spawn_app, Answer, TestApp};

pub async fn register(app: &TestApp, admin: &str, body: Value) -> Value {
    let res = app.post("/api/v1/api-clients", Some(admin), body).await;
    assert_eq!(res.status, 201, "{:?}", res.body);
    assert!(res.header("location").unwrap().ends_with(res.body["client"]["id"].as_str().unwrap()));
    res.body
}

/// The token endpoint's answer to a form, with or without HTTP Basic.
pub async fn token_form(app: &TestApp, basic: Option<(&str, &str)>, form: &[(&str, &str)]) -> Answer {
    let mut req = app.client.post(format!("{}/api/v1/oauth/token", app.base)).form(form);
    if let Some((id, secret)) = basic {
        req = req.basic_auth(id, Some(secret));
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let body = res.json().await.unwrap_or(Value::Null);
    Answer { status, headers, body }
}

pub async fn client_token(app: &TestApp, id: &str, secret: &str, scope: Option<&str>) -> String {
    let mut form = vec![("grant_type", "client_credentials")];
    if let Some(scope) = scope {
        form.push(("scope", scope));
    }
    let res = token_form(app, Some((id, secret)), &form).await;
    assert_eq!(res.status, 200, "{:?}", res.body);
    res.body["access_token"].as_str().unwrap().to_owned()
}

fn new_case() -> Value {
    json!({"given_name": "Robin", "family_name": "Ashdown", "date_of_birth": "2016-03-04",
        "request_received_on": "2026-11-02", "request_source": "school"})
}

#[tokio::test]
async fn a_council_system_gets_a_token_works_within_its_scopes_and_stops_when_revoked() {
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let officer = app.person(&admin, "officer@la.example", "assessment_officer", None, "07700 900060").await;
    let a = &admin.access;

    // Only administrators register clients; the secret is shown once.
    let by_officer = app
        .post(
            "/api/v1/api-clients",
            Some(&officer.session.access),
            json!({"name": "x", "contact_email": "ict@la.example", "scopes": ["cases:read"]}),
        )
        .await;
    assert_eq!(by_officer.status, 403);
    let made = register(
        &app,
        a,
        json!({"name": "Mosaic", "contact_email": "ict@la.example", "scopes": ["cases:read", "cases:write", "events:read"]}),
    )
    .await;
    let id = made["client"]["id"].as_str().unwrap().to_owned();
    let secret = made["client_secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("ehc_cs_"));
    let listed = app.get("/api/v1/api-clients", Some(a)).await;
    assert_eq!(listed.body["items"][0]["id"], id.as_str());
    assert!(!listed.body.to_string().contains(&secret), "the secret is never shown again");

    // client_secret_basic and client_secret_post both work.
    let basic = token_form(&app, Some((&id, &secret)), &[("grant_type", "client_credentials")]).await;
    assert_eq!(basic.status, 200, "{:?}", basic.body);
    assert_eq!(basic.body["token_type"], "Bearer");
    assert_eq!(basic.body["scope"], "cases:read cases:write events:read");
    assert_eq!(basic.header("cache-control").as_deref(), Some("no-store"));
    let posted = token_form(
        &app,
        None,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &id),
            ("client_secret", &secret),
            ("scope", "cases:read"),
        ],
    )
    .await;
    assert_eq!(posted.status, 200, "{:?}", posted.body);
    assert_eq!(posted.body["scope"], "cases:read");

    // RFC 6749 §5.2 refusals.
    let wrong = token_form(&app, Some((&id, "ehc_cs_wrong")), &[("grant_type", "client_credentials")]).await;
    assert_eq!((wrong.status, wrong.body["error"].as_str()), (401, Some("invalid_client")));
    assert!(wrong.header("www-authenticate").unwrap().starts_with("Basic"));
    let unknown =
        token_form(&app, Some((&uuid::Uuid::now_v7().to_string(), &secret)), &[("grant_type", "client_credentials")])
            .await;
    assert_eq!(unknown.body, wrong.body, "an unknown client reads like a wrong secret");
    let grant = token_form(&app, Some((&id, &secret)), &[("grant_type", "password")]).await;
    assert_eq!((grant.status, grant.body["error"].as_str()), (400, Some("unsupported_grant_type")));
    let beyond =
        token_form(&app, Some((&id, &secret)), &[("grant_type", "client_credentials"), ("scope", "reports:read")])
            .await;
    assert_eq!((beyond.status, beyond.body["error"].as_str()), (400, Some("invalid_scope")));
    let two_ways =
        token_form(&app, Some((&id, &secret)), &[("grant_type", "client_credentials"), ("client_secret", &secret)])
            .await;
    assert_eq!((two_ways.status, two_ways.body["error"].as_str()), (400, Some("invalid_request")));
    let missing = token_form(&app, Some((&id, &secret)), &[]).await;
    assert_eq!((missing.status, missing.body["error"].as_str()), (400, Some("invalid_request")));

    // Within its scopes the client is an officer of its council; its acts are its own in the audit log.
    let full = basic.body["access_token"].as_str().unwrap().to_owned();
    let case = app.post("/api/v1/cases", Some(&full), new_case()).await;
    assert_eq!(case.status, 201, "{:?}", case.body);
    let case_id = case.body["id"].as_str().unwrap();
    assert_eq!(app.get(&format!("/api/v1/cases/{case_id}"), Some(&full)).await.status, 200);
    let audit = app.get(&format!("/api/v1/cases/{case_id}/audit"), Some(&officer.session.access)).await;
    let created =
        audit.body["items"].as_array().unwrap().iter().find(|e| e["action"] == "case.create").unwrap().clone();
    assert_eq!(created["actor_user_id"], id.as_str());
    // A system is no caseworker: it is told by the feed, never by e-mail.
    let on_case = app.get(&format!("/api/v1/cases/{case_id}/participants"), Some(&officer.session.access)).await;
    assert!(!on_case.body.to_string().contains(&id), "{:?}", on_case.body);
    let decided = app
        .post(
            &format!("/api/v1/cases/{case_id}/decisions"),
            Some(&full),
            json!({"kind": "to_assess", "outcome": "yes", "decided_on": "2026-11-20"}),
        )
        .await;
    assert_eq!(decided.status, 201, "{:?}", decided.body);
    assert!(app
        .outbox_messages()
        .iter()
        .all(|m| !m["to"].as_str().unwrap_or_default().contains("api-clients.invalid")));

    // Without the scope: 403 naming it (RFC 6750 §3.1); not for clients at all: 403.
    let narrow = posted.body["access_token"].as_str().unwrap();
    let refused = app.post("/api/v1/cases", Some(narrow), new_case()).await;
    assert_eq!(refused.status, 403);
    assert_eq!(
        refused.header("www-authenticate").as_deref(),
        Some("Bearer error=\"insufficient_scope\", scope=\"cases:write\"")
    );
    assert_eq!(app.get("/api/v1/cases", Some(narrow)).await.status, 200);
    assert_eq!(app.get("/api/v1/users", Some(&full)).await.status, 403, "people's operations are not a client's");
    assert_eq!(app.get("/api/v1/me", Some(&full)).await.status, 403);
    assert_eq!(app.get("/api/v1/reports/timeliness", Some(&full)).await.status, 403);

    // Rotation: a second secret beside the first, a third refused, the old one removed.
    let second = app.post(&format!("/api/v1/api-clients/{id}/secrets"), Some(a), json!({})).await;
    assert_eq!(second.status, 201, "{:?}", second.body);
    let new_secret = second.body["client_secret"].as_str().unwrap().to_owned();
    client_token(&app, &id, &secret, None).await;
    client_token(&app, &id, &new_secret, None).await;
    assert_eq!(app.post(&format!("/api/v1/api-clients/{id}/secrets"), Some(a), json!({})).await.status, 409);
    let old_id = made["id"].as_str().unwrap();
    let removed =
        app.call(reqwest::Method::DELETE, &format!("/api/v1/api-clients/{id}/secrets/{old_id}"), Some(a), None).await;
    assert_eq!(removed.status, 204);
    let old = token_form(&app, Some((&id, &secret)), &[("grant_type", "client_credentials")]).await;
    assert_eq!(old.status, 401, "the removed secret no longer works");
    let after_rotation = client_token(&app, &id, &new_secret, None).await;

    // Revoked: every token it holds fails at once, and no new one is issued.
    let revoked = app.post(&format!("/api/v1/api-clients/{id}/revoke"), Some(a), json!({})).await;
    assert_eq!((revoked.status, revoked.body["status"].as_str()), (200, Some("revoked")));
    for token in [&full, &after_rotation] {
        assert_eq!(app.get("/api/v1/cases", Some(token)).await.status, 401);
    }
    assert_eq!(token_form(&app, Some((&id, &new_secret)), &[("grant_type", "client_credentials")]).await.status, 401);

    // A user's token is not a client's and a client's is not a user's: a
    // forged client token signed with another key fails as well.
    let user_as_client = app.get("/api/v1/events", Some(&officer.session.access)).await;
    assert_eq!(user_as_client.status, 200, "the feed takes an officer's token too");
    let professional = app.person(&admin, "gp@nhs.example", "professional", Some("health"), "07700 900061").await;
    assert_eq!(app.get("/api/v1/events", Some(&professional.session.access)).await.status, 403);
}

async fn organisation(app: &TestApp, officer: &str, name: &str, kind: &str) -> String {
    let org = app.post("/api/v1/organisations", Some(officer), json!({"name": name, "kind": kind})).await;
    assert_eq!(org.status, 201, "{:?}", org.body);
    org.body["id"].as_str().unwrap().to_owned()
}

async fn inbox(app: &TestApp, officer: &str, organisation_id: &str, name: &str) -> String {
    let team =
        app.post("/api/v1/teams", Some(officer), json!({"organisation_id": organisation_id, "name": name})).await;
    assert_eq!(team.status, 201, "{:?}", team.body);
    team.body["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn an_organisations_system_sees_its_own_inboxes_requests_and_nothing_else() {
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let officer = app.person(&admin, "officer@la.example", "assessment_officer", None, "07700 900062").await;
    let o = &officer.session.access;
    let trust = organisation(&app, o, "Northshire Community NHS Trust", "nhs_trust").await;
    let school = organisation(&app, o, "Oakfield Primary School", "school").await;
    let trust_inbox = inbox(&app, o, &trust, "Paediatric therapies").await;
    let school_inbox = inbox(&app, o, &school, "SEN team").await;
    let case = app.post("/api/v1/cases", Some(o), new_case()).await.body["id"].as_str().unwrap().to_owned();
    let other_case = app.post("/api/v1/cases", Some(o), new_case()).await.body["id"].as_str().unwrap().to_owned();
    let ask = |team: String| json!({"specialism": "health", "areas": ["health"], "addressee_team_id": team});
    let to_trust = app.post(&format!("/api/v1/cases/{case}/advice-requests"), Some(o), ask(trust_inbox)).await;
    assert_eq!(to_trust.status, 201, "{:?}", to_trust.body);
    let to_trust = to_trust.body["id"].as_str().unwrap().to_owned();
    let to_school =
        app.post(&format!("/api/v1/cases/{case}/advice-requests"), Some(o), ask(school_inbox.clone())).await;
    let to_school = to_school.body["id"].as_str().unwrap().to_owned();
    app.post(&format!("/api/v1/cases/{other_case}/advice-requests"), Some(o), ask(school_inbox)).await;

    // The council's own scopes are not an organisation's.
    let too_much = app
        .post("/api/v1/api-clients", Some(&admin.access), json!({"name": "Trust EPR", "contact_email": "epr@nhs.example", "scopes": ["cases:write"], "organisation_id": trust}))
        .await;
    assert_eq!((too_much.status, too_much.pointers()), (422, vec!["/scopes".to_owned()]));
    let made = register(
        &app,
        &admin.access,
        json!({"name": "Trust EPR", "contact_email": "epr@nhs.example", "organisation_id": trust,
            "scopes": ["cases:read", "advice-requests:read", "advice:read", "events:read"]}),
    )
    .await;
    assert_eq!(made["client"]["organisation_id"], trust.as_str());
    let token =
        client_token(&app, made["client"]["id"].as_str().unwrap(), made["client_secret"].as_str().unwrap(), None).await;

    let cases = app.get("/api/v1/cases", Some(&token)).await;
    let seen: Vec<&str> = cases.body["items"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(seen, vec![case.as_str()], "only the case its inbox takes part in");
    assert_eq!(app.get(&format!("/api/v1/cases/{other_case}"), Some(&token)).await.status, 404);
    let requests = app.get(&format!("/api/v1/cases/{case}/advice-requests"), Some(&token)).await;
    let listed: Vec<&str> =
        requests.body["items"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(listed, vec![to_trust.as_str()], "never another organisation's request");
    assert_eq!(app.get(&format!("/api/v1/advice-requests/{to_trust}/advice/versions"), Some(&token)).await.status, 200);
    assert_eq!(
        app.get(&format!("/api/v1/advice-requests/{to_school}/advice/versions"), Some(&token)).await.status,
        404
    );

    let feed = app.get("/api/v1/events", Some(&token)).await;
    let events: Vec<(&str, &str)> = feed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["type"].as_str().unwrap(), e["advice_request_id"].as_str().unwrap()))
        .collect();
    assert_eq!(events, vec![("advice_request.issued", to_trust.as_str())]);
    let council_feed = app.get("/api/v1/events", Some(o)).await;
    assert_eq!(council_feed.body["items"].as_array().unwrap().len(), 5, "the council's feed has every event");
}
