//! A plan in force through its review cycle, driven through time with the
//! hub's clock: the review meeting arranged with two weeks' notice (reg
//! 20(3)), a contribution asked through a request for advice and the advice
//! circulated two weeks ahead (reg 20(4)), the meeting, its report (reg
//! 20(7)), amendments proposed and the amended plan within 8 weeks (reg 22),
//! a phase transfer reviewed by 15 February (reg 18), and the plan ceased
//! with its reason and the notice of the right to appeal (s.45, reg 31).
//! The timeline, the timeliness report and the SEN2 return (CSV, and XML
//! checked by xmllint against the hub's XSD) show each.

use chrono::NaiveDate;
use serde_json::{json, Value};

use crate::advice_flow::complete_advice;
use crate::helpers::{spawn_app, TestApp};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn step<'a>(timeline: &'a Value, kind: &str) -> &'a Value {
    timeline["steps"].as_array().unwrap().iter().rev().find(|s| s["step"] == kind).unwrap_or(&Value::Null)
}

async fn decide(app: &TestApp, o: &str, case: &str, kind: &str, on: &str) {
    app.pin_clock(day(on));
    let body = match kind {
        "to_assess" | "to_issue_plan" => json!({"kind": kind, "outcome": "yes", "decided_on": on}),
        _ => json!({"kind": kind, "decided_on": on}),
    };
    let decided = app.post(&format!("/api/v1/cases/{case}/decisions"), Some(o), body).await;
    assert_eq!(decided.status, 201, "{kind} on {on}: {:?}", decided.body);
}

#[tokio::test]
async fn an_annual_review_with_contributions_amends_the_plan_then_it_ceases_with_notice_of_appeal() {
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let officer = app.person(&admin, "officer@la.example", "assessment_officer", None, "07700 900310").await;
    let o = &officer.session.access;
    let pro =
        app.person(&officer.session, "sw@care.example", "professional", Some("social_care"), "07700 900311").await;
    let mum = app.person(&officer.session, "mum@family.example", "parent_carer", None, "07700 900312").await;
    let case = app
        .post(
            "/api/v1/cases",
            Some(o),
            json!({"given_name": "Morwenna", "family_name": "Pascoe", "date_of_birth": "2012-03-01",
                   "request_received_on": "2024-01-08", "request_source": "parent_or_young_person",
                   "upn": "A123456789012"}),
        )
        .await;
    assert_eq!(case.status, 201, "{:?}", case.body);
    let (case, reference) =
        (case.body["id"].as_str().unwrap().to_owned(), case.body["reference"].as_str().unwrap().to_owned());
    for who in [&mum.id, &pro.id] {
        let joined = app.post(&format!("/api/v1/cases/{case}/participants"), Some(o), json!({"user_id": who})).await;
        assert_eq!(joined.status, 201, "{:?}", joined.body);
    }
    // Assessed, and the final plan issued within 20 weeks (due 27 May 2024).
    for (kind, on) in [
        ("to_assess", "2024-02-12"),
        ("to_issue_plan", "2024-04-15"),
        ("draft_plan_issued", "2024-04-22"),
        ("final_plan_issued", "2024-05-20"),
    ] {
        decide(&app, o, &case, kind, on).await;
    }
    let meeting = format!("/api/v1/cases/{case}/review-meeting");

    // 1 April 2025: the review meeting arranged for 29 April, notice today.
    app.pin_clock(day("2025-04-01"));
    assert_eq!(
        app.put_json(&meeting, &pro.session.access, None, json!({"meeting_on": "2025-04-29"})).await.status,
        403
    );
    let past = app.put_json(&meeting, o, None, json!({"meeting_on": "2025-03-01"})).await;
    assert_eq!((past.status, past.pointers()), (422, vec!["/meeting_on".to_owned()]));
    let arranged = app.put_json(&meeting, o, None, json!({"meeting_on": "2025-04-29"})).await;
    assert_eq!(arranged.status, 200, "{:?}", arranged.body);
    assert_eq!(arranged.body["notice_given_on"], "2025-04-01");
    assert_eq!(arranged.body["notice_due_by"], "2025-04-15", "reg 20(3): two weeks before");
    assert_eq!(arranged.body["circulate_by"], "2025-04-15", "reg 20(4): two weeks before");
    // A contribution asked of the social worker through a request for advice.
    let asked = app
        .post(
            &format!("/api/v1/cases/{case}/advice-requests"),
            Some(o),
            json!({"specialism": "social_care", "areas": ["social_care"], "addressee_user_id": pro.id,
                   "requested_on": "2025-04-01", "due_on": "2025-04-14"}),
        )
        .await;
    assert_eq!(asked.status, 201, "{:?}", asked.body);
    let request = asked.body["id"].as_str().unwrap().to_owned();
    let timeline = app.get(&format!("/api/v1/cases/{case}/timeline"), Some(o)).await.body;
    assert_eq!(step(&timeline, "review_notice")["status"], "met");
    assert_eq!(step(&timeline, "review_advice_circulated")["status"], "due");
    let contribution = step(&timeline, "review_contribution");
    assert_eq!(
        (contribution["advice_request_id"].as_str(), contribution["rule"].as_str()),
        (Some(request.as_str()), Some("reg 20(4): in time to circulate"))
    );
    assert!(
        !timeline["steps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["step"] == "advice" && s["advice_request_id"] == request.as_str()),
        "a review's contribution is not under reg 8(1)'s 6 weeks"
    );

    // 10 April: the contribution arrives; 14 April: circulated to everyone.
    app.pin_clock(day("2025-04-10"));
    let advice = format!("/api/v1/advice-requests/{request}/advice");
    let tag = app.get(&advice, Some(&pro.session.access)).await.header("etag").unwrap();
    assert_eq!(app.put_json(&advice, &pro.session.access, Some(&tag), complete_advice()).await.status, 200);
    assert_eq!(app.post(&format!("{advice}/submit"), Some(&pro.session.access), json!({})).await.status, 200);
    app.pin_clock(day("2025-04-14"));
    let circulated = app.post(&format!("{meeting}/circulation"), Some(o), json!({})).await;
    assert_eq!(
        (circulated.status, &circulated.body["circulated_on"]),
        (200, &json!("2025-04-14")),
        "{:?}",
        circulated.body
    );
    // The hub's own dispatcher may be delivering them: wait for the outbox.
    app.wait_for_message("mum@family.example", "invited to the review meeting").await;
    app.wait_for_message("mum@family.example", "is ready to read").await;
    let to_mum: Vec<String> = app
        .outbox_messages()
        .iter()
        .filter(|m| m["to"] == "mum@family.example")
        .map(|m| m["body"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        to_mum.iter().any(|b| b.contains("invited to the review meeting") && b.contains("29 April 2025")),
        "{to_mum:?}"
    );
    assert!(to_mum.iter().any(|b| b.contains("is ready to read") && b.contains(&reference)));
    assert!(to_mum.iter().all(|b| !b.contains("Morwenna") && !b.contains("Pascoe")));

    // The meeting, its report, amendments proposed and the amended plan.
    decide(&app, o, &case, "annual_review_meeting_held", "2025-04-29").await;
    decide(&app, o, &case, "review_report_sent", "2025-05-08").await;
    decide(&app, o, &case, "amendment_proposed", "2025-05-20").await;
    decide(&app, o, &case, "amended_plan_issued", "2025-07-10").await;
    let timeline = app.get(&format!("/api/v1/cases/{case}/timeline"), Some(o)).await.body;
    for (kind, due, done) in [
        ("review_notice", "2025-04-15", "2025-04-01"),
        ("review_advice_circulated", "2025-04-15", "2025-04-14"),
        ("review_contribution", "2025-04-14", "2025-04-10"),
        ("review_report", "2025-05-13", "2025-05-08"),
        ("review_decision", "2025-05-27", "2025-05-20"),
        ("amended_plan", "2025-07-15", "2025-07-10"),
    ] {
        let s = step(&timeline, kind);
        assert_eq!(
            (s["due_on"].as_str(), s["done_on"].as_str(), s["status"].as_str()),
            (Some(due), Some(done), Some("met")),
            "{kind}: {s}"
        );
    }
    assert_eq!(step(&timeline, "annual_review")["due_on"], "2026-04-29", "12 months from the meeting (s.44)");

    // A move to secondary school in September 2026: reviewed and amended by
    // 15 February 2026 (reg 18(1)(b)).
    let transfer = app
        .put_json(
            &format!("/api/v1/cases/{case}/phase-transfer"),
            o,
            None,
            json!({"kind": "school_phase", "transfer_on": "2026-09-01"}),
        )
        .await;
    assert_eq!((transfer.status, &transfer.body["review_due_on"]), (200, &json!("2026-02-15")), "{:?}", transfer.body);
    decide(&app, o, &case, "amendment_proposed", "2026-01-20").await;
    decide(&app, o, &case, "amended_plan_issued", "2026-02-10").await;
    let timeline = app.get(&format!("/api/v1/cases/{case}/timeline"), Some(o)).await.body;
    let phase = step(&timeline, "phase_transfer_review");
    assert_eq!((phase["due_on"].as_str(), phase["status"].as_str()), (Some("2026-02-15"), Some("met")), "{phase}");

    // 1 June 2026: the plan ceases, with a reason the law allows at 14.
    app.pin_clock(day("2026-06-01"));
    let cease = format!("/api/v1/cases/{case}/cease");
    let young =
        app.post(&cease, Some(o), json!({"reason": "no_longer_wishes_to_engage", "decided_on": "2026-05-28"})).await;
    assert_eq!((young.status, young.pointers()), (422, vec!["/reason".to_owned()]), "reg 29: under 18");
    let bare = app
        .post(
            &format!("/api/v1/cases/{case}/decisions"),
            Some(o),
            json!({"kind": "plan_ceased", "decided_on": "2026-05-28"}),
        )
        .await;
    assert_eq!((bare.status, bare.pointers()), (422, vec!["/kind".to_owned()]), "a cease needs its notice");
    assert_eq!(
        app.post(
            &cease,
            Some(&mum.session.access),
            json!({"reason": "needs_met_without_plan", "decided_on": "2026-05-28"})
        )
        .await
        .status,
        403
    );
    let ceased =
        app.post(&cease, Some(o), json!({"reason": "needs_met_without_plan", "decided_on": "2026-05-28"})).await;
    assert_eq!(ceased.status, 201, "{:?}", ceased.body);
    assert!(ceased.header("location").is_some());
    assert_eq!(ceased.body["appeal_by"], "2026-08-01", "2 months after the notice (HESC rule 20(1)(c))");
    assert_eq!(ceased.body["ceases_on"], "2026-08-01");
    assert_eq!(
        (ceased.body["sen2_code"].as_str(), ceased.body["ground"].as_str()),
        (Some("2"), Some("s.45(1)(b): no longer necessary"))
    );
    assert_eq!(
        ceased.body["retained_until"], "2043-03-01",
        "the later of birth + 31 years and 6 years after the cease"
    );
    assert_eq!(
        app.post(&cease, Some(o), json!({"reason": "needs_met_without_plan", "decided_on": "2026-05-28"})).await.status,
        409
    );
    assert_eq!(app.get(&format!("/api/v1/cases/{case}"), Some(o)).await.body["stage"], "ceased");
    let notice = app.wait_for_message("mum@family.example", "cease to maintain").await;
    let body = notice["body"].as_str().unwrap();
    for needle in ["appeal", "1 August 2026", "mediation", "SENDIASS", &reference] {
        assert!(body.contains(needle), "{needle} in {body}");
    }
    assert!(!body.contains("Morwenna") && !body.contains("Pascoe"));
    let timeline = app.get(&format!("/api/v1/cases/{case}/timeline"), Some(o)).await.body;
    assert_eq!(step(&timeline, "cease_appeal_period")["status"], "due");
    app.unpin_clock();
    let timeline = app.get(&format!("/api/v1/cases/{case}/timeline"), Some(o)).await.body;
    assert_eq!(step(&timeline, "cease_appeal_period")["done_on"], "2026-08-01", "the time to appeal has run");

    // The timeliness report counts the review cycle.
    let report = app.get("/api/v1/reports/timeliness?from=2025-01-01&to=2026-12-31", Some(o)).await;
    assert_eq!(report.status, 200, "{:?}", report.body);
    let cycle = &report.body["plans_in_force"];
    assert_eq!(
        (cycle["review_decisions"]["total"].as_u64(), cycle["review_decisions"]["within"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(cycle["review_decisions"]["median_days"], 21.0);
    assert_eq!(
        (cycle["amended_plans"]["total"].as_u64(), cycle["amended_plans"]["within"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(
        (cycle["phase_transfers"]["total"].as_u64(), cycle["phase_transfers"]["within"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(cycle["annual_reviews_overdue"], 0, "a ceased plan has no review due");

    // SEN2: the review's outcome and the cease with its reason.
    let csv =
        app.client.get(format!("{}/api/v1/reports/sen2?year=2026", app.base)).bearer_auth(o).send().await.unwrap();
    let csv = csv.text().await.unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let row: Vec<&str> = csv.lines().find(|l| l.contains(&reference)).unwrap().split(',').collect();
    let field = |name: &str| row[header.iter().position(|h| *h == name).unwrap()];
    assert_eq!(
        (field("RequestOutcome"), field("ReviewOutcome"), field("CeaseDate"), field("CeaseReason")),
        ("Y", "A", "2026-08-01", "2")
    );
    assert_eq!(
        app.get("/api/v1/reports/sen2?year=2026&format=xml", Some(o)).await.status,
        400,
        "the XML names the authority"
    );
    let xml = app
        .client
        .get(format!("{}/api/v1/reports/sen2?year=2026&format=xml&la_number=999", app.base))
        .bearer_auth(o)
        .send()
        .await
        .unwrap();
    assert!(xml.headers()["content-type"].to_str().unwrap().starts_with("application/xml"));
    let xml = xml.text().await.unwrap();
    for item in [
        "<LEA>999</LEA>",
        "<Year>2027</Year>",
        "<ReferenceDate>2027-01-21</ReferenceDate>",
        "<UPN>A123456789012</UPN>",
        "<StartDate>2024-05-20</StartDate>",
        "<CeaseDate>2026-08-01</CeaseDate>",
        "<CeaseReason>2</CeaseReason>",
        "<ReviewMeeting>2025-04-29</ReviewMeeting>",
        "<ReviewOutcome>A</ReviewOutcome>",
        "<Week20>false</Week20>",
    ] {
        assert!(xml.contains(item), "{item} in {xml}");
    }
    valid_against_the_xsd(&xml);
}

/// libxml2's validator (not the hub's code) checks the return against the
/// XSD in docs/, and the XSD refuses what the collection refuses.
fn valid_against_the_xsd(xml: &str) {
    let xsd = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/sen2/ehc-hub-sen2-2024.xsd");
    let dir = crate::helpers::temp_dir();
    let check = |name: &str, text: &str| {
        let file = dir.join(name);
        std::fs::write(&file, text).unwrap();
        std::process::Command::new("xmllint")
            .args(["--noout", "--schema", xsd])
            .arg(&file)
            .output()
            .expect("xmllint (libxml2-utils)")
    };
    let out = check("sen2.xml", xml);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let broken = xml.replacen("<CeaseReason>2</CeaseReason>", "<CeaseReason>12</CeaseReason>", 1);
    assert!(!check("broken.xml", &broken).status.success(), "the XSD refuses a cease reason SEN2 has no code for");
}

#[tokio::test]
async fn a_ceased_plans_case_is_kept_six_years_after_the_plan_ends() {
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let officer = app.person(&admin, "officer@la.example", "assessment_officer", None, "07700 900320").await;
    let o = &officer.session.access;
    // A young person asked for an assessment at 23; six years on, birth +
    // 31 years has passed, but a plan in force is kept whatever its dates.
    let case = app
        .post(
            "/api/v1/cases",
            Some(o),
            json!({"given_name": "Jory", "family_name": "Angove", "date_of_birth": "2000-01-15",
                   "request_received_on": "2023-09-04", "request_source": "parent_or_young_person"}),
        )
        .await;
    assert_eq!(case.status, 201, "{:?}", case.body);
    let case = case.body["id"].as_str().unwrap().to_owned();
    for (kind, on) in [
        ("to_assess", "2025-02-10"),
        ("to_issue_plan", "2025-04-07"),
        ("draft_plan_issued", "2025-04-14"),
        ("final_plan_issued", "2025-05-19"),
    ] {
        decide(&app, o, &case, kind, on).await;
    }
    app.unpin_clock();
    let purge_on = |on: &str| {
        app.pin_clock(day(on));
        ehc_api::retention::purge_once(&app.state)
    };
    let today = chrono::Utc::now().date_naive();
    let far = |years: u32| (today + chrono::Months::new(years * 12)).format("%Y-%m-%d").to_string();
    assert_eq!(purge_on(&far(6)).await.unwrap().purged, 0, "a plan in force is never purged by its dates");
    app.unpin_clock();
    let ceased = app
        .post(
            &format!("/api/v1/cases/{case}/cease"),
            Some(o),
            json!({"reason": "reached_maximum_age", "decided_on": today}),
        )
        .await;
    assert_eq!(ceased.status, 201, "{:?}", ceased.body);
    let ceases_on = day(ceased.body["ceases_on"].as_str().unwrap());
    assert_eq!(day(ceased.body["retained_until"].as_str().unwrap()), ceases_on + chrono::Months::new(72));
    let before = (ceases_on + chrono::Months::new(72) - chrono::Duration::days(1)).format("%Y-%m-%d").to_string();
    assert_eq!(purge_on(&before).await.unwrap().purged, 0, "kept six years after the plan ended");
    let after = (ceases_on + chrono::Months::new(72)).format("%Y-%m-%d").to_string();
    assert_eq!(purge_on(&after).await.unwrap().purged, 1, "then purged");
    app.unpin_clock();
}
