//! Reminders and escalations of requests for advice, driven through time with
//! a pinned clock (seed 000): 7 days before, on the due date, the team
//! manager on the due date, the service manager after the organisation's N
//! days, the head of service once the statutory 6 weeks are breached. Each
//! once, each visible on the request.

use chrono::{Duration, NaiveDate};
use serde_json::{json, Value};

use crate::helpers::{spawn_app_with, TestApp};

async fn raise_and_deliver(app: &TestApp, day: NaiveDate) -> usize {
    app.pin_clock(day);
    let raised = ehc_api::reminders::run_once(&app.state).await.unwrap();
    while ehc_api::workers::dispatch_once(&app.state, "test").await.unwrap() > 0 {}
    app.unpin_clock();
    raised
}

/// A hub whose jobs and dispatcher run only when the test says.
async fn app_driven_by_the_test() -> TestApp {
    spawn_app_with(|env| {
        env.insert("EHC_DISPATCHER".into(), "false".into());
        env.insert("EHC_JOBS".into(), "false".into());
    })
    .await
}

fn told(app: &TestApp, to: &str, needle: &str) -> usize {
    app.outbox_messages()
        .iter()
        .filter(|m| m["to"] == to && m["body"].as_str().is_some_and(|b| b.contains(needle)))
        .count()
}

fn kinds(request: &Value) -> Vec<String> {
    request["alerts"].as_array().unwrap().iter().map(|a| a["kind"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn reminders_and_each_escalation_step_arrive_once_on_their_day() {
    let app = app_driven_by_the_test().await;
    let admin = app.admin("admin@la.example", "Torbay Council").await;
    let officer = app.person(&admin, "officer@la.example", "assessment_officer", None, "07700 900300").await;
    let o = &officer.session.access;
    let org = app
        .post("/api/v1/organisations", Some(o), json!({"name": "Children's Services", "kind": "social_care_team"}))
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let team = app.post("/api/v1/teams", Some(o), json!({"organisation_id": org, "name": "DSCO"})).await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let practitioner = app
        .person_at(&officer.session, &org, "sw@care.example", "professional", Some("social_care"), "07700 900301")
        .await;
    let manager = app
        .person_at(&officer.session, &org, "tm@care.example", "team_manager", Some("social_care"), "07700 900302")
        .await;
    let service_manager = app
        .person_at(&officer.session, &org, "sm@care.example", "team_manager", Some("social_care"), "07700 900303")
        .await;
    let head = app
        .person_at(&officer.session, &org, "hos@care.example", "team_manager", Some("social_care"), "07700 900304")
        .await;
    for (user, role) in [(&practitioner.id, "member"), (&manager.id, "manager")] {
        assert_eq!(
            app.put_json(&format!("/api/v1/teams/{team}/members/{user}"), o, None, json!({"team_role": role}))
                .await
                .status,
            200
        );
    }
    let policy = app
        .put_json(&format!("/api/v1/organisations/{org}/escalation"), o, None, json!({"service_manager_user_id": service_manager.id, "service_manager_after_days": 5, "head_of_service_user_id": head.id}))
        .await;
    assert_eq!(policy.status, 200, "{:?}", policy.body);
    let bad = app
        .put_json(
            &format!("/api/v1/organisations/{org}/escalation"),
            o,
            None,
            json!({"service_manager_user_id": uuid::Uuid::now_v7(), "service_manager_after_days": 0}),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(
        app.get(&format!("/api/v1/organisations/{org}/escalation"), Some(o)).await.body["service_manager_after_days"],
        5,
        "a refused change changes nothing"
    );

    let today = chrono::Utc::now().date_naive();
    let case = app
        .post("/api/v1/cases", Some(o), json!({"given_name": "Tamsin", "family_name": "Quigley", "date_of_birth": "2016-03-04", "request_received_on": today, "request_source": "school"}))
        .await;
    let case_id = case.body["id"].as_str().unwrap().to_owned();
    // Torbay's DSCO answers in 2 weeks; the statutory limit stays 6 weeks.
    let dsco = app
        .post(&format!("/api/v1/cases/{case_id}/advice-requests"), Some(o), json!({"specialism": "social_care", "areas": ["social_care"], "addressee_team_id": team, "requested_on": today, "due_on": today + Duration::days(14)}))
        .await;
    assert_eq!(dsco.status, 201, "{:?}", dsco.body);
    let dsco_id = dsco.body["id"].as_str().unwrap().to_owned();
    let assigned = app
        .post(&format!("/api/v1/advice-requests/{dsco_id}/assign"), Some(o), json!({"user_id": practitioner.id}))
        .await;
    assert_eq!(assigned.status, 403, "only the team's coordinator assigns: the request stays with the inbox");

    assert_eq!(raise_and_deliver(&app, today + Duration::days(6)).await, 0);
    assert_eq!(raise_and_deliver(&app, today + Duration::days(7)).await, 1);
    assert_eq!(told(&app, "sw@care.example", "is due within 7 days"), 1, "the inbox's members are reminded");
    assert_eq!(raise_and_deliver(&app, today + Duration::days(7)).await, 0, "never twice");
    assert_eq!(raise_and_deliver(&app, today + Duration::days(14)).await, 2);
    assert_eq!(told(&app, "sw@care.example", "is due today"), 1);
    assert_eq!(
        told(&app, "tm@care.example", "overdue and has been escalated to you"),
        1,
        "the team manager on the due date"
    );
    assert_eq!(raise_and_deliver(&app, today + Duration::days(18)).await, 0);
    assert_eq!(told(&app, "sm@care.example", "escalated"), 0);
    assert_eq!(raise_and_deliver(&app, today + Duration::days(19)).await, 1);
    assert_eq!(
        told(&app, "sm@care.example", "overdue and has been escalated to you"),
        1,
        "the service manager after 5 days"
    );
    assert_eq!(
        raise_and_deliver(&app, today + Duration::days(42)).await,
        0,
        "the statutory due date itself is not a breach"
    );
    assert_eq!(raise_and_deliver(&app, today + Duration::days(43)).await, 1);
    assert_eq!(
        told(&app, "hos@care.example", "overdue and has been escalated to you"),
        1,
        "the head of service on a statutory breach"
    );
    assert_eq!(raise_and_deliver(&app, today + Duration::days(60)).await, 0);

    let rows = app.get(&format!("/api/v1/cases/{case_id}/advice-requests"), Some(o)).await;
    let row = rows.body["items"].as_array().unwrap().iter().find(|r| r["id"] == dsco_id.as_str()).unwrap().clone();
    assert_eq!(
        kinds(&row),
        [
            "reminder_due_in_7_days",
            "reminder_due_today",
            "escalated_to_team_manager",
            "escalated_to_service_manager",
            "escalated_to_head_of_service"
        ],
        "every reminder and escalation is visible on the request"
    );
    assert_eq!(row["alerts"][2]["raised_on"], json!(today + Duration::days(14)));
    let audit = app.get(&format!("/api/v1/cases/{case_id}/audit"), Some(o)).await.body;
    let raised: Vec<&Value> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"].as_str().unwrap().starts_with("escalated_to"))
        .collect();
    assert_eq!(raised.len(), 3, "each escalation is in the audit log");
    assert!(raised.iter().all(|e| e["actor_user_id"].is_null() && e["subject_id"] == dsco_id.as_str()));
    let everything: String = app.outbox_messages().iter().map(|m| format!("{} {}", m["subject"], m["body"])).collect();
    for personal in ["Tamsin", "Quigley", "2016-03-04", "04/03/2016"] {
        assert!(!everything.contains(personal), "{personal} was sent in a message");
    }
}

#[tokio::test]
async fn a_recorded_advice_exception_spares_the_head_of_service_and_completed_advice_stops_the_clock() {
    let app = app_driven_by_the_test().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let officer = app.person(&admin, "officer@la.example", "assessment_officer", None, "07700 900310").await;
    let o = &officer.session.access;
    let org =
        app.post("/api/v1/organisations", Some(o), json!({"name": "Community Health", "kind": "nhs_trust"})).await.body
            ["id"]
            .as_str()
            .unwrap()
            .to_owned();
    let pro =
        app.person_at(&officer.session, &org, "slt@nhs.example", "professional", Some("health"), "07700 900311").await;
    let head =
        app.person_at(&officer.session, &org, "hos@nhs.example", "team_manager", Some("health"), "07700 900312").await;
    app.put_json(
        &format!("/api/v1/organisations/{org}/escalation"),
        o,
        None,
        json!({"service_manager_after_days": 7, "head_of_service_user_id": head.id}),
    )
    .await;
    let today = chrono::Utc::now().date_naive();
    let case = app.post("/api/v1/cases", Some(o), json!({"given_name": "A", "family_name": "B", "date_of_birth": "2015-01-01", "request_received_on": today, "request_source": "health"})).await;
    let case_id = case.body["id"].as_str().unwrap().to_owned();
    let requests_path = format!("/api/v1/cases/{case_id}/advice-requests");
    let ask = json!({"specialism": "health", "areas": ["health"], "addressee_user_id": pro.id});
    let excused = app.post(&requests_path, Some(o), ask.clone()).await.body["id"].as_str().unwrap().to_owned();
    let answered = app.post(&requests_path, Some(o), ask).await.body["id"].as_str().unwrap().to_owned();
    let exception = app
        .post(&format!("/api/v1/cases/{case_id}/exceptions"), Some(o), json!({"exception": "advice_missed_appointment", "advice_request_id": excused, "reason": "Clinic appointment missed; rebooked.", "starts_on": today}))
        .await;
    assert_eq!(exception.status, 201, "{:?}", exception.body);
    let path = format!("/api/v1/advice-requests/{answered}/advice");
    let tag = app.get(&path, Some(&pro.session.access)).await.header("etag").unwrap();
    assert_eq!(
        app.put_json(&path, &pro.session.access, Some(&tag), json!({"will_provide": "no_known_not_meeting_criteria"}))
            .await
            .status,
        200
    );
    assert_eq!(app.post(&format!("{path}/submit"), Some(&pro.session.access), json!({})).await.status, 200);

    raise_and_deliver(&app, today + Duration::days(50)).await;
    let rows = app.get(&format!("/api/v1/cases/{case_id}/advice-requests"), Some(o)).await.body;
    let of = |id: &str| rows["items"].as_array().unwrap().iter().find(|r| r["id"] == id).unwrap().clone();
    assert_eq!(kinds(&of(&excused)), ["escalated_to_team_manager", "escalated_to_service_manager"]);
    assert!(kinds(&of(&answered)).is_empty(), "answered advice raises nothing");
    assert_eq!(told(&app, "hos@nhs.example", "escalated"), 0);
    // The trust has no team manager for the practitioner and no service
    // manager set: both escalations found nobody, so the council's
    // administrator is told, once for each.
    assert_eq!(told(&app, "admin@la.example", "its escalation had nobody to receive it"), 2);
    assert_eq!(told(&app, "officer@la.example", "nobody to receive it"), 0, "administrators only");
}
