//! A place held on a case for someone not yet registered belongs to the
//! case's own council: revoking the invitation ends it, and an invitation of
//! another council never claims it (issue "Access control you can prove",
//! finding 1).

use serde_json::json;

use crate::advice_flow::{world, World};
use crate::helpers::STRONG_PASSWORD;

const PARENT: &str = "parent.two.councils@family.example";

/// The officer of council A holds a place on A's case for a parent.
async fn pending_parent(w: &World) -> String {
    let o = &w.officer.session.access;
    let added = w
        .app
        .post(
            &format!("/api/v1/cases/{}/participants", w.case_id),
            Some(o),
            json!({"invite": {"email": PARENT, "name": "Pat Two-Councils", "role": "parent_carer"}}),
        )
        .await;
    assert_eq!(added.status, 201, "{:?}", added.body);
    assert_eq!(added.body["pending"], true);
    let invitations = w.app.get("/api/v1/invitations", Some(o)).await;
    let items = invitations.body["items"].as_array().unwrap();
    items.iter().find(|i| i["email"] == PARENT).unwrap()["id"].as_str().unwrap().to_owned()
}

/// Council B invites the same address and the person registers through B's link.
async fn registered_through_council_b(w: &World) -> String {
    let admin_b = w.app.admin("admin@otherton.example", "Otherton Borough Council").await;
    let invited = w
        .app
        .post(
            "/api/v1/invitations",
            Some(&admin_b.access),
            json!({"email": PARENT, "name": "Pat Two-Councils", "role": "parent_carer"}),
        )
        .await;
    assert_eq!(invited.status, 201, "{:?}", invited.body);
    let token = w.app.invitation_token(PARENT);
    let reg = w
        .app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"token": token, "password": STRONG_PASSWORD, "channel": "sms", "phone": "07700 900071"}),
        )
        .await;
    assert_eq!(reg.status, 201, "{:?}", reg.body);
    w.app.login_sms(PARENT, "+447700900071").await.access
}

async fn assert_sees_nothing_of_council_a(w: &World, access: &str) {
    for path in [
        format!("/api/v1/cases/{}", w.case_id),
        format!("/api/v1/cases/{}/participants", w.case_id),
        format!("/api/v1/cases/{}/timeline", w.case_id),
        format!("/api/v1/cases/{}/advice-requests", w.case_id),
    ] {
        assert_eq!(w.app.get(&path, Some(access)).await.status, 404, "{path}");
    }
    let cases = w.app.get("/api/v1/cases", Some(access)).await;
    assert_eq!(cases.body["items"], json!([]), "no case of council A is listed");
}

#[tokio::test]
async fn revoking_the_invitation_ends_the_place_it_held() {
    let w = world().await;
    let invitation = pending_parent(&w).await;
    let o = &w.officer.session.access;
    let revoked =
        w.app.call(reqwest::Method::DELETE, &format!("/api/v1/invitations/{invitation}"), Some(o), None).await;
    assert_eq!(revoked.status, 204);
    let people = w.app.get(&format!("/api/v1/cases/{}/participants", w.case_id), Some(o)).await;
    assert!(
        people.body["items"].as_array().unwrap().iter().all(|p| p["pending"] == false),
        "the place held for the revoked invitation is gone: {:?}",
        people.body
    );
    let access = registered_through_council_b(&w).await;
    assert_sees_nothing_of_council_a(&w, &access).await;
}

#[tokio::test]
async fn another_councils_invitation_never_claims_a_place() {
    let w = world().await;
    pending_parent(&w).await;
    let access = registered_through_council_b(&w).await;
    assert_sees_nothing_of_council_a(&w, &access).await;
    let people = w.app.get(&format!("/api/v1/cases/{}/participants", w.case_id), Some(&w.officer.session.access)).await;
    let parent =
        people.body["items"].as_array().unwrap().iter().find(|p| p["kind"] == "parent_carer").cloned().unwrap();
    assert_eq!(parent["pending"], true, "council A's place is still waiting for A's own invitation");
}
