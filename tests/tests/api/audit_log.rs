//! The audit log: every read and change of case data, who and which request,
//! in an append-only hash chain whose tampering `audit verify` finds.

use diesel::RunQueryDsl;
use ehc_api::audit::{verify_chain, ChainReport};
use ehc_domain::audit::ChainBreak;
use serde_json::json;

use crate::helpers::{backend, spawn_app, Backend};

#[tokio::test]
async fn reads_and_changes_are_chained_and_tampering_is_found_where_it_happened() {
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let officer = app.person(&admin, "officer@la.example", "assessment_officer", None, "07700 900400").await;
    let pro = app
        .person(&officer.session, "ep@la.example", "professional", Some("educational_psychology"), "07700 900401")
        .await;
    let o = &officer.session.access;
    let case = app.post("/api/v1/cases", Some(o), json!({"given_name": "Imogen", "family_name": "Thistlewood", "date_of_birth": "2013-05-06", "request_received_on": "2026-11-02", "request_source": "school"})).await;
    let case_id = case.body["id"].as_str().unwrap().to_owned();
    let request = app.post(&format!("/api/v1/cases/{case_id}/advice-requests"), Some(o), json!({"specialism": "educational_psychology", "areas": ["sen_cognition_and_learning"], "addressee_user_id": pro.id})).await;
    let request_id = request.body["id"].as_str().unwrap().to_owned();
    let read = app
        .client
        .get(format!("{}/api/v1/advice-requests/{request_id}/advice", app.base))
        .bearer_auth(&pro.session.access)
        .header("x-request-id", "forged-audit-test-read-1")
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), 200);
    let server_id = read.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_ne!(server_id, "forged-audit-test-read-1");
    assert_eq!(app.get(&format!("/api/v1/cases/{case_id}"), Some(&pro.session.access)).await.status, 200);
    // A refused read is not a read.
    assert_eq!(app.get(&format!("/api/v1/cases/{case_id}/audit"), Some(&pro.session.access)).await.status, 403);

    let log = app.get(&format!("/api/v1/cases/{case_id}/audit"), Some(o)).await;
    assert_eq!(log.status, 200, "{:?}", log.body);
    let items = log.body["items"].as_array().unwrap().clone();
    let actions: Vec<&str> = items.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["case.create", "advice_request.create", "advice.read", "case.read"]);
    let advice_read = &items[2];
    assert_eq!(advice_read["actor_user_id"], pro.id.as_str());
    assert_eq!(advice_read["subject_id"], request_id.as_str());
    assert_eq!(advice_read["request_id"], server_id.as_str(), "the entry names the server's id of the HTTP request");
    assert!(!log.body.to_string().contains("forged-"), "a client's id never reaches the audit log");
    let again = app.get(&format!("/api/v1/cases/{case_id}/audit"), Some(o)).await;
    assert_eq!(
        again.body["items"].as_array().unwrap().last().unwrap()["action"],
        "audit.read",
        "reading the log is itself recorded"
    );
    for entry in &items {
        let text = entry.to_string();
        for personal in ["Imogen", "Thistlewood", "2013-05-06"] {
            assert!(!text.contains(personal), "the audit log holds ids and actions, not {personal}");
        }
    }

    let db = app.state.db.clone();
    let report = tokio::task::spawn_blocking(move || verify_chain(&db)).await.unwrap().unwrap();
    let ChainReport::Intact { entries } = report else { panic!("an untouched chain verifies: {report}") };
    assert!(entries >= 5);

    // The log refuses changes through the database too...
    let db = app.state.db.clone();
    let refused = db.transaction(|conn| {
        diesel::sql_query("UPDATE audit_log SET action = 'case.list' WHERE seq = 3")
            .execute(conn)
            .map_err(ehc_storage::StorageError::from)
    });
    assert!(refused.is_err(), "audit_log is append-only");
    // ...so someone with the database owner's rights must switch that off
    // to rewrite history. The chain still shows it, at the entry changed.
    let tamper = match backend() {
        Backend::Postgres => vec![
            "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
            "UPDATE audit_log SET actor_user_id = NULL WHERE seq = 3",
        ],
        Backend::Sqlite => {
            vec!["DROP TRIGGER audit_log_no_update", "UPDATE audit_log SET actor_user_id = NULL WHERE seq = 3"]
        }
    };
    db.transaction(|conn| {
        for sql in &tamper {
            diesel::sql_query(*sql).execute(conn).map_err(ehc_storage::StorageError::from)?;
        }
        Ok::<_, ehc_storage::StorageError>(())
    })
    .unwrap();
    let db = app.state.db.clone();
    let report = tokio::task::spawn_blocking(move || verify_chain(&db)).await.unwrap().unwrap();
    assert_eq!(report, ChainReport::Broken { after_intact: 2, at: ChainBreak::AlteredEntry { seq: 3 } });
    assert!(report.to_string().contains("entry 3 was changed"), "{report}");
}

/// A listed page or a report appends many entries at once: they chain in
/// order across insert batches.
#[tokio::test]
async fn many_entries_appended_at_once_chain_in_order() {
    let app = spawn_app().await;
    let at = chrono::Utc::now().naive_utc();
    let entries: Vec<ehc_storage::audit::NewAuditEntry> = (0..2500)
        .map(|i| ehc_storage::audit::NewAuditEntry {
            at,
            actor_user_id: None,
            action: "case.list".into(),
            case_id: Some(format!("case-{i}")),
            subject_id: None,
            request_id: None,
        })
        .collect();
    let db = app.state.db.clone();
    db.transaction(|conn| ehc_storage::audit::append_all(conn, entries)).unwrap();
    // The hub's own chainer may have linked some already: either way, all are.
    db.transaction(ehc_storage::audit::chain_pending).unwrap();
    assert_eq!(db.transaction(ehc_storage::audit::entry_count).unwrap(), 2500);
    assert_eq!(db.transaction(ehc_storage::audit::pending_count).unwrap(), 0);
    let first = db.transaction(|conn| ehc_storage::audit::entries_of_case(conn, "case-0", 0, 10)).unwrap();
    assert_eq!(first[0].seq, 1);
    let report = tokio::task::spawn_blocking(move || verify_chain(&db)).await.unwrap().unwrap();
    assert_eq!(report, ChainReport::Intact { entries: 2500 });
}

/// An entry is written by the work it records, in its transaction: work
/// rolled back leaves none, and what committed is linked into the chain.
#[tokio::test]
async fn an_entry_exists_only_if_its_work_committed_and_is_then_chained() {
    let app = spawn_app().await;
    let db = app.state.db.clone();
    let entry = |action: &str| ehc_storage::audit::NewAuditEntry {
        at: chrono::Utc::now().naive_utc(),
        actor_user_id: None,
        action: action.into(),
        case_id: Some("case-rolled-back-or-not".into()),
        subject_id: None,
        request_id: None,
    };
    let rolled_back: Result<(), ehc_storage::StorageError> = db.transaction(|conn| {
        ehc_storage::audit::append(conn, entry("case.read"))?;
        Err(ehc_storage::StorageError::NotFound)
    });
    assert!(rolled_back.is_err());
    db.transaction(|conn| ehc_storage::audit::append(conn, entry("case.update"))).unwrap();
    let entries = db
        .transaction(|conn| {
            ehc_storage::audit::chain_pending(conn)?;
            ehc_storage::audit::entries_of_case(conn, "case-rolled-back-or-not", 0, 10)
        })
        .unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["case.update"], "the rolled-back read left no entry");
    assert_eq!(db.transaction(ehc_storage::audit::pending_count).unwrap(), 0);
    let report = tokio::task::spawn_blocking(move || verify_chain(&db)).await.unwrap().unwrap();
    assert!(matches!(report, ChainReport::Intact { .. }), "{report}");
}
