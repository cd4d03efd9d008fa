//! Decisions move a case's stage; the timeline shows each statutory step.

use chrono::Duration;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, Person, TestApp};

async fn case_received_on(app: &TestApp, officer: &Person, received: &str) -> String {
    let res = app
        .post("/api/v1/cases", Some(&officer.session.access), json!({"given_name": "A", "family_name": "B", "date_of_birth": "2015-01-01", "request_received_on": received, "request_source": "health"}))
        .await;
    assert_eq!(res.status, 201, "{:?}", res.body);
    res.body["id"].as_str().unwrap().to_owned()
}

fn step<'a>(timeline: &'a Value, name: &str) -> &'a Value {
    timeline["steps"].as_array().unwrap().iter().find(|s| s["step"] == name).unwrap_or_else(|| panic!("no {name} step"))
}

#[tokio::test]
async fn decisions_move_the_stage_and_the_timeline_shows_each_step() {
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let officer = app.person(&admin, "officer@la.example", "assessment_officer", None, "07700 900050").await;
    let pro = app.person(&officer.session, "gp@nhs.example", "professional", Some("health"), "07700 900051").await;
    let o = &officer.session.access;
    let case = case_received_on(&app, &officer, "2026-01-05").await;

    let early = app
        .post(
            &format!("/api/v1/cases/{case}/decisions"),
            Some(o),
            json!({"kind": "final_plan_issued", "decided_on": "2026-02-01"}),
        )
        .await;
    assert_eq!(early.status, 409, "no final plan before a decision to assess");
    let bad = app
        .post(
            &format!("/api/v1/cases/{case}/decisions"),
            Some(o),
            json!({"kind": "to_assess", "outcome": "perhaps", "decided_on": "2025-12-01"}),
        )
        .await;
    assert_eq!(bad.status, 422);
    let by_pro = app
        .post(
            &format!("/api/v1/cases/{case}/decisions"),
            Some(&pro.session.access),
            json!({"kind": "to_assess", "outcome": "yes", "decided_on": "2026-02-01"}),
        )
        .await;
    assert_eq!(by_pro.status, 404, "not on the case");

    // Decided on 20 February: the 6-week limit was 16 February.
    let assess = app
        .post(
            &format!("/api/v1/cases/{case}/decisions"),
            Some(o),
            json!({"kind": "to_assess", "outcome": "yes", "decided_on": "2026-02-20"}),
        )
        .await;
    assert_eq!(assess.status, 201, "{:?}", assess.body);
    assert_eq!(assess.body["stage"], "assessment");
    assert_eq!(app.get(&format!("/api/v1/cases/{case}"), Some(o)).await.body["stage"], "assessment");

    let late = app.post(&format!("/api/v1/cases/{case}/advice-requests"), Some(o), json!({"specialism": "health", "areas": ["health"], "addressee_user_id": pro.id, "requested_on": "2026-02-23"})).await;
    let excused = app.post(&format!("/api/v1/cases/{case}/advice-requests"), Some(o), json!({"specialism": "health", "areas": ["health"], "addressee_user_id": pro.id, "requested_on": "2026-02-23"})).await;
    let excused_id = excused.body["id"].as_str().unwrap();
    let wrong = app
        .post(
            &format!("/api/v1/cases/{case}/exceptions"),
            Some(o),
            json!({"exception": "closure", "reason": "summer", "starts_on": "2026-07-20"}),
        )
        .await;
    assert_eq!(wrong.status, 422, "closure exceptions come from term calendars");
    let missed = app
        .post(&format!("/api/v1/cases/{case}/exceptions"), Some(o), json!({"exception": "advice_missed_appointment", "advice_request_id": excused_id, "reason": "Clinic appointment missed on 20 March.", "starts_on": "2026-03-20"}))
        .await;
    assert_eq!(missed.status, 201, "{:?}", missed.body);
    assert_eq!(missed.body["regulation"], "reg 8(2)(e)");

    let timeline = app.get(&format!("/api/v1/cases/{case}/timeline"), Some(&pro.session.access)).await;
    assert_eq!(timeline.status, 200, "participants read the timeline");
    let t = &timeline.body;
    assert_eq!(step(t, "decision_to_assess")["due_on"], "2026-02-16");
    assert_eq!(step(t, "decision_to_assess")["done_on"], "2026-02-20");
    assert_eq!(step(t, "decision_to_assess")["status"], "breached");
    let advice: Vec<&Value> = t["steps"].as_array().unwrap().iter().filter(|s| s["step"] == "advice").collect();
    let of = |id: &str| advice.iter().find(|s| s["advice_request_id"] == id).unwrap();
    assert_eq!(of(late.body["id"].as_str().unwrap())["status"], "breached", "due 6 April 2026, never given");
    assert_eq!(of(excused_id)["status"], "excepted");
    assert!(of(excused_id)["exception"].as_str().unwrap().contains("Clinic appointment missed"));
    assert_eq!(step(t, "final_plan")["due_on"], "2026-05-25", "20 weeks from 5 January");
    assert_eq!(step(t, "final_plan")["status"], "breached");

    let outsider =
        app.person(&officer.session, "other@school.example", "professional", Some("education"), "07700 900052").await;
    assert_eq!(app.get(&format!("/api/v1/cases/{case}/timeline"), Some(&outsider.session.access)).await.status, 404);
    assert_eq!(
        app.get(&format!("/api/v1/cases/{case}/decisions"), Some(o)).await.body["items"].as_array().unwrap().len(),
        1
    );
}

#[tokio::test]
async fn a_plan_issued_in_time_is_met_and_then_reviewed() {
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let officer = app.person(&admin, "officer@la.example", "assessment_officer", None, "07700 900060").await;
    let o = &officer.session.access;
    let case = case_received_on(&app, &officer, "2026-03-02").await;
    for (kind, outcome, on) in [
        ("to_assess", Some("yes"), "2026-04-01"),
        ("to_issue_plan", Some("yes"), "2026-06-01"),
        ("draft_plan_issued", None, "2026-06-05"),
        ("final_plan_issued", None, "2026-07-10"),
    ] {
        let mut body = json!({"kind": kind, "decided_on": on});
        if let Some(o) = outcome {
            body["outcome"] = json!(o);
        }
        let res = app.post(&format!("/api/v1/cases/{case}/decisions"), Some(o), body).await;
        assert_eq!(res.status, 201, "{kind}: {:?}", res.body);
    }
    let t = app.get(&format!("/api/v1/cases/{case}/timeline"), Some(o)).await.body;
    assert_eq!(t["stage"], "plan_in_force");
    assert_eq!(step(&t, "final_plan")["due_on"], "2026-07-20");
    assert_eq!(step(&t, "final_plan")["status"], "met");
    assert_eq!(step(&t, "draft_plan_representations")["due_on"], "2026-06-19");
    assert_eq!(step(&t, "annual_review")["due_on"], "2027-07-10");
    assert_eq!(step(&t, "annual_review")["status"], "due");
    let listed = app.get(&format!("/api/v1/cases/{case}/decisions"), Some(o)).await.body;
    let stages: Vec<&str> =
        listed["items"].as_array().unwrap().iter().map(|d| d["stage"].as_str().unwrap_or("none")).collect();
    assert_eq!(stages.last(), Some(&"plan_in_force"), "each decision listed with the stage it left: {stages:?}");
    assert!(!stages.contains(&"none"), "{stages:?}");

    // A review meeting: the decision that follows is due within 4 weeks
    // (reg 20(10)), and the next annual review runs from the meeting.
    let held = json!({"kind": "annual_review_meeting_held", "decided_on": "2026-11-10"});
    assert_eq!(app.post(&format!("/api/v1/cases/{case}/decisions"), Some(o), held).await.status, 201);
    let t = app.get(&format!("/api/v1/cases/{case}/timeline"), Some(o)).await.body;
    assert_eq!(step(&t, "review_decision")["due_on"], "2026-12-08");
    assert_eq!(step(&t, "annual_review")["due_on"], "2027-11-10");
    assert_eq!(step(&t, "review_report")["due_on"], "2026-11-24", "reg 20(7): 2 weeks");
    let report = json!({"kind": "review_report_sent", "decided_on": "2026-11-17"});
    assert_eq!(app.post(&format!("/api/v1/cases/{case}/decisions"), Some(o), report).await.status, 201);
    let maintain = json!({"kind": "review_outcome", "outcome": "maintain", "decided_on": "2026-11-20"});
    assert_eq!(app.post(&format!("/api/v1/cases/{case}/decisions"), Some(o), maintain).await.status, 201);
    let t = app.get(&format!("/api/v1/cases/{case}/timeline"), Some(o)).await.body;
    assert_eq!(
        (step(&t, "review_decision")["status"].as_str(), t["stage"].as_str()),
        (Some("met"), Some("plan_in_force"))
    );
    assert_eq!(step(&t, "review_report")["status"], "met");

    // Amending the plan (reg 22): 15 days for representations, the amended
    // plan within 8 weeks of the proposal.
    let proposed = json!({"kind": "amendment_proposed", "decided_on": "2026-11-25"});
    assert_eq!(app.post(&format!("/api/v1/cases/{case}/decisions"), Some(o), proposed).await.status, 201);
    let t = app.get(&format!("/api/v1/cases/{case}/timeline"), Some(o)).await.body;
    assert_eq!(t["stage"], "amending");
    assert_eq!(step(&t, "amendment_representations")["due_on"], "2026-12-09");
    assert_eq!(step(&t, "amended_plan")["due_on"], "2027-01-20");
    let amended = json!({"kind": "amended_plan_issued", "decided_on": "2026-11-30"});
    assert_eq!(app.post(&format!("/api/v1/cases/{case}/decisions"), Some(o), amended).await.status, 201);
    let t = app.get(&format!("/api/v1/cases/{case}/timeline"), Some(o)).await.body;
    assert_eq!(
        (t["stage"].as_str(), step(&t, "amended_plan")["status"].as_str()),
        (Some("plan_in_force"), Some("met"))
    );

    // A move from primary to secondary school on 1 September 2027: the plan
    // is reviewed and amended by 15 February 2027 (reg 18); the amended plan
    // of 30 November 2026 counts, being in the school year of the transfer.
    let path = format!("/api/v1/cases/{case}/phase-transfer");
    let transfer = app.put_json(&path, o, None, json!({"kind": "school_phase", "transfer_on": "2027-09-01"})).await;
    assert_eq!(
        (transfer.status, transfer.body["review_due_on"].as_str()),
        (200, Some("2027-02-15")),
        "{:?}",
        transfer.body
    );
    let t = app.get(&format!("/api/v1/cases/{case}/timeline"), Some(o)).await.body;
    assert_eq!(step(&t, "phase_transfer_review")["due_on"], "2027-02-15");
    assert_eq!(step(&t, "phase_transfer_review")["done_on"], "2026-11-30");
    let later = app.put_json(&path, o, None, json!({"kind": "school_phase", "transfer_on": "2028-09-01"})).await;
    assert_eq!(later.status, 200);
    let t = app.get(&format!("/api/v1/cases/{case}/timeline"), Some(o)).await.body;
    assert!(step(&t, "phase_transfer_review")["done_on"].is_null(), "a year early: it named the old school");
    let far = app.put_json(&path, o, None, json!({"kind": "school_phase", "transfer_on": "2040-09-01"})).await;
    assert_eq!(far.status, 422);
}

/// Reg 10(4)(a): advice asked of a school in the week before a closure of at
/// least 4 weeks. The LA's calendar decides; without it, nothing is excepted.
#[tokio::test]
async fn the_closure_calendar_determines_the_school_closure_exception() {
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let officer = app.person(&admin, "officer@la.example", "assessment_officer", None, "07700 900600").await;
    let o = &officer.session.access;
    let school = app
        .post("/api/v1/organisations", Some(o), json!({"name": "Oakfield Primary School", "kind": "school"}))
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let senco = app
        .person_at(
            &officer.session,
            &school,
            "senco@oakfield.example",
            "professional",
            Some("education"),
            "07700 900601",
        )
        .await;
    let today = chrono::Utc::now().date_naive();
    let case = app.post("/api/v1/cases", Some(o), json!({"given_name": "A", "family_name": "B", "date_of_birth": "2016-01-01", "request_received_on": today, "request_source": "school"})).await;
    let case_id = case.body["id"].as_str().unwrap().to_owned();
    assert_eq!(
        app.post(
            &format!("/api/v1/cases/{case_id}/advice-requests"),
            Some(o),
            json!({"specialism": "education", "areas": ["sen_cognition_and_learning"], "addressee_user_id": senco.id})
        )
        .await
        .status,
        201
    );
    let final_plan = |timeline: &Value| {
        timeline["steps"].as_array().unwrap().iter().find(|s| s["step"] == "final_plan").unwrap().clone()
    };
    let before = app.get(&format!("/api/v1/cases/{case_id}/timeline"), Some(o)).await.body;
    assert_ne!(final_plan(&before)["status"], "excepted");

    let short = app
        .post("/api/v1/closures", Some(o), json!({"setting": "school", "first_closed_on": today + Duration::days(3), "reopens_on": today + Duration::days(20), "description": "Half term"}))
        .await;
    assert_eq!(short.status, 201, "{:?}", short.body);
    assert_ne!(
        final_plan(&app.get(&format!("/api/v1/cases/{case_id}/timeline"), Some(o)).await.body)["status"],
        "excepted",
        "under 4 weeks does not count"
    );
    let wrong_way = app
        .post(
            "/api/v1/closures",
            Some(o),
            json!({"setting": "school", "first_closed_on": today, "reopens_on": today, "description": "x"}),
        )
        .await;
    assert_eq!(wrong_way.status, 422);
    let college = app
        .post("/api/v1/closures", Some(o), json!({"setting": "college", "first_closed_on": today + Duration::days(3), "reopens_on": today + Duration::days(45), "description": "College summer"}))
        .await;
    assert_eq!(college.status, 201);
    assert_ne!(
        final_plan(&app.get(&format!("/api/v1/cases/{case_id}/timeline"), Some(o)).await.body)["status"],
        "excepted",
        "a college's closure does not excuse a school"
    );
    let summer = app
        .post("/api/v1/closures", Some(o), json!({"setting": "school", "first_closed_on": today + Duration::days(3), "reopens_on": today + Duration::days(45), "description": "Summer holiday"}))
        .await;
    assert_eq!(summer.status, 201);
    let after = app.get(&format!("/api/v1/cases/{case_id}/timeline"), Some(o)).await.body;
    assert_eq!(final_plan(&after)["status"], "excepted");
    assert!(final_plan(&after)["exception"].as_str().unwrap().contains("Summer holiday"), "{after}");
    // The school was asked before the decision whether to assess: reg 5(4)(a)
    // lifts that 6-week limit too (the half term and the college's did not).
    let decision =
        after["steps"].as_array().unwrap().iter().find(|s| s["step"] == "decision_to_assess").unwrap().clone();
    assert_eq!(decision["status"], "excepted", "{decision}");
    assert!(decision["exception"].as_str().unwrap().starts_with("reg 5(4)(a): "), "{decision}");
    let before_decision =
        before["steps"].as_array().unwrap().iter().find(|s| s["step"] == "decision_to_assess").unwrap().clone();
    assert_ne!(before_decision["status"], "excepted");
    assert_eq!(app.get("/api/v1/closures", Some(o)).await.body["items"].as_array().unwrap().len(), 3);
    assert_eq!(app.get("/api/v1/closures", Some(&senco.session.access)).await.status, 403);

    let id = summer.body["id"].as_str().unwrap();
    assert_eq!(app.call(reqwest::Method::DELETE, &format!("/api/v1/closures/{id}"), Some(o), None).await.status, 204);
    assert_ne!(
        final_plan(&app.get(&format!("/api/v1/cases/{case_id}/timeline"), Some(o)).await.body)["status"],
        "excepted"
    );
}
