//! The contract's shape, as a client meets it: every list pages one way,
//! an undeclared query parameter is refused, and `overdue` means a breached
//! statutory step.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde_json::{json, Value};

use crate::advice_flow::{request_to, world, World};
use crate::helpers::TestApp;

/// Every item of a list, page by page at `limit`, failing on a page larger
/// than asked or an item seen twice.
async fn walk(app: &TestApp, path: &str, token: &str, limit: usize) -> Vec<Value> {
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let join = if path.contains('?') { '&' } else { '?' };
    for _ in 0..100 {
        let url = match &cursor {
            Some(c) => format!("{path}{join}limit={limit}&cursor={c}"),
            None => format!("{path}{join}limit={limit}"),
        };
        let page = app.get(&url, Some(token)).await;
        assert_eq!(page.status, 200, "{url}: {:?}", page.body);
        let items = page.body["items"].as_array().unwrap_or_else(|| panic!("{url} is not a page")).clone();
        assert!(items.len() <= limit, "{url}: a page larger than asked");
        assert!(page.body.get("next_cursor").is_some(), "{url}: next_cursor is always present");
        seen.extend(items);
        match page.body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return seen,
        }
    }
    panic!("{path} never ended");
}

fn ids(items: &[Value], field: &str) -> Vec<String> {
    items.iter().map(|i| i[field].as_str().unwrap_or_default().to_owned()).collect()
}

async fn three_requests(w: &World) -> Vec<String> {
    let mut out = Vec::new();
    for (day, specialism) in
        [("2026-11-20", "social_care"), ("2026-11-03", "social_care"), ("2026-11-10", "social_care")]
    {
        out.push(
            request_to(
                w,
                json!({"specialism": specialism, "areas": ["social_care"], "addressee_user_id": w.pro.id, "requested_on": day}),
            )
            .await,
        );
    }
    out
}

#[tokio::test]
async fn every_list_pages_one_way_without_gaps_or_repeats() {
    let w = world().await;
    let app = &w.app;
    w.app.pin_clock(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
    let o = &w.officer.session.access;
    let requested = three_requests(&w).await;

    // A case's requests, one at a time, are the whole table.
    let table = format!("/api/v1/cases/{}/advice-requests", w.case_id);
    let whole = app.get(&table, Some(o)).await.body["items"].as_array().unwrap().clone();
    let one_by_one = walk(app, &table, o, 1).await;
    assert_eq!(ids(&one_by_one, "id"), ids(&whole, "id"));
    assert_eq!(one_by_one.len(), 3);

    // The professional's outstanding work, soonest due first, across pages.
    let mine = walk(app, "/api/v1/me/requests", &w.pro.session.access, 2).await;
    let due: Vec<String> = ids(&mine, "due_on");
    assert_eq!(due, ["2026-12-15", "2026-12-22", "2027-01-01"], "in due order across pages");
    let distinct: HashSet<String> = ids(&mine, "request_id").into_iter().collect();
    assert_eq!(distinct, requested.iter().cloned().collect(), "every request once");

    // The audit log pages the same way as every other list.
    let log = walk(app, &format!("/api/v1/cases/{}/audit", w.case_id), o, 2).await;
    let seqs: Vec<i64> = log.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert!(seqs.windows(2).all(|p| p[0] < p[1]), "oldest first, no repeats: {seqs:?}");
    assert!(seqs.len() >= 4);

    for list in [
        format!("/api/v1/cases/{}/participants", w.case_id),
        format!("/api/v1/cases/{}/decisions", w.case_id),
        "/api/v1/teams".to_owned(),
        "/api/v1/closures".to_owned(),
        "/api/v1/advice-checks".to_owned(),
        "/api/v1/me/passkeys".to_owned(),
    ] {
        let page = app.get(&list, Some(o)).await;
        assert_eq!(page.status, 200, "{list}");
        assert!(page.body["items"].is_array() && page.body.get("next_cursor").is_some(), "{list}: {:?}", page.body);
    }
    let checks = walk(app, "/api/v1/advice-checks", o, 5).await;
    assert_eq!(checks.len(), 13, "the whole catalogue in three pages");

    for bad in ["limit=0", "limit=201", "cursor=%%%"] {
        let refused = app.get(&format!("{table}?{bad}"), Some(o)).await;
        assert_eq!(refused.status, 400, "{bad}");
        assert_eq!(refused.header("content-type").as_deref(), Some("application/problem+json"));
    }
}

#[tokio::test]
async fn an_undeclared_query_parameter_is_refused_not_ignored() {
    let w = world().await;
    let o = &w.officer.session.access;
    for path in ["/api/v1/cases?q=Quixote", "/api/v1/me?expand=all", "/api/v1/cases?overdue=true&stage=review&sort=due"]
    {
        let refused = w.app.get(path, Some(o)).await;
        assert_eq!(refused.status, 400, "{path}: {:?}", refused.body);
        assert_eq!(refused.header("content-type").as_deref(), Some("application/problem+json"));
        assert!(refused.body["detail"].as_str().unwrap().contains("Unknown query parameter"), "{:?}", refused.body);
    }
    let listed = w.app.get("/api/v1/cases?stage=request_received&limit=5", Some(o)).await;
    assert_eq!(listed.status, 200, "declared parameters pass: {:?}", listed.body);
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(w.app.get("/api/v1/cases?stage=nonsense", Some(o)).await.status, 400, "a stage the spec does not list");
}

/// `overdue=true` is what the timeline says: a decision past its reg 5(1)
/// limit counts as much as a late request for advice; a case on time does not.
#[tokio::test]
async fn overdue_cases_are_those_with_a_breached_statutory_step() {
    let w = world().await;
    let app = &w.app;
    app.pin_clock(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
    let o = &w.officer.session.access;
    let old = app
        .post(
            "/api/v1/cases",
            Some(o),
            json!({"given_name": "Ottilie", "family_name": "Marsh", "date_of_birth": "2016-02-03", "request_received_on": "2026-09-01",
                   "request_source": "parent_or_young_person"}),
        )
        .await;
    assert_eq!(old.status, 201, "{:?}", old.body);
    let old_id = old.body["id"].as_str().unwrap().to_owned();
    let timeline = app.get(&format!("/api/v1/cases/{old_id}/timeline"), Some(o)).await;
    assert_eq!(timeline.body["steps"][0]["status"], "breached", "reg 5(1): due 13 October, no decision");

    let overdue = app.get("/api/v1/cases?overdue=true", Some(o)).await;
    assert_eq!(ids(overdue.body["items"].as_array().unwrap(), "id"), [old_id.as_str()], "the world's case is on time");

    // Deciding to assess (late) ends that breach; nothing else is late yet.
    let decided = app
        .post(
            &format!("/api/v1/cases/{old_id}/decisions"),
            Some(o),
            json!({"kind": "to_assess", "outcome": "yes", "decided_on": "2026-11-30"}),
        )
        .await;
    assert_eq!(decided.status, 201, "{:?}", decided.body);
    assert!(app.get("/api/v1/cases?overdue=true", Some(o)).await.body["items"].as_array().unwrap().is_empty());
}

/// What the spec says a request may be, the hub holds to: a body is an
/// object, `If-Match: *` matches any current version (RFC 9110 §13.1.1), and
/// a fixed path does not fall through to a templated one.
#[tokio::test]
async fn the_hub_takes_what_the_spec_declares_and_nothing_else() {
    let w = world().await;
    let app = &w.app;
    let o = &w.officer.session.access;
    let case = format!("/api/v1/cases/{}", w.case_id);

    let array = app.call(reqwest::Method::PATCH, "/api/v1/me", Some(o), Some(json!([null, null]))).await;
    assert_eq!(array.status, 422, "a struct is not taken from an array: {:?}", array.body);
    assert_eq!(array.pointers(), [""]);

    let any = app.put_json(&case, o, Some("*"), json!({})).await;
    assert_eq!(any.status, 405, "PUT is not a method of a case");
    let corrected = app.call(reqwest::Method::PATCH, &case, Some(o), Some(json!({"given_name": "Zeb"}))).await;
    assert_eq!(corrected.status, 428, "If-Match is required");
    let res = app
        .client
        .patch(format!("{}{case}", app.base))
        .bearer_auth(o)
        .header("If-Match", "*")
        .json(&json!({"given_name": "Zeb"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "* matches the current version");
    let stale_and_bad = app
        .client
        .patch(format!("{}{case}", app.base))
        .bearer_auth(o)
        .header("If-Match", "\"c0\"")
        .json(&json!({"given_name": ""}))
        .send()
        .await
        .unwrap();
    assert_eq!(stale_and_bad.status(), 422, "what is wrong with the body is said first");

    let inspect = app.call(reqwest::Method::DELETE, "/api/v1/invitations/inspect", Some(o), None).await;
    assert_eq!(inspect.status, 405);
    assert_eq!(inspect.header("allow").as_deref(), Some("POST"));
    assert!(
        inspect.body["instance"].as_str().is_some_and(|i| i.len() > "urn:request:".len()),
        "the problem names the request"
    );

    for padded in [" officer@la.example", "officer@la.example "] {
        let refused = app.post("/api/v1/auth/password-reset", None, json!({"email": padded})).await;
        assert_eq!(refused.status, 422, "{padded:?} is not of the declared form");
    }
}
