//! The notification outbox: who is told what, exactly once, with no
//! personal data, and nothing lost when delivery fails.

use serde_json::{json, Value};

use crate::helpers::{spawn_app, spawn_app_with, TestApp};

async fn wait_for(app: &TestApp, to: &str, needle: &str) -> Value {
    app.wait_for_message(to, needle).await
}

#[tokio::test]
async fn people_are_told_what_changed_and_never_who_it_is_about() {
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let officer = app.person(&admin, "officer@la.example", "assessment_officer", None, "07700 900070").await;
    let pro = app.person(&officer.session, "slt@nhs.example", "professional", Some("health"), "07700 900071").await;
    let parent = app.person(&officer.session, "dad@family.example", "parent_carer", None, "07700 900072").await;
    let o = &officer.session.access;
    let case = app
        .post("/api/v1/cases", Some(o), json!({"given_name": "Bartholomew", "family_name": "Featherstonehaugh", "date_of_birth": "2014-07-19",
            "nhs_number": "9434765919", "request_received_on": "2026-11-02", "request_source": "parent_or_young_person"}))
        .await;
    let case_id = case.body["id"].as_str().unwrap();
    let reference = case.body["reference"].as_str().unwrap().to_owned();
    assert_eq!(
        app.post(&format!("/api/v1/cases/{case_id}/participants"), Some(o), json!({"user_id": parent.id})).await.status,
        201
    );
    let request = app
        .post(
            &format!("/api/v1/cases/{case_id}/advice-requests"),
            Some(o),
            json!({"specialism": "health", "areas": ["health"], "addressee_user_id": pro.id}),
        )
        .await;
    let id = request.body["id"].as_str().unwrap();

    let issued = wait_for(&app, "slt@nhs.example", "A request for advice has been issued to you").await;
    assert!(issued["body"].as_str().unwrap().contains(&reference));
    assert_eq!(issued["subject"], format!("EHC Hub: case {reference} has changed"));

    let path = format!("/api/v1/advice-requests/{id}/advice");
    let tag = app.get(&path, Some(&pro.session.access)).await.header("etag").unwrap();
    assert_eq!(
        app.put_json(&path, &pro.session.access, Some(&tag), json!({"will_provide": "no_known_not_meeting_criteria"}))
            .await
            .status,
        200
    );
    assert_eq!(app.post(&format!("{path}/submit"), Some(&pro.session.access), json!({})).await.status, 200);
    wait_for(&app, "dad@family.example", &format!("Advice has been submitted on case {reference}")).await;
    wait_for(&app, "officer@la.example", &format!("Advice has been submitted on case {reference}")).await;

    assert_eq!(
        app.post(&format!("{path}/release"), Some(o), json!({"reason": "Please add the clinic letter."})).await.status,
        200
    );
    let released = wait_for(&app, "slt@nhs.example", "has been released so that you can change it").await;
    assert!(!released["body"].as_str().unwrap().contains("clinic letter"), "the reason stays in the hub");
    assert_eq!(
        app.post(
            &format!("/api/v1/cases/{case_id}/decisions"),
            Some(o),
            json!({"kind": "to_assess", "outcome": "yes", "decided_on": "2026-11-20"})
        )
        .await
        .status,
        201
    );
    wait_for(
        &app,
        "dad@family.example",
        "the decision whether to assess has been recorded. The case is now at the stage: being assessed.",
    )
    .await;

    // Nothing the hub said, in any message, carries the child's or family's
    // personal data (an address appears only as where a message goes).
    let everything: String = app.outbox_messages().iter().map(|m| format!("{} {}", m["subject"], m["body"])).collect();
    for personal in [
        "Bartholomew",
        "Featherstonehaugh",
        "2014-07-19",
        "19/07/2014",
        "9434765919",
        "900072",
        "900071",
        "Robin Example",
    ] {
        assert!(!everything.contains(personal), "{personal} was sent in a message");
    }
    let sent_to_officer_about_own_action = app
        .outbox_messages()
        .iter()
        .filter(|m| m["to"] == "officer@la.example" && m["body"].as_str().unwrap_or("").contains("has been released"))
        .count();
    assert_eq!(sent_to_officer_about_own_action, 0, "nobody is told about their own action");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_dispatchers_racing_deliver_each_notification_exactly_once() {
    let app = spawn_app_with(|env| {
        env.insert("EHC_DISPATCHER".into(), "false".into());
    })
    .await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let me = app.get("/api/v1/me", Some(&admin.access)).await.body["id"].as_str().unwrap().to_owned();
    let now = chrono::Utc::now().naive_utc();
    let rows: Vec<ehc_storage::notifications::NewNotification> = (0..60)
        .map(|i| ehc_storage::notifications::NewNotification {
            id: ehc_storage::new_id(),
            event: "decision_recorded".into(),
            case_id: None,
            recipient_user_id: me.clone(),
            subject: format!("race {i:02}"),
            body: format!("race body {i:02}"),
            created_at: now,
            next_attempt_at: now,
        })
        .collect();
    app.state.db.transaction(|c| ehc_storage::notifications::enqueue(c, &rows)).unwrap();

    let racer = |name: &'static str| {
        let state = app.state.clone();
        tokio::spawn(async move {
            let mut handled = 0;
            loop {
                match ehc_api::workers::dispatch_once(&state, name).await.unwrap() {
                    0 => break handled,
                    n => handled += n,
                }
            }
        })
    };
    let (a, b) = (racer("dispatcher-a"), racer("dispatcher-b"));
    let (a, b) = (a.await.unwrap(), b.await.unwrap());
    assert_eq!(a + b, 60, "every notification claimed once ({a} + {b})");
    let sent: Vec<String> = app
        .outbox_messages()
        .iter()
        .filter_map(|m| m["subject"].as_str().filter(|s| s.starts_with("race ")).map(str::to_owned))
        .collect();
    let mut unique = sent.clone();
    unique.sort();
    unique.dedup();
    assert_eq!((sent.len(), unique.len()), (60, 60), "each delivered exactly once");
    assert_eq!(app.state.db.transaction(ehc_storage::notifications::pending_count).unwrap(), 0);
}

#[tokio::test]
async fn a_failed_delivery_is_kept_and_retried_later() {
    let app = spawn_app_with(|env| {
        env.insert("EHC_DISPATCHER".into(), "false".into());
        env.insert("EHC_EMAIL".into(), "smtp".into());
        env.insert("EHC_SMTP_HOST".into(), "127.0.0.1".into());
        env.insert("EHC_SMTP_PORT".into(), "9".into());
        env.insert("EHC_SMTP_TLS".into(), "none".into());
    })
    .await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let me = app.get("/api/v1/me", Some(&admin.access)).await.body["id"].as_str().unwrap().to_owned();
    let now = chrono::Utc::now().naive_utc();
    let row = ehc_storage::notifications::NewNotification {
        id: ehc_storage::new_id(),
        event: "decision_recorded".into(),
        case_id: None,
        recipient_user_id: me,
        subject: "s".into(),
        body: "b".into(),
        created_at: now,
        next_attempt_at: now,
    };
    app.state.db.transaction(|c| ehc_storage::notifications::enqueue(c, &[row])).unwrap();
    assert_eq!(ehc_api::workers::dispatch_once(&app.state, "w").await.unwrap(), 1, "tried once");
    assert_eq!(app.state.db.transaction(ehc_storage::notifications::pending_count).unwrap(), 1, "kept after failing");
    assert_eq!(ehc_api::workers::dispatch_once(&app.state, "w").await.unwrap(), 0, "not retried before its back-off");
}
