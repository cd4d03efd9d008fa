//! Reports on a dataset built for known answers: timeliness percentages,
//! medians and what is overdue; the SEN2 return's rows and codes.

use chrono::Duration;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, Person, TestApp};

async fn case(app: &TestApp, officer: &Person, name: &str, received: &str, source: &str) -> String {
    let res = app
        .post("/api/v1/cases", Some(&officer.session.access), json!({"given_name": name, "family_name": "Example", "date_of_birth": "2015-06-01", "upn": "A123456789012", "request_received_on": received, "request_source": source}))
        .await;
    assert_eq!(res.status, 201, "{:?}", res.body);
    res.body["id"].as_str().unwrap().to_owned()
}

async fn decide(app: &TestApp, officer: &Person, case: &str, steps: &[(&str, Option<&str>, &str)]) {
    for (kind, outcome, on) in steps {
        let res = app
            .post(
                &format!("/api/v1/cases/{case}/decisions"),
                Some(&officer.session.access),
                json!({"kind": kind, "outcome": outcome, "decided_on": on}),
            )
            .await;
        assert_eq!(res.status, 201, "{kind} on {on}: {:?}", res.body);
    }
}

fn plan(assess_on: &'static str, final_on: &'static str) -> Vec<(&'static str, Option<&'static str>, &'static str)> {
    vec![
        ("to_assess", Some("yes"), assess_on),
        ("to_issue_plan", Some("yes"), assess_on),
        ("draft_plan_issued", None, assess_on),
        ("final_plan_issued", None, final_on),
    ]
}

#[tokio::test]
async fn timeliness_and_sen2_give_the_known_answers() {
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let officer = app.person(&admin, "officer@la.example", "assessment_officer", None, "07700 900700").await;
    let o = &officer.session.access;
    let nhs = app
        .post("/api/v1/organisations", Some(o), json!({"name": "Community Health NHS Trust", "kind": "nhs_trust"}))
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let slt =
        app.person_at(&officer.session, &nhs, "slt@nhs.example", "professional", Some("health"), "07700 900701").await;

    // Received 5 January 2026: 6 weeks end 16 February, 20 weeks 25 May.
    let on_time = case(&app, &officer, "Alpha", "2026-01-05", "school").await;
    decide(&app, &officer, &on_time, &plan("2026-02-16", "2026-05-25")).await;
    let late_but_excepted = case(&app, &officer, "Bravo", "2026-01-05", "parent_or_young_person").await;
    decide(&app, &officer, &late_but_excepted, &plan("2026-02-17", "2026-06-15")).await;
    let exception = app
        .post(
            &format!("/api/v1/cases/{late_but_excepted}/exceptions"),
            Some(o),
            json!({"exception": "personal_circumstances", "reason": "Family bereavement.", "starts_on": "2026-03-01"}),
        )
        .await;
    assert_eq!(exception.status, 201);
    let refused = case(&app, &officer, "Charlie", "2026-01-05", "health").await;
    decide(&app, &officer, &refused, &[("to_assess", Some("no"), "2026-02-10")]).await;
    let late = case(&app, &officer, "Delta", "2026-01-05", "social_care").await;
    decide(&app, &officer, &late, &plan("2026-02-01", "2026-07-01")).await;
    let undecided = case(&app, &officer, "Echo", "2026-10-01", "other").await;

    // Advice: one late, one in time, one still open past its due date, one withdrawn.
    let today = chrono::Utc::now().date_naive();
    let ask = |requested: chrono::NaiveDate| json!({"specialism": "health", "areas": ["health"], "addressee_user_id": slt.id, "requested_on": requested});
    let mut answered = Vec::new();
    for back in [50, 10] {
        let r = app
            .post(&format!("/api/v1/cases/{on_time}/advice-requests"), Some(o), ask(today - Duration::days(back)))
            .await;
        answered.push(r.body["id"].as_str().unwrap().to_owned());
    }
    let open =
        app.post(&format!("/api/v1/cases/{undecided}/advice-requests"), Some(o), ask(today - Duration::days(43))).await;
    assert_eq!(open.status, 201);
    let withdrawn = app
        .post(&format!("/api/v1/cases/{undecided}/advice-requests"), Some(o), ask(today - Duration::days(60)))
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        app.post(&format!("/api/v1/advice-requests/{withdrawn}/withdraw"), Some(o), json!({})).await.status,
        200
    );
    for id in &answered {
        let path = format!("/api/v1/advice-requests/{id}/advice");
        let tag = app.get(&path, Some(&slt.session.access)).await.header("etag").unwrap();
        assert_eq!(
            app.put_json(
                &path,
                &slt.session.access,
                Some(&tag),
                json!({"will_provide": "no_known_not_meeting_criteria"})
            )
            .await
            .status,
            200
        );
        assert_eq!(app.post(&format!("{path}/submit"), Some(&slt.session.access), json!({})).await.status, 200);
    }

    let report = app.get("/api/v1/reports/timeliness?from=2026-01-01&to=2030-12-31", Some(o)).await;
    assert_eq!(report.status, 200, "{:?}", report.body);
    let r = &report.body;
    assert_eq!(r["decisions_to_assess"], json!({"total": 4, "within": 3, "percent": 75.0, "median_days": 39.0}));
    assert_eq!(
        r["final_plans_including_exceptions"],
        json!({"total": 3, "within": 1, "percent": 33.3, "median_days": 161.0})
    );
    assert_eq!(
        r["final_plans_excluding_exceptions"],
        json!({"total": 2, "within": 1, "percent": 50.0, "median_days": 158.5})
    );
    assert_eq!(
        r["advice_by_specialism"],
        json!([{"name": "health", "total": 2, "within": 1, "percent": 50.0, "median_days": 30.0}])
    );
    assert_eq!(r["advice_by_organisation"][0]["name"], "Community Health NHS Trust");
    assert_eq!(r["overdue_now"], json!({"advice_requests": 1, "decisions_to_assess": 1, "final_plans": 0}));
    let narrow = app.get("/api/v1/reports/timeliness?from=2026-02-11&to=2026-02-16", Some(o)).await;
    assert_eq!(narrow.body["decisions_to_assess"]["total"], 1, "only decisions inside the period");
    assert_eq!(app.get("/api/v1/reports/timeliness?from=2026-12-01&to=2026-01-01", Some(o)).await.status, 400);
    assert_eq!(app.get("/api/v1/reports/timeliness?from=soon", Some(o)).await.status, 400);
    assert_eq!(
        app.get("/api/v1/reports/timeliness?from=2026-01-01&to=2026-12-31", Some(&slt.session.access)).await.status,
        403
    );

    let res =
        app.client.get(format!("{}/api/v1/reports/sen2?year=2026", app.base)).bearer_auth(o).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = res.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "UPN,UniqueLearnerNumber,Surname,Forename,PersonBirthDate,ReceivedDate,RequestSource,RequestOutcomeDate,RequestOutcome,AssessmentOutcomeDate,AssessmentOutcome,TwentyWeekExceptions,PlanStartDate,ReviewMeetingDates,ReviewOutcome,CeaseDate,CeaseReason,ReferenceInHub");
    assert_eq!(lines.len(), 6, "a header and one row per request for assessment:\n{csv}");
    let row_of = |name: &str| -> Vec<String> {
        lines.iter().find(|l| l.contains(&format!(",{name},"))).unwrap().split(',').map(str::to_owned).collect()
    };
    assert_eq!(row_of("Alpha")[6..13], ["2", "2026-02-16", "Y", "2026-02-16", "Y", "0", "2026-05-25"]);
    assert_eq!(row_of("Bravo")[6], "1");
    assert_eq!(row_of("Bravo")[11], "1", "the 20-week exception applies");
    assert_eq!(row_of("Charlie")[6..12], ["3", "2026-02-10", "N", "", "", ""]);
    assert_eq!(row_of("Echo")[8], "A", "SEN2's code for no decision yet");
    let empty = app
        .client
        .get(format!("{}/api/v1/reports/sen2?year=2024", app.base))
        .bearer_auth(o)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(empty.lines().count(), 1);
    assert_eq!(app.get("/api/v1/reports/sen2?year=1999", Some(o)).await.status, 400);
    let audit: Value = app.get(&format!("/api/v1/cases/{on_time}/audit"), Some(o)).await.body;
    assert!(
        audit["items"].as_array().unwrap().iter().any(|e| e["action"] == "report.sen2"),
        "each child's row in the return is audited"
    );
}
