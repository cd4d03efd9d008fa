//! The pool hands out connections without pinging them first: a connection
//! the server has closed is found by its BEGIN failing, dropped, and the
//! request goes on on a fresh one, so nobody sees the server's restart.

use diesel::{Connection, RunQueryDsl};
use serde_json::json;

use crate::helpers::{backend, spawn_app, Backend};

#[tokio::test]
async fn requests_go_on_after_the_database_closed_every_pooled_connection() {
    if backend() != Backend::Postgres {
        return; // an SQLite file has no server to close it
    }
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let officer = app.person(&admin, "officer@la.example", "assessment_officer", None, "07700 900330").await;
    let o = &officer.session.access;
    let case = app
        .post(
            "/api/v1/cases",
            Some(o),
            json!({"given_name": "Tamsin", "family_name": "Rowe", "date_of_birth": "2016-02-02",
                   "request_received_on": "2026-11-02", "request_source": "school"}),
        )
        .await;
    assert_eq!(case.status, 201);
    let case = case.body["id"].as_str().unwrap().to_owned();
    // Several requests at once, so the pool holds several connections.
    let warm: Vec<_> = (0..6).map(|_| app.get("/api/v1/me/requests", Some(o))).collect();
    for r in futures_util::future::join_all(warm).await {
        assert_eq!(r.status, 200);
    }
    for _ in 0..2 {
        // Ends every connection of the hub's to its database, from outside.
        let mut admin = diesel::PgConnection::establish(&crate::helpers::pg_admin_url()).unwrap();
        let ended: Vec<bool> =
            diesel::sql_query("SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = $1")
                .bind::<diesel::sql_types::Text, _>(&app.database_name)
                .load::<Ended>(&mut admin)
                .unwrap()
                .into_iter()
                .map(|r| r.ended)
                .collect();
        assert!(!ended.is_empty() && ended.iter().all(|e| *e), "the pool held connections, now closed");
        for path in ["/api/v1/me/requests".to_owned(), format!("/api/v1/cases/{case}"), "/api/v1/me".to_owned()] {
            let res = app.get(&path, Some(o)).await;
            assert_eq!(res.status, 200, "{path} after the server closed the connections: {:?}", res.body);
        }
    }
    let written = app
        .post(
            &format!("/api/v1/cases/{case}/decisions"),
            Some(o),
            json!({"kind": "to_assess", "outcome": "yes", "decided_on": "2026-11-20"}),
        )
        .await;
    assert_eq!(written.status, 201, "{:?}", written.body);
}

#[derive(diesel::QueryableByName)]
struct Ended {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    ended: bool,
}
