//! Data protection: the subject-access export holds everything about the
//! child, documents included; the retention purge removes cases past date of
//! birth + 31 years with their blobs, spares legal holds, and is audited
//! without personal data. On the S3 server when one is configured.

use std::io::Read;

use serde_json::{json, Value};

use crate::helpers::{s3_env, spawn_app_with, Person, TestApp};

struct World {
    app: TestApp,
    officer: Person,
    pro: Person,
}

async fn world() -> World {
    let app = spawn_app_with(|env| {
        s3_env(env);
        env.insert("EHC_JOBS".into(), "false".into());
    })
    .await;
    if let ehc_storage::blob::BlobStore::S3(s3) = &app.state.blobs {
        s3.ensure_bucket().await.unwrap();
    }
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let officer = app.person(&admin, "officer@la.example", "assessment_officer", None, "07700 900500").await;
    let pro = app
        .person(&officer.session, "ep@la.example", "professional", Some("educational_psychology"), "07700 900501")
        .await;
    World { app, officer, pro }
}

/// A case with a request for advice and one uploaded report: (case, request, document).
async fn case_with_report(w: &World, given: &str, born: &str, report: &[u8]) -> (String, String, String) {
    let o = &w.officer.session.access;
    let case = w.app.post("/api/v1/cases", Some(o), json!({"given_name": given, "family_name": "Ravensworth", "date_of_birth": born, "request_received_on": "2026-11-02", "request_source": "school"})).await;
    let case_id = case.body["id"].as_str().unwrap().to_owned();
    let request = w.app.post(&format!("/api/v1/cases/{case_id}/advice-requests"), Some(o), json!({"specialism": "educational_psychology", "areas": ["sen_cognition_and_learning"], "addressee_user_id": w.pro.id})).await;
    let request_id = request.body["id"].as_str().unwrap().to_owned();
    let uploaded = w
        .app
        .client
        .post(format!("{}/api/v1/advice-requests/{request_id}/documents", w.app.base))
        .bearer_auth(&w.pro.session.access)
        .header("content-type", "application/pdf")
        .header("content-disposition", "attachment; filename=\"EP report.pdf\"")
        .body(report.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.status(), 201);
    let document: Value = uploaded.json().await.unwrap();
    (case_id, request_id, document["id"].as_str().unwrap().to_owned())
}

/// The professional completes and submits the advice, publishing it (and
/// the documents uploaded with it).
async fn publish_advice(w: &World, request_id: &str) {
    let path = format!("/api/v1/advice-requests/{request_id}/advice");
    let pro = &w.pro.session.access;
    let tag = w.app.get(&path, Some(pro)).await.header("etag").unwrap();
    let content = json!({
        "will_provide": "yes_known_meets_criteria",
        "details": "Assessed in school in November.",
        "areas": [{
            "area": "sen_cognition_and_learning",
            "strengths": "Reads fluently at age level.",
            "needs": "Working memory well below age level.",
            "outcomes": [{"text": "To follow three-step instructions in class", "kind": "education",
                          "steps": [{"text": "Follows two-step instructions", "target_date": "2030-07-01"}]}],
            "provisions": [{"support_needed": "Memory strategies", "provided_by": "Teaching assistant",
                            "staff_student_ratio": "1:1", "quantity": "30 minutes", "frequency": "3 times a week"}]
        }]
    });
    assert_eq!(w.app.put_json(&path, pro, Some(&tag), content).await.status, 200);
    let sent = w.app.post(&format!("{path}/submit"), Some(pro), json!({})).await;
    assert_eq!(sent.status, 200, "{:?}", sent.body);
}

fn pdf(text: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {text}\n%%EOF\n").into_bytes()
}

#[tokio::test]
async fn the_export_holds_everything_about_the_child_and_only_officers_get_it() {
    let w = world().await;
    let report = pdf("Cognitive assessment, November");
    let (case_id, request_id, document_id) = case_with_report(&w, "Perpetua", "2014-02-03", &report).await;
    let o = &w.officer.session.access;
    publish_advice(&w, &request_id).await;
    assert_eq!(
        w.app
            .post(
                &format!("/api/v1/cases/{case_id}/decisions"),
                Some(o),
                json!({"kind": "to_assess", "outcome": "yes", "decided_on": "2026-11-20"})
            )
            .await
            .status,
        201
    );
    assert_eq!(
        w.app.get(&format!("/api/v1/cases/{case_id}/export"), Some(&w.pro.session.access)).await.status,
        403,
        "a participant, not an officer"
    );

    let res =
        w.app.client.get(format!("{}/api/v1/cases/{case_id}/export", w.app.base)).bearer_auth(o).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/zip");
    let bytes = res.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut read = |name: &str| -> Vec<u8> {
        let mut out = Vec::new();
        zip.by_name(name).unwrap_or_else(|_| panic!("{name} in the export")).read_to_end(&mut out).unwrap();
        out
    };
    let case: Value = serde_json::from_slice(&read("case.json")).unwrap();
    assert_eq!(case["child"]["given_name"], "Perpetua");
    let document = read(&format!("documents/{request_id}/{document_id}-EP_report.pdf"));
    assert_eq!(document, report, "the document, byte for byte");
    let advice: Value = serde_json::from_slice(&read(&format!("advice/{request_id}.json"))).unwrap();
    assert_eq!(advice["request_id"], request_id.as_str());
    let decisions: Value = serde_json::from_slice(&read("decisions.json")).unwrap();
    assert_eq!(decisions[0]["kind"], "to_assess");
    let timeline: Value = serde_json::from_slice(&read("timeline.json")).unwrap();
    assert_eq!(timeline["steps"][0]["step"], "decision_to_assess");
    let notices: Value = serde_json::from_slice(&read("notifications.json")).unwrap();
    assert!(
        notices.as_array().unwrap().iter().any(|n| n["event"] == "request_issued"),
        "what the hub told people is part of what it holds"
    );
    let audit: Value = serde_json::from_slice(&read("audit.json")).unwrap();
    assert!(audit.as_array().unwrap().iter().any(|e| e["action"] == "document.upload"));
    let names: Vec<String> = zip.file_names().map(str::to_owned).collect();
    for expected in [
        "participants.json",
        "advice_requests.json",
        "documents.json",
        "exceptions.json",
        "legal_hold.json",
        "README.txt",
    ] {
        assert!(names.iter().any(|n| n == expected), "{expected} missing from {names:?}");
    }
    let log = w.app.get(&format!("/api/v1/cases/{case_id}/audit"), Some(o)).await;
    assert!(
        log.body["items"].as_array().unwrap().iter().any(|e| e["action"] == "case.export"),
        "the export is audited"
    );
}

/// The access model decides once: an officer's export holds what the API
/// gives that officer, so a professional's draft and its documents stay out.
#[tokio::test]
async fn the_export_gives_the_officer_what_the_api_gives_and_no_drafts() {
    let w = world().await;
    let draft_report = pdf("Unfinished notes");
    let (case_id, request_id, document_id) = case_with_report(&w, "Quentin", "2015-06-07", &draft_report).await;
    let o = &w.officer.session.access;
    let api = w.app.get(&format!("/api/v1/advice-requests/{request_id}/documents"), Some(o)).await;
    assert_eq!(api.body["items"], json!([]), "the API does not give the officer the draft's document");
    let res =
        w.app.client.get(format!("{}/api/v1/cases/{case_id}/export", w.app.base)).bearer_auth(o).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let names: Vec<String> = zip.file_names().map(str::to_owned).collect();
    assert!(!names.iter().any(|n| n.contains(&document_id)), "no draft document in {names:?}");
    let mut text = String::new();
    zip.by_name(&format!("advice/{request_id}.json")).unwrap().read_to_string(&mut text).unwrap();
    let advice: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(advice["working_copy"], Value::Null, "the draft is the author's");
    assert_eq!(advice["versions"], json!([]));
}

#[tokio::test]
async fn the_purge_removes_cases_past_retention_with_their_blobs_and_spares_legal_holds() {
    let w = world().await;
    let o = &w.officer.session.access;
    let (old, _, _) = case_with_report(&w, "Ottoline", "2014-07-19", &pdf("old report")).await;
    let (held, _, _) = case_with_report(&w, "Hephzibah", "2014-07-19", &pdf("held report")).await;
    let (young, _, _) = case_with_report(&w, "Yolanda", "2020-01-01", &pdf("young report")).await;
    let hold = w
        .app
        .put_json(&format!("/api/v1/cases/{held}/legal-hold"), o, None, json!({"reason": "Tribunal appeal pending."}))
        .await;
    assert_eq!(hold.status, 200, "{:?}", hold.body);
    assert_eq!(w.app.state.blobs.list_keys("").await.unwrap().len(), 3);

    // 31 years after 19 July 2014 is 19 July 2045: the next day, it goes.
    w.app.pin_clock(chrono::NaiveDate::from_ymd_opt(2045, 7, 19).unwrap());
    assert_eq!(ehc_api::retention::purge_once(&w.app.state).await.unwrap().purged, 0, "not before its day");
    w.app.pin_clock(chrono::NaiveDate::from_ymd_opt(2045, 7, 20).unwrap());
    assert_eq!(ehc_api::retention::purge_once(&w.app.state).await.unwrap().purged, 1);
    assert_eq!(ehc_api::retention::purge_once(&w.app.state).await.unwrap().purged, 0, "a second run finds nothing");
    w.app.unpin_clock();

    assert_eq!(w.app.get(&format!("/api/v1/cases/{old}"), Some(o)).await.status, 404);
    assert_eq!(w.app.get(&format!("/api/v1/cases/{held}"), Some(o)).await.status, 200, "on legal hold");
    assert_eq!(w.app.get(&format!("/api/v1/cases/{young}"), Some(o)).await.status, 200);
    assert_eq!(
        w.app.state.blobs.list_keys("").await.unwrap().len(),
        2,
        "the purged case's document is gone from the blob store"
    );
    let db = w.app.state.db.clone();
    let old_id = old.clone();
    let leftovers = db
        .transaction(|conn| {
            use diesel::RunQueryDsl;
            #[derive(diesel::QueryableByName)]
            struct Count {
                #[diesel(sql_type = diesel::sql_types::BigInt)]
                n: i64,
            }
            let mut total = 0;
            for table in ["advice_requests", "case_participants", "notifications", "case_decisions"] {
                let sql = format!("SELECT COUNT(*) AS n FROM {table} WHERE case_id = '{old_id}'");
                total += diesel::sql_query(sql).get_result::<Count>(conn).map_err(ehc_storage::StorageError::from)?.n;
            }
            Ok::<_, ehc_storage::StorageError>(total)
        })
        .unwrap();
    assert_eq!(leftovers, 0, "no row of the purged case remains");

    // The purge is in the audit log, by case id only, and the chain holds.
    let entries = db
        .transaction(|conn| {
            ehc_storage::audit::chain_pending(conn)?;
            ehc_storage::audit::entries_of_case(conn, &old, 0, 1000)
        })
        .unwrap();
    let purge = entries.iter().find(|e| e.action == "case.purge").expect("the purge is audited");
    assert_eq!(purge.actor_user_id, None);
    let report = tokio::task::spawn_blocking(move || ehc_api::audit::verify_chain(&db)).await.unwrap().unwrap();
    assert!(matches!(report, ehc_api::audit::ChainReport::Intact { .. }), "{report}");

    // Lifting the hold lets the next run purge it.
    assert_eq!(
        w.app.call(reqwest::Method::DELETE, &format!("/api/v1/cases/{held}/legal-hold"), Some(o), None).await.status,
        204
    );
    w.app.pin_clock(chrono::NaiveDate::from_ymd_opt(2045, 7, 20).unwrap());
    assert_eq!(ehc_api::retention::purge_once(&w.app.state).await.unwrap().purged, 1);
    w.app.unpin_clock();
}

#[tokio::test]
async fn the_purge_keeps_a_case_touched_in_the_last_ninety_days_whatever_its_dates() {
    let w = world().await;
    let o = &w.officer.session.access;
    let (case, _, _) = case_with_report(&w, "Perpetua", "2014-07-19", &pdf("report")).await;

    // Past retention by its dates, but changed that day (the audit log
    // records it): kept, and the report says so.
    assert_eq!(w.app.get(&format!("/api/v1/cases/{case}"), Some(o)).await.status, 200);
    w.app.pin_clock(chrono::NaiveDate::from_ymd_opt(2045, 7, 20).unwrap());
    let touched_at = w.app.state.now();
    let id = case.clone();
    w.app
        .state
        .db
        .transaction(move |conn| ehc_api::audit::record_system(conn, touched_at, "case.update", Some(&id), None))
        .unwrap();
    let kept = ehc_api::retention::purge_once(&w.app.state).await.unwrap();
    assert_eq!((kept.purged, kept.kept_recent), (0, 1));
    w.app.pin_clock(chrono::NaiveDate::from_ymd_opt(2045, 10, 17).unwrap());
    assert_eq!(ehc_api::retention::purge_once(&w.app.state).await.unwrap().purged, 0, "89 days later: still kept");
    // Ninety-one days after it was last touched, it goes.
    w.app.pin_clock(chrono::NaiveDate::from_ymd_opt(2045, 10, 19).unwrap());
    let gone = ehc_api::retention::purge_once(&w.app.state).await.unwrap();
    assert_eq!((gone.purged, gone.kept_recent), (1, 0));
    w.app.unpin_clock();
}
