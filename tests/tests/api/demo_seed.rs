//! `seed-demo` gives a front-end developer something to click through.

use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn demo_accounts_log_in_and_see_their_cases() {
    let app = spawn_app().await;
    let first = ehc_api::demo::seed(&app.state).await.unwrap();
    let again = ehc_api::demo::seed(&app.state).await.unwrap();
    assert_eq!(first.case_references, again.case_references, "seeding twice changes nothing");
    assert_eq!(first.case_references.len(), 2);

    let step = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"email": "senco@oakfield-primary.example", "password": ehc_api::demo::DEMO_PASSWORD}),
        )
        .await;
    assert_eq!(step.status, 200, "{:?}", step.body);
    let code = app.last_code_to("+447700900003", "sms");
    let tokens =
        app.post("/api/v1/auth/mfa/verify", None, json!({"mfa_token": step.body["mfa_token"], "code": code})).await;
    let access = tokens.body["access_token"].as_str().unwrap();
    let mine = app.get("/api/v1/me/requests", Some(access)).await;
    assert_eq!(mine.body["items"].as_array().unwrap().len(), 2, "{:?}", mine.body);
    assert_eq!(app.get("/api/v1/cases", Some(access)).await.body["items"].as_array().unwrap().len(), 2);

    let step = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"email": "dsco@demo-borough.example", "password": ehc_api::demo::DEMO_PASSWORD}),
        )
        .await;
    let code = app.last_code_to("+447700900008", "sms");
    let tokens =
        app.post("/api/v1/auth/mfa/verify", None, json!({"mfa_token": step.body["mfa_token"], "code": code})).await;
    let inbox = app.get("/api/v1/me/requests", Some(tokens.body["access_token"].as_str().unwrap())).await;
    assert!(inbox.body["items"].as_array().unwrap().iter().all(|r| r["action"] == "assign"));
    assert_eq!(inbox.body["items"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn the_load_generator_makes_advice_in_every_state() {
    let app = spawn_app().await;
    let summary = ehc_api::load::seed_load(&app.state, 20, None).await.unwrap();
    assert_eq!((summary.cases, summary.requests, summary.professionals), (20, 200, 4));
    let step = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"email": summary.sample_login, "password": ehc_api::load::LOAD_PASSWORD}),
        )
        .await;
    assert_eq!(step.status, 200, "{:?}", step.body);
    let code = app.last_code_to("+447700900999", "sms");
    let tokens =
        app.post("/api/v1/auth/mfa/verify", None, json!({"mfa_token": step.body["mfa_token"], "code": code})).await;
    let mine = app.get("/api/v1/me/requests", Some(tokens.body["access_token"].as_str().unwrap())).await;
    let items = mine.body["items"].as_array().unwrap();
    // pro0 gets every 4th request; their indexes mod 10 cycle 0,4,8,2,6:
    // draft, submitted, draft, awaiting endorsement, released — 4 of 5 open.
    assert_eq!(items.len(), 40);
    let states: std::collections::BTreeSet<&str> = items.iter().filter_map(|i| i["advice_status"].as_str()).collect();
    assert_eq!(states.into_iter().collect::<Vec<_>>(), vec!["awaiting_endorsement", "draft", "released"]);
    assert!(items.windows(2).all(|w| w[0]["due_on"].as_str() <= w[1]["due_on"].as_str()), "soonest due first");
}
