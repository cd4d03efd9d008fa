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
