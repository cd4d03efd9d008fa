//! The assessment team is reminded of its own statutory steps: a week
//! before the final plan is due, and again with the administrators once it
//! is breached; each once, named by step and case reference, never the child.

use chrono::Duration;
use serde_json::json;

use crate::helpers::{spawn_app_with, TestApp};

async fn remind_and_deliver(app: &TestApp, day: chrono::NaiveDate) -> usize {
    app.pin_clock(day);
    let raised = ehc_api::step_reminders::run_once(&app.state).await.unwrap();
    while ehc_api::workers::dispatch_once(&app.state, "test").await.unwrap() > 0 {}
    app.unpin_clock();
    raised
}

fn told(app: &TestApp, to: &str, needle: &str) -> usize {
    app.outbox_messages()
        .iter()
        .filter(|m| m["to"] == to && m["body"].as_str().is_some_and(|b| b.contains(needle)))
        .count()
}

#[tokio::test]
async fn the_final_plan_is_reminded_a_week_before_and_escalated_once_breached() {
    let app = spawn_app_with(|env| {
        env.insert("EHC_DISPATCHER".into(), "false".into());
        env.insert("EHC_JOBS".into(), "false".into());
    })
    .await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let officer = app.person(&admin, "officer@la.example", "assessment_officer", None, "07700 900097").await;
    let o = &officer.session.access;
    let today = chrono::Utc::now().date_naive();
    // Received so that the final plan (20 weeks, reg 13(2)) is due in 3 days.
    let received = today - Duration::weeks(20) + Duration::days(3);
    let case = app
        .post(
            "/api/v1/cases",
            Some(o),
            json!({"given_name": "Perran", "family_name": "Trevail", "date_of_birth": "2016-05-05",
            "request_received_on": received, "request_source": "school"}),
        )
        .await;
    let (case_id, reference) =
        (case.body["id"].as_str().unwrap().to_owned(), case.body["reference"].as_str().unwrap().to_owned());
    for (kind, on) in [("to_assess", received + Duration::days(20)), ("to_issue_plan", received + Duration::weeks(12))]
    {
        let decided = app
            .post(
                &format!("/api/v1/cases/{case_id}/decisions"),
                Some(o),
                json!({"kind": kind, "outcome": "yes", "decided_on": on}),
            )
            .await;
        assert_eq!(decided.status, 201, "{:?}", decided.body);
    }

    assert_eq!(remind_and_deliver(&app, today).await, 1, "the final plan, due in 3 days");
    assert_eq!(told(&app, "officer@la.example", "the final plan is due within 7 days"), 1);
    assert_eq!(remind_and_deliver(&app, today).await, 0, "once");
    let message = app
        .outbox_messages()
        .into_iter()
        .find(|m| m["to"] == "officer@la.example" && m["body"].as_str().unwrap().contains("final plan"))
        .unwrap();
    let body = message["body"].as_str().unwrap();
    assert!(body.contains(&reference) && !body.contains("Perran") && !body.contains("Trevail"), "{body}");

    // Breached: told again, with the administrators.
    assert_eq!(remind_and_deliver(&app, today + Duration::days(5)).await, 1);
    assert_eq!(told(&app, "officer@la.example", "has passed its statutory time limit"), 1);
    assert_eq!(told(&app, "admin@la.example", "the final plan has passed its statutory time limit"), 1);
    let feed = app.get("/api/v1/events", Some(o)).await;
    let deadlines: Vec<(&str, &str)> = feed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"].as_str().unwrap().starts_with("deadline."))
        .map(|e| (e["type"].as_str().unwrap(), e["subject_id"].as_str().unwrap()))
        .collect();
    assert_eq!(deadlines, vec![("deadline.at_risk", "final_plan"), ("deadline.breached", "final_plan")]);
}
