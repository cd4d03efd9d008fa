//! Safe retries (Idempotency-Key) and the events feed: a retried POST does
//! its work once; the feed shows every change once, in order, with no gaps,
//! even while two hub instances write at once.

use std::collections::HashSet;

use serde_json::{json, Value};

use crate::helpers::{backend, pg_admin_url, spawn_app, spawn_app_with, Backend, TestApp};
use crate::partners::{client_token, register};

fn case_body(given: &str) -> Value {
    json!({"given_name": given, "family_name": "Whitlow", "date_of_birth": "2015-06-07",
        "request_received_on": "2026-11-02", "request_source": "school"})
}

async fn post_with_key(app: &TestApp, token: &str, key: &str, body: &Value) -> (u16, Option<String>, Value) {
    let res = app
        .client
        .post(format!("{}/api/v1/cases", app.base))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let replayed = res.headers().get("idempotent-replayed").map(|v| v.to_str().unwrap().to_owned());
    (status, replayed, res.json().await.unwrap_or(Value::Null))
}

async fn case_count(app: &TestApp, token: &str) -> usize {
    app.get("/api/v1/cases?limit=200", Some(token)).await.body["items"].as_array().unwrap().len()
}

#[tokio::test]
async fn a_retried_post_does_its_work_once_and_a_reused_key_is_refused() {
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let officer = app.person(&admin, "officer@la.example", "assessment_officer", None, "07700 900070").await;
    let o = officer.session.access.clone();

    let (first, replayed, body) = post_with_key(&app, &o, "\"retry-1\"", &case_body("Ada")).await;
    assert_eq!((first, replayed), (201, None), "{body:?}");
    let (again, replayed, same) = post_with_key(&app, &o, "\"retry-1\"", &case_body("Ada")).await;
    assert_eq!((again, replayed.as_deref()), (201, Some("true")));
    assert_eq!(same, body, "the replay is the first answer");
    assert_eq!(case_count(&app, &o).await, 1);

    let (reused, _, problem) = post_with_key(&app, &o, "\"retry-1\"", &case_body("Bea")).await;
    assert_eq!(reused, 422, "{problem:?}");
    assert_eq!(problem["errors"][0]["code"], "idempotency_key_reused");
    assert_eq!(case_count(&app, &o).await, 1, "a refused retry changes nothing");
    let (bad, _, _) = post_with_key(&app, &o, "", &case_body("Bea")).await;
    assert_eq!(bad, 400, "an empty key is refused");

    // Keys are the caller's own: another caller's same key is another request.
    let client = register(
        &app,
        &admin.access,
        json!({"name": "CMS", "contact_email": "ict@la.example", "scopes": ["cases:write", "cases:read"]}),
    )
    .await;
    let token =
        client_token(&app, client["client"]["id"].as_str().unwrap(), client["client_secret"].as_str().unwrap(), None)
            .await;
    let (theirs, replayed, _) = post_with_key(&app, &token, "\"retry-1\"", &case_body("Ada")).await;
    assert_eq!((theirs, replayed), (201, None));
    assert_eq!(case_count(&app, &o).await, 2);

    // The same request sent eight times at once: one case, every answer the
    // first one or a 409 while it runs.
    let body = case_body("Cal");
    let burst = futures_util::future::join_all((0..8).map(|_| post_with_key(&app, &o, "burst", &body))).await;
    let statuses: Vec<u16> = burst.iter().map(|(s, _, _)| *s).collect();
    assert!(statuses.iter().all(|s| *s == 201 || *s == 409), "{statuses:?}");
    let ids: HashSet<String> =
        burst.iter().filter(|(s, _, _)| *s == 201).map(|(_, _, b)| b["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(ids.len(), 1, "{statuses:?}");
    assert_eq!(case_count(&app, &o).await, 3);

    // While the first request with a key still runs (held here as another
    // instance would hold it), a retry is told so.
    let user_id = app.get("/api/v1/me", Some(&o)).await.body["id"].as_str().unwrap().to_owned();
    let now = chrono::Utc::now().naive_utc();
    app.state
        .db
        .transaction::<_, ehc_storage::StorageError>(|conn| {
            ehc_storage::partners::idempotency::claim(conn, &user_id, "held", now, now, now).map(|_| ())
        })
        .unwrap();
    let (running, _, problem) = post_with_key(&app, &o, "held", &case_body("Dee")).await;
    assert_eq!(running, 409, "{problem:?}");
    assert_eq!(case_count(&app, &o).await, 3);
}

/// Follows the feed from `cursor` to its end: the events and the new cursor.
async fn read_feed(app: &TestApp, token: &str, mut cursor: Option<String>) -> (Vec<Value>, Option<String>) {
    let mut seen = Vec::new();
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/events?limit=7&cursor={c}"),
            None => "/api/v1/events?limit=7".to_owned(),
        };
        let page = app.get(&path, Some(token)).await;
        assert_eq!(page.status, 200, "{:?}", page.body);
        let items = page.body["items"].as_array().unwrap().clone();
        if items.is_empty() {
            return (seen, cursor);
        }
        cursor = page.body["next_cursor"].as_str().map(str::to_owned);
        seen.extend(items);
    }
}

#[tokio::test]
async fn the_feed_shows_each_change_once_in_order_while_two_instances_write() {
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let officer = app.person(&admin, "officer@la.example", "assessment_officer", None, "07700 900071").await;
    let o = officer.session.access.clone();
    let client = register(
        &app,
        &admin.access,
        json!({"name": "CMS", "contact_email": "ict@la.example", "scopes": ["events:read"]}),
    )
    .await;
    let feed_token =
        client_token(&app, client["client"]["id"].as_str().unwrap(), client["client_secret"].as_str().unwrap(), None)
            .await;

    // A second instance on the same PostgreSQL database (SQLite: one instance).
    let second = match backend() {
        Backend::Postgres => {
            let base = pg_admin_url().rsplit_once('/').map(|(b, _)| b.to_owned()).unwrap();
            let url = format!("{base}/{}", app.database_name);
            Some(
                spawn_app_with(move |env| {
                    env.insert("EHC_DATABASE_URL".to_owned(), url);
                })
                .await,
            )
        }
        Backend::Sqlite => None,
    };
    let writers: Vec<&TestApp> = match &second {
        Some(other) => vec![&app, other, &app, other],
        None => vec![&app, &app, &app, &app],
    };
    let writes = futures_util::future::join_all(writers.iter().enumerate().map(|(w, hub)| {
        let o = o.clone();
        async move {
            for n in 0..6 {
                let res = hub.post("/api/v1/cases", Some(&o), case_body(&format!("Writer{w}n{n}"))).await;
                assert_eq!(res.status, 201, "{:?}", res.body);
            }
        }
    }));
    // Read while they write, from both instances in turn.
    let reading = async {
        let mut seen = Vec::new();
        let mut cursor = None;
        for round in 0..12 {
            let hub = match (&second, round % 2) {
                (Some(other), 1) => other,
                _ => &app,
            };
            let (events, next) = read_feed(hub, &feed_token, cursor).await;
            seen.extend(events);
            cursor = next;
            tokio::time::sleep(std::time::Duration::from_millis(40)).await;
        }
        (seen, cursor)
    };
    let (_, (mut seen, cursor)) = tokio::join!(writes, reading);
    let (rest, _) = read_feed(&app, &feed_token, cursor).await;
    seen.extend(rest);

    let positions: Vec<i64> = seen.iter().map(|e| e["position"].as_i64().unwrap()).collect();
    let expected: Vec<i64> = (1..=24).collect();
    assert_eq!(positions, expected, "every event once, in order, no gaps");
    assert!(seen.iter().all(|e| e["type"] == "case.created"));
    let ids: HashSet<&str> = seen.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 24);
    let cases: HashSet<&str> = seen.iter().map(|e| e["case_id"].as_str().unwrap()).collect();
    assert_eq!(cases.len(), 24);
    // Thin: ids, the case reference, the type and the time, never the child.
    let text = serde_json::to_string(&seen).unwrap();
    assert!(!text.contains("Writer") && !text.contains("Whitlow") && !text.contains("2015-06-07"));
    assert!(seen[0]["case_reference"].as_str().is_some());
}

#[tokio::test]
async fn a_request_changed_since_it_was_read_is_not_overwritten() {
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let officer = app.person(&admin, "officer@la.example", "assessment_officer", None, "07700 900072").await;
    let pro = app.person(&officer.session, "ot@nhs.example", "professional", Some("health"), "07700 900073").await;
    let o = officer.session.access.clone();
    let case = app.post("/api/v1/cases", Some(&o), case_body("Eve")).await.body["id"].as_str().unwrap().to_owned();
    let made = app
        .post(
            &format!("/api/v1/cases/{case}/advice-requests"),
            Some(&o),
            json!({"specialism": "health", "areas": ["health"], "addressee_user_id": pro.id}),
        )
        .await;
    let (id, tag) = (made.body["id"].as_str().unwrap().to_owned(), made.header("etag").unwrap());
    assert_eq!(made.body["etag"], tag.as_str(), "the list's etag is the header's");
    let withdraw = |tag: &'static str| {
        let (app, o, id) = (&app, o.clone(), id.clone());
        async move {
            let res = app
                .client
                .post(format!("{}/api/v1/advice-requests/{id}/withdraw", app.base))
                .bearer_auth(o)
                .header("If-Match", tag)
                .send()
                .await
                .unwrap();
            let etag = res.headers().get("etag").map(|v| v.to_str().unwrap().to_owned());
            (res.status().as_u16(), etag)
        }
    };
    assert_eq!(withdraw("\"q00000000000000000000\"").await.0, 412, "a stale version is refused");
    let listed = app.get(&format!("/api/v1/cases/{case}/advice-requests"), Some(&o)).await;
    assert_eq!(listed.body["items"][0]["status"], "open", "and changes nothing");
    let tag: &'static str = Box::leak(tag.into_boxed_str());
    let (status, new_tag) = withdraw(tag).await;
    assert_eq!(status, 200);
    assert_ne!(new_tag.as_deref(), Some(tag), "the version moved");
    assert_eq!(withdraw("*").await.0, 200, "`*` matches whatever is there (withdrawing again changes nothing)");

    // A participant and a decision never change: their etag names them, and
    // removing a participant honours it.
    let on_case = app.get(&format!("/api/v1/cases/{case}/participants"), Some(&o)).await;
    let place =
        on_case.body["items"].as_array().unwrap().iter().find(|p| p["user_id"] == pro.id.as_str()).unwrap().clone();
    let remove = |tag: String| {
        let (app, o) = (&app, o.clone());
        let path = format!("/api/v1/cases/{case}/participants/{}", place["id"].as_str().unwrap());
        async move {
            let res =
                app.client.delete(format!("{}{path}", app.base)).bearer_auth(o).header("If-Match", tag).send().await;
            res.unwrap().status().as_u16()
        }
    };
    assert_eq!(remove("\"p00000000000000000000\"".to_owned()).await, 412);
    assert_eq!(remove(place["etag"].as_str().unwrap().to_owned()).await, 204);
}
