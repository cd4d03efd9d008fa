//! What a case will not take: a child outside the law's age range (a date
//! of birth long past would have the retention purge delete the case at
//! once), names that are blank once trimmed, and names holding control or
//! text-direction characters (which would go out raw in the SEN2 return).
//! Nothing is stored from a refused request.

use serde_json::json;

use crate::advice_flow::world;

#[tokio::test]
async fn dates_of_birth_outside_the_age_range_and_hidden_characters_are_refused() {
    let w = world().await;
    let o = &w.officer.session.access;
    let case = |given: &str, family: &str, born: &str| {
        json!({"given_name": given, "family_name": family, "date_of_birth": born,
               "request_received_on": "2026-11-02", "request_source": "school"})
    };
    let before = w.app.get("/api/v1/cases", Some(o)).await.body["items"].as_array().unwrap().len();
    for (body, pointer, code) in [
        (case("Methuselah", "Longlived", "1800-01-01"), "/date_of_birth", "out_of_range"),
        (case("Quincy", "Eldervane", "2001-11-02"), "/date_of_birth", "out_of_range"),
        (case("Unborn", "Yet", "2026-11-20"), "/date_of_birth", "after_request"),
        (case("   ", "Spaces", "2015-01-01"), "/given_name", "required"),
        (case("Adaline", "Quill\u{202E}feather", "2015-01-01"), "/family_name", "invalid_characters"),
        (case("Adaline\u{0}", "Nulwick", "2015-01-01"), "/given_name", "invalid_characters"),
    ] {
        let res = w.app.post("/api/v1/cases", Some(o), body).await;
        assert_eq!(res.status, 422, "{:?}", res.body);
        assert_eq!(res.body["errors"][0]["pointer"], pointer, "{:?}", res.body);
        assert_eq!(res.body["errors"][0]["code"], code, "{:?}", res.body);
    }
    let after = w.app.get("/api/v1/cases", Some(o)).await.body["items"].as_array().unwrap().len();
    assert_eq!(after, before, "nothing was stored");

    let ok = w.app.post("/api/v1/cases", Some(o), case("  Adaline  ", "Quillfeather", "2001-11-03")).await;
    assert_eq!(ok.status, 201, "24 on the day the request arrives: {:?}", ok.body);
    assert_eq!(ok.body["child"]["given_name"], "Adaline", "trimmed");
}

#[tokio::test]
async fn an_officer_corrects_a_childs_details_against_the_etag_read() {
    let w = crate::advice_flow::world().await;
    let app = &w.app;
    let o = &w.officer.session.access;
    crate::advice_flow::request_to(
        &w,
        json!({"specialism": "social_care", "areas": ["social_care"], "addressee_user_id": w.pro.id}),
    )
    .await;
    let path = format!("/api/v1/cases/{}", w.case_id);
    let read = app.get(&path, Some(o)).await;
    let tag = read.header("etag").expect("a case has an ETag");

    let patch = |token: String, if_match: Option<String>, body: serde_json::Value| {
        let app = &w.app;
        let url = format!("{}{path}", app.base);
        async move {
            let mut req = app.client.patch(url).bearer_auth(token).json(&body);
            if let Some(tag) = if_match {
                req = req.header("if-match", tag);
            }
            let res = req.send().await.unwrap();
            let status = res.status().as_u16();
            let etag = res.headers().get("etag").map(|v| v.to_str().unwrap().to_owned());
            (status, etag, res.json::<serde_json::Value>().await.unwrap_or_default())
        }
    };
    let fix = json!({"date_of_birth": "2015-04-01", "nhs_number": null});
    assert_eq!(patch(o.clone(), None, fix.clone()).await.0, 428, "If-Match is required");
    assert_eq!(
        patch(w.pro.session.access.clone(), Some(tag.clone()), fix.clone()).await.0,
        403,
        "officers only, not others on the case"
    );
    let bad = patch(o.clone(), Some(tag.clone()), json!({"date_of_birth": "1800-01-01"})).await;
    assert_eq!((bad.0, bad.2["errors"][0]["pointer"].as_str()), (422, Some("/date_of_birth")));
    let (status, new_tag, body) = patch(o.clone(), Some(tag.clone()), fix.clone()).await;
    assert_eq!(status, 200, "{body:?}");
    assert_eq!(body["child"]["date_of_birth"], "2015-04-01");
    assert_eq!(body["child"]["given_name"], "Zebedee", "what was not given stays");
    assert_ne!(new_tag, Some(tag.clone()));
    assert_eq!(patch(o.clone(), Some(tag), json!({"given_name": "Zeb"})).await.0, 412, "a stale ETag changes nothing");
    assert_eq!(app.get(&path, Some(o)).await.body["child"]["given_name"], "Zebedee");
    let log = app.get(&format!("{path}/audit"), Some(o)).await;
    assert!(log.body.to_string().contains("case.correct"), "audited");
}
