//! Findings 4 and 5 of the access probe: what moves with a reassignment
//! (the draft follows, audited, the previous author told; nobody endorses
//! advice they wrote or edited), and what a team role grants (that team's
//! requests, nothing else on the case; the team's manager hears of changes).

use serde_json::json;

use crate::advice_flow::{complete_advice, request_to, world, World};
use crate::people::Person;
use crate::team_inboxes::{member, team};

async fn assign(w: &World, by: &Person, request: &str, to: &Person) {
    let res = w
        .app
        .post(&format!("/api/v1/advice-requests/{request}/assign"), Some(&by.session.access), json!({"user_id": to.id}))
        .await;
    assert_eq!(res.status, 200, "{:?}", res.body);
}

async fn save(w: &World, who: &Person, request: &str) {
    let path = format!("/api/v1/advice-requests/{request}/advice");
    let tag = w.app.get(&path, Some(&who.session.access)).await.header("etag").unwrap();
    let saved = w.app.put_json(&path, &who.session.access, Some(&tag), complete_advice()).await;
    assert_eq!(saved.status, 200, "{:?}", saved.body);
}

#[tokio::test]
async fn a_draft_follows_a_reassignment_openly_and_no_editor_endorses_it() {
    let w = world().await;
    let app = &w.app;
    let o = &w.officer.session;
    let dsco = app.person(o, "dsco@care.example", "coordinator", Some("social_care"), "07700 900120").await;
    let manager = app.person(o, "tm@care.example", "team_manager", Some("social_care"), "07700 900121").await;
    let deputy = app.person(o, "dtm@care.example", "team_manager", Some("social_care"), "07700 900122").await;
    let team = team(&w, "DSCO").await;
    member(&w, &team, &dsco.id, "coordinator").await;
    member(&w, &team, &manager.id, "manager").await;
    member(&w, &team, &deputy.id, "manager").await;
    member(&w, &team, &w.pro.id, "member").await;
    let id = request_to(&w, json!({"specialism": "social_care", "areas": ["social_care"], "addressee_team_id": team, "requires_endorsement": true})).await;
    let path = format!("/api/v1/advice-requests/{id}/advice");

    assign(&w, &dsco, &id, &w.pro).await;
    save(&w, &w.pro, &id).await;
    // The social worker leaves the case: the draft goes to the manager.
    assign(&w, &dsco, &id, &manager).await;
    let handed = app.get(&path, Some(&manager.session.access)).await;
    assert_eq!(handed.status, 200);
    assert_eq!(handed.body["content"]["details"], "Known to the team since 2022.", "the draft followed the request");
    assert_eq!(app.get(&path, Some(&w.pro.session.access)).await.status, 404, "no longer the previous author's");
    app.wait_for_message("sw@care.example", "assigned to a colleague").await;
    app.wait_for_message("tm@care.example", "has been assigned to you").await;
    let audit = app.get(&format!("/api/v1/cases/{}/audit", w.case_id), Some(&o.access)).await;
    let actions: Vec<&str> =
        audit.body["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert!(actions.contains(&"advice.draft_handed_over"), "{actions:?}");

    // The manager changes it, then it goes back to the social worker, who submits.
    save(&w, &manager, &id).await;
    assign(&w, &dsco, &id, &w.pro).await;
    let sent = app.post(&format!("{path}/submit"), Some(&w.pro.session.access), json!({})).await;
    assert_eq!(sent.body["status"], "awaiting_endorsement", "{:?}", sent.body);
    let own = app.post(&format!("{path}/endorse"), Some(&manager.session.access), json!({})).await;
    assert_eq!(own.status, 403, "the manager edited this advice: not theirs to endorse");
    let asked = app.get("/api/v1/me/requests", Some(&manager.session.access)).await;
    assert!(!asked.body.to_string().contains("\"endorse\""), "nor are they asked to: {:?}", asked.body);
    let endorsed = app.post(&format!("{path}/endorse"), Some(&deputy.session.access), json!({})).await;
    assert_eq!(endorsed.status, 200, "another manager, who did not edit it, may: {:?}", endorsed.body);
}

#[tokio::test]
async fn a_team_role_reaches_that_teams_requests_and_nothing_else_on_the_case() {
    let w = world().await;
    let app = &w.app;
    let o = &w.officer.session;
    // The social worker answers in person; a health team inbox is also asked.
    let social =
        request_to(&w, json!({"specialism": "social_care", "areas": ["social_care"], "addressee_user_id": w.pro.id}))
            .await;
    let path = format!("/api/v1/advice-requests/{social}/advice");
    let tag = app.get(&path, Some(&w.pro.session.access)).await.header("etag").unwrap();
    assert_eq!(app.put_json(&path, &w.pro.session.access, Some(&tag), complete_advice()).await.status, 200);
    assert_eq!(app.post(&format!("{path}/submit"), Some(&w.pro.session.access), json!({})).await.status, 200);

    let therapist = app.person(o, "slt@nhs.example", "professional", Some("health"), "07700 900123").await;
    let lead = app.person(o, "lead@nhs.example", "team_manager", Some("health"), "07700 900124").await;
    let health = team(&w, "Therapies").await;
    member(&w, &health, &lead.id, "manager").await;
    let therapies =
        request_to(&w, json!({"specialism": "health", "areas": ["health"], "addressee_team_id": health})).await;
    let case = format!("/api/v1/cases/{}", w.case_id);
    assert_eq!(app.get(&case, Some(&therapist.session.access)).await.status, 404, "on no case yet");

    // Made the team's coordinator: the team's request, and only that.
    member(&w, &health, &therapist.id, "coordinator").await;
    app.wait_for_message("lead@nhs.example", "role in the team inbox").await;
    let t = &therapist.session.access;
    assert_eq!(app.get(&case, Some(t)).await.status, 200, "the case its team is asked on");
    let listed = app.get(&format!("{case}/advice-requests"), Some(t)).await;
    let ids: Vec<&str> = listed.body["items"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [therapies.as_str()], "only the team's own request");
    assert_eq!(
        app.get(&format!("/api/v1/advice-requests/{therapies}/advice"), Some(t)).await.status,
        404,
        "no draft yet"
    );
    assert_eq!(app.get(&path, Some(t)).await.status, 404, "another request's published advice is not the team's");
    assert_eq!(app.get(&format!("/api/v1/advice-requests/{social}/documents"), Some(t)).await.status, 404);
    // The officer and the social worker on the case in person still see it.
    assert_eq!(app.get(&path, Some(&o.access)).await.status, 200);
}
