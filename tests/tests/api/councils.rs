//! One account across councils (finding 11 and the cross-council account):
//! an invitation to an address with an account answers exactly as for a new
//! one, the person accepts it after logging in, works in both councils with
//! one login, and each council sees and disables only its own membership.

use serde_json::{json, Value};

use crate::helpers::spawn_app;

fn invite_body(email: &str) -> Value {
    json!({"email": email, "name": "Robin Example", "role": "professional", "specialism": "educational_psychology"})
}

fn shape(v: &Value) -> Vec<String> {
    let mut keys: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

#[tokio::test]
async fn one_account_works_for_two_councils_and_each_sees_only_its_own() {
    let app = spawn_app().await;
    let admin_a = app.admin("admin@testshire.example", "Testshire County Council").await;
    let officer_a = app.person(&admin_a, "officer@testshire.example", "assessment_officer", None, "07700 900130").await;
    let ep = app
        .person(
            &officer_a.session,
            "ep@psychology.example",
            "professional",
            Some("educational_psychology"),
            "07700 900131",
        )
        .await;
    let admin_b = app.admin("admin@otherton.example", "Otherton Borough Council").await;
    let officer_b = app.person(&admin_b, "officer@otherton.example", "assessment_officer", None, "07700 900132").await;
    let (a, b) = (&officer_a.session.access, &officer_b.session.access);

    // Council B invites the psychologist's address and a new one: alike.
    let existing = app.post("/api/v1/invitations", Some(b), invite_body("ep@psychology.example")).await;
    let fresh = app.post("/api/v1/invitations", Some(b), invite_body("new@psychology.example")).await;
    assert_eq!((existing.status, fresh.status), (201, 201), "{:?}", existing.body);
    assert_eq!(shape(&existing.body), shape(&fresh.body), "nothing says the address has an account elsewhere");
    assert_eq!(existing.body["email"], "ep@psychology.example");
    let pending = app.get("/api/v1/invitations", Some(b)).await;
    assert_eq!(pending.body["items"].as_array().unwrap().len(), 2, "both listed pending alike");
    let told = app.last_message_to("ep@psychology.example", "email");
    let text = told["body"].as_str().unwrap();
    assert!(text.contains("Otherton Borough Council") && text.contains("account you already have"), "{text}");
    assert!(!text.contains("token="), "no sign-up link for an existing account");
    assert!(!text.contains("Testshire"), "the other council is never named");

    let me = app.get("/api/v1/me", Some(&ep.session.access)).await;
    assert_eq!(me.body["memberships"].as_array().unwrap().len(), 1);
    assert_eq!(me.body["invitations"][0]["local_authority"]["name"], "Otherton Borough Council");
    let invitation = me.body["invitations"][0]["id"].as_str().unwrap().to_owned();
    let accept = format!("/api/v1/me/invitations/{invitation}/accept");
    assert_eq!(app.post(&accept, Some(&officer_a.session.access), json!({})).await.status, 404, "not theirs");
    assert_eq!(app.post(&accept, Some(&ep.session.access), json!({})).await.status, 204);
    assert_eq!(app.post(&accept, Some(&ep.session.access), json!({})).await.status, 404, "once");
    let me = app.get("/api/v1/me", Some(&ep.session.access)).await;
    let councils: Vec<&str> = me.body["memberships"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["local_authority"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(councils, ["Testshire County Council", "Otherton Borough Council"]);
    assert_eq!(me.body["local_authority"]["name"], "Testshire County Council", "the session still acts for A");

    // Each council asks for advice on its own case.
    let case = |token: &str, name: &str| {
        let app = &app;
        let token = token.to_owned();
        let body = json!({"given_name": name, "family_name": "Example", "date_of_birth": "2016-02-02",
            "request_received_on": "2026-11-02", "request_source": "school"});
        async move { app.post("/api/v1/cases", Some(&token), body).await.body["id"].as_str().unwrap().to_owned() }
    };
    let (case_a, case_b) = (case(a, "Araminta").await, case(b, "Barnaby").await);
    for (token, case_id) in [(a, &case_a), (b, &case_b)] {
        let req = app
            .post(&format!("/api/v1/cases/{case_id}/advice-requests"), Some(token), json!({"specialism": "educational_psychology", "areas": ["sen_cognition_and_learning"], "addressee_user_id": ep.id}))
            .await;
        assert_eq!(req.status, 201, "{:?}", req.body);
    }
    let mine = app.get("/api/v1/me/requests", Some(&ep.session.access)).await;
    let mut named: Vec<&str> =
        mine.body["items"].as_array().unwrap().iter().map(|r| r["local_authority"]["name"].as_str().unwrap()).collect();
    named.sort();
    assert_eq!(named, ["Otherton Borough Council", "Testshire County Council"], "one list across both councils");

    // One council at a time: acting for A, B's case is not there.
    let ep_token = &ep.session.access;
    assert_eq!(app.get(&format!("/api/v1/cases/{case_b}"), Some(ep_token)).await.status, 404);
    let b_id = me.body["memberships"][1]["local_authority"]["id"].as_str().unwrap().to_owned();
    let switched = app.put_json("/api/v1/me/council", ep_token, None, json!({"local_authority_id": b_id})).await;
    assert_eq!(switched.status, 200, "{:?}", switched.body);
    assert_eq!(switched.body["local_authority"]["name"], "Otherton Borough Council");
    assert_eq!(app.get(&format!("/api/v1/cases/{case_b}"), Some(ep_token)).await.status, 200);
    assert_eq!(app.get(&format!("/api/v1/cases/{case_a}"), Some(ep_token)).await.status, 404);
    let unknown =
        app.put_json("/api/v1/me/council", &officer_a.session.access, None, json!({"local_authority_id": b_id})).await;
    assert_eq!(unknown.status, 422, "only a council you work for");

    // Each administrator sees the person as their council knows them.
    for admin in [&admin_a, &admin_b] {
        let users = app.get("/api/v1/users?limit=200", Some(&admin.access)).await;
        assert!(users.body["items"].as_array().unwrap().iter().any(|u| u["id"] == ep.id.as_str()));
    }
    // B ends its membership: B's cases close at once, A's stay open.
    assert_eq!(
        app.post(&format!("/api/v1/users/{}/disable", ep.id), Some(&admin_b.access), json!({})).await.status,
        204
    );
    assert_eq!(app.get(&format!("/api/v1/cases/{case_b}"), Some(ep_token)).await.status, 404);
    assert_eq!(
        app.get(&format!("/api/v1/cases/{case_a}"), Some(ep_token)).await.status,
        200,
        "the session goes on in A"
    );
    let mine = app.get("/api/v1/me/requests", Some(ep_token)).await;
    assert_eq!(mine.body["items"].as_array().unwrap().len(), 1, "B's work is gone from the list");
    let users_a = app.get("/api/v1/users?limit=200", Some(&admin_a.access)).await;
    let in_a = users_a.body["items"].as_array().unwrap().iter().find(|u| u["id"] == ep.id.as_str()).unwrap().clone();
    assert_eq!(in_a["status"], "active", "A's membership is untouched");
    let again = app.put_json("/api/v1/me/council", ep_token, None, json!({"local_authority_id": b_id})).await;
    assert_eq!(again.status, 422, "a disabled membership cannot be chosen");
}

#[tokio::test]
async fn a_person_edits_their_name_for_all_and_their_job_title_per_council() {
    let app = spawn_app().await;
    let admin = app.admin("admin@testshire.example", "Testshire County Council").await;
    let pro = app.professional(&admin, "ep@psychology.example", "07700 900133").await;
    let edited = app
        .call(
            reqwest::Method::PATCH,
            "/api/v1/me",
            Some(&pro.access),
            Some(json!({"name": "  Robin Q. Example ", "job_title": "Senior EP"})),
        )
        .await;
    assert_eq!(edited.status, 200, "{:?}", edited.body);
    assert_eq!(
        (edited.body["name"].clone(), edited.body["job_title"].clone()),
        (json!("Robin Q. Example"), json!("Senior EP"))
    );
    let cleared =
        app.call(reqwest::Method::PATCH, "/api/v1/me", Some(&pro.access), Some(json!({"job_title": null}))).await;
    assert_eq!(cleared.body["job_title"], Value::Null);
    assert_eq!(cleared.body["name"], "Robin Q. Example", "what was not given stays");
    let bad =
        app.call(reqwest::Method::PATCH, "/api/v1/me", Some(&pro.access), Some(json!({"name": "\u{202e}evil"}))).await;
    assert_eq!(bad.status, 422);
    let unknown =
        app.call(reqwest::Method::PATCH, "/api/v1/me", Some(&pro.access), Some(json!({"role": "administrator"}))).await;
    assert_eq!(unknown.status, 422, "nobody edits their own role");
    assert_eq!(unknown.pointers(), ["/role"], "the unknown field is named");
}
