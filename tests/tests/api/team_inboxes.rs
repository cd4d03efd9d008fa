//! Team inboxes (seed 000): a coordinator assigns, a manager endorses or
//! returns, and each is offered only what the access model lets them do.

use serde_json::json;

use crate::advice_flow::{complete_advice, request_to, world, World};

pub(crate) async fn team(w: &World, name: &str) -> String {
    let org = w
        .app
        .post(
            "/api/v1/organisations",
            Some(&w.officer.session.access),
            json!({"name": "Children's Social Care", "kind": "social_care_team"}),
        )
        .await;
    let team = w
        .app
        .post(
            "/api/v1/teams",
            Some(&w.officer.session.access),
            json!({"organisation_id": org.body["id"], "name": name}),
        )
        .await;
    assert_eq!(team.status, 201, "{:?}", team.body);
    team.body["id"].as_str().unwrap().to_owned()
}

pub(crate) async fn member(w: &World, team: &str, user: &str, role: &str) {
    let res = w
        .app
        .put_json(
            &format!("/api/v1/teams/{team}/members/{user}"),
            &w.officer.session.access,
            None,
            json!({"team_role": role}),
        )
        .await;
    assert_eq!(res.status, 200, "{:?}", res.body);
}

#[tokio::test]
async fn a_team_inbox_coordinator_assigns_and_a_manager_endorses_or_returns() {
    let w = world().await;
    let app = &w.app;
    let dsco =
        app.person(&w.officer.session, "dsco@care.example", "coordinator", Some("social_care"), "07700 900020").await;
    let manager =
        app.person(&w.officer.session, "tm@care.example", "team_manager", Some("social_care"), "07700 900021").await;
    let team = team(&w, "DSCO").await;
    member(&w, &team, &dsco.id, "coordinator").await;
    member(&w, &team, &manager.id, "manager").await;
    member(&w, &team, &w.pro.id, "member").await;

    let id = request_to(&w, json!({"specialism": "social_care", "areas": ["social_care"], "addressee_team_id": team, "requires_endorsement": true})).await;
    let inbox = app.get("/api/v1/me/requests", Some(&dsco.session.access)).await;
    assert_eq!(inbox.body["items"][0]["action"], "assign");
    assert_eq!(
        app.get(&format!("/api/v1/advice-requests/{id}/advice"), Some(&w.pro.session.access)).await.status,
        404,
        "not yet assigned: nothing to read"
    );

    let by_pro = app
        .post(
            &format!("/api/v1/advice-requests/{id}/assign"),
            Some(&w.pro.session.access),
            json!({"user_id": w.pro.id}),
        )
        .await;
    assert_eq!(by_pro.status, 403);
    let outsider = app
        .post(
            &format!("/api/v1/advice-requests/{id}/assign"),
            Some(&dsco.session.access),
            json!({"user_id": w.officer.id}),
        )
        .await;
    assert_eq!(outsider.status, 422, "only team members can be assigned");
    let assigned = app
        .post(&format!("/api/v1/advice-requests/{id}/assign"), Some(&dsco.session.access), json!({"user_id": w.pro.id}))
        .await;
    assert_eq!(assigned.status, 200, "{:?}", assigned.body);
    assert_eq!(
        app.get("/api/v1/me/requests", Some(&w.pro.session.access)).await.body["items"][0]["action"],
        "provide_advice"
    );

    let path = format!("/api/v1/advice-requests/{id}/advice");
    let tag = app.get(&path, Some(&w.pro.session.access)).await.header("etag").unwrap();
    assert_eq!(app.put_json(&path, &w.pro.session.access, Some(&tag), complete_advice()).await.status, 200);
    let sent = app.post(&format!("{path}/submit"), Some(&w.pro.session.access), json!({})).await;
    assert_eq!(sent.body["status"], "awaiting_endorsement");
    assert_eq!(
        app.get(&format!("/api/v1/cases/{}/advice-requests", w.case_id), Some(&w.officer.session.access)).await.body
            ["items"][0]["status"],
        "open",
        "not published yet"
    );
    assert_eq!(
        app.get(&path, Some(&w.officer.session.access)).await.status,
        404,
        "unpublished advice is not the officer's to read"
    );
    assert_eq!(
        app.get("/api/v1/me/requests", Some(&manager.session.access)).await.body["items"][0]["action"],
        "endorse"
    );

    assert_eq!(
        app.post(&format!("{path}/endorse"), Some(&w.pro.session.access), json!({})).await.status,
        403,
        "no self-endorsement"
    );
    let returned = app
        .post(&format!("{path}/return"), Some(&manager.session.access), json!({"reason": "Quantify the provision."}))
        .await;
    assert_eq!(returned.status, 200, "{:?}", returned.body);
    let back = app.get(&path, Some(&w.pro.session.access)).await;
    assert_eq!(back.body["status"], "returned");
    assert_eq!(back.body["status_reason"], "Quantify the provision.");
    assert_eq!(
        app.put_json(&path, &w.pro.session.access, Some(&back.header("etag").unwrap()), complete_advice()).await.status,
        200
    );
    assert_eq!(app.post(&format!("{path}/submit"), Some(&w.pro.session.access), json!({})).await.status, 200);
    let endorsed = app.post(&format!("{path}/endorse"), Some(&manager.session.access), json!({})).await;
    assert_eq!(endorsed.status, 200, "{:?}", endorsed.body);
    assert_eq!(endorsed.body["status"], "submitted");
    let officer_view = app.get(&path, Some(&w.officer.session.access)).await;
    assert_eq!(officer_view.status, 200);
    assert_eq!(officer_view.body["version"], 2);
    assert_eq!(
        app.get(&format!("/api/v1/cases/{}/advice-requests", w.case_id), Some(&w.officer.session.access)).await.body
            ["items"][0]["status"],
        "completed"
    );

    let versions = app.get(&format!("{path}/versions"), Some(&w.officer.session.access)).await;
    assert_eq!(versions.body["items"].as_array().unwrap().len(), 1, "only the endorsed version was published");
    assert_eq!(versions.body["items"][0]["endorsed"], true);
}

/// The coordinator screens and assigns; endorsing is the manager's. While the
/// advice waits for the manager, the coordinator is not asked to endorse it,
/// cannot read it, and is refused if they try.
#[tokio::test]
async fn a_coordinator_is_not_asked_to_endorse_what_waits_for_the_manager() {
    let w = world().await;
    let app = &w.app;
    let dsco =
        app.person(&w.officer.session, "dsco2@care.example", "coordinator", Some("social_care"), "07700 900040").await;
    let manager =
        app.person(&w.officer.session, "tm2@care.example", "team_manager", Some("social_care"), "07700 900041").await;
    let team = team(&w, "Screening").await;
    member(&w, &team, &dsco.id, "coordinator").await;
    member(&w, &team, &manager.id, "manager").await;
    member(&w, &team, &w.pro.id, "member").await;
    let id = request_to(&w, json!({"specialism": "social_care", "areas": ["social_care"], "addressee_team_id": team, "requires_endorsement": true})).await;
    let assigned = app
        .post(&format!("/api/v1/advice-requests/{id}/assign"), Some(&dsco.session.access), json!({"user_id": w.pro.id}))
        .await;
    assert_eq!(assigned.status, 200, "{:?}", assigned.body);
    let path = format!("/api/v1/advice-requests/{id}/advice");
    let tag = app.get(&path, Some(&w.pro.session.access)).await.header("etag").unwrap();
    assert_eq!(app.put_json(&path, &w.pro.session.access, Some(&tag), complete_advice()).await.status, 200);
    let sent = app.post(&format!("{path}/submit"), Some(&w.pro.session.access), json!({})).await;
    assert_eq!(sent.body["status"], "awaiting_endorsement");

    let coordinator_inbox = app.get("/api/v1/me/requests", Some(&dsco.session.access)).await;
    assert_eq!(coordinator_inbox.status, 200);
    let items = coordinator_inbox.body["items"].as_array().unwrap();
    assert!(items.iter().all(|i| i["request_id"] != id.as_str()), "nothing is asked of the coordinator: {items:?}");
    assert_eq!(app.get(&path, Some(&dsco.session.access)).await.status, 404, "unpublished, and not with them");
    let refused = app.post(&format!("{path}/endorse"), Some(&dsco.session.access), json!({})).await;
    assert_eq!(refused.status, 403, "the coordinator does not endorse");
    assert_eq!(app.get(&format!("{path}/versions"), Some(&dsco.session.access)).await.body["items"], json!([]));

    let manager_inbox = app.get("/api/v1/me/requests", Some(&manager.session.access)).await;
    let mine: Vec<_> =
        manager_inbox.body["items"].as_array().unwrap().iter().filter(|i| i["request_id"] == id.as_str()).collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["action"], "endorse");
    assert_eq!(
        app.get(&path, Some(&manager.session.access)).await.body["status"],
        "awaiting_endorsement",
        "the endorser reads it"
    );
    assert_eq!(app.post(&format!("{path}/endorse"), Some(&manager.session.access), json!({})).await.status, 200);
    assert_eq!(
        app.get(&path, Some(&dsco.session.access)).await.body["status"],
        "submitted",
        "published: everyone on the case reads it"
    );
}

/// Team roles decide who reads and endorses unpublished advice, so nobody
/// gives one to themselves, and every change is in the audit log.
#[tokio::test]
async fn nobody_changes_their_own_team_role() {
    let w = world().await;
    let team = team(&w, "Screening").await;
    let path = format!("/api/v1/teams/{team}/members/{}", w.officer.id);
    let own = w.app.put_json(&path, &w.officer.session.access, None, json!({"team_role": "manager"})).await;
    assert_eq!(own.status, 403, "{:?}", own.body);
    let teams = w.app.get("/api/v1/teams", Some(&w.officer.session.access)).await;
    let ours = teams.body["items"].as_array().unwrap().iter().find(|t| t["id"] == team.as_str()).cloned().unwrap();
    assert_eq!(ours["members"], json!([]), "nothing changed");
    member(&w, &team, &w.pro.id, "member").await;
}
