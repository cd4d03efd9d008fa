//! Advice quality checks before submit (seed 002): vague provision and an
//! NHS number are caught as the professional saves and refused on submit; a
//! warning submits once acknowledged, and the acknowledgement is kept with
//! the version; a council sets each check's severity.

use serde_json::{json, Value};

use crate::advice_flow::{complete_advice, request_to, world, World};

fn codes(findings: &Value) -> Vec<String> {
    findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {}", f["code"].as_str().unwrap(), f["severity"].as_str().unwrap()))
        .collect()
}

async fn save(w: &World, path: &str, advice: Value) -> Value {
    let tag = w.app.get(path, Some(&w.pro.session.access)).await.header("etag").unwrap();
    let saved = w.app.put_json(path, &w.pro.session.access, Some(&tag), advice).await;
    assert_eq!(saved.status, 200, "{:?}", saved.body);
    saved.body
}

#[tokio::test]
async fn vague_provision_and_an_nhs_number_are_caught_and_an_acknowledged_warning_submits() {
    let w = world().await;
    let app = &w.app;
    let pro = &w.pro.session.access;
    let id =
        request_to(&w, json!({"specialism": "social_care", "areas": ["social_care"], "addressee_user_id": w.pro.id}))
            .await;
    let path = format!("/api/v1/advice-requests/{id}/advice");

    let mut bad = complete_advice();
    bad["areas"][0]["provisions"][0]["quantity"] = json!("as needed");
    bad["areas"][0]["provisions"][0]["frequency"] = json!("regularly");
    bad["areas"][0]["needs"] =
        json!("Known to the clinic (NHS number 943 476 5919); new topics in class are hard to learn.");
    let saved = save(&w, &path, bad).await;
    let found = codes(&saved["findings"]);
    assert!(found.contains(&"vague_provision error".to_owned()), "{found:?}");
    assert!(found.contains(&"nhs_number error".to_owned()), "{found:?}");
    assert!(!saved["findings"].to_string().contains("5919"), "a finding never repeats what it found");
    let checks = app.get(&format!("{path}/checks"), Some(pro)).await;
    assert_eq!(checks.status, 200);
    assert_eq!(codes(&checks.body["findings"]), found, "the checks endpoint gives the same findings");
    assert_eq!(app.get(&format!("{path}/checks"), Some(&w.officer.session.access)).await.status, 404, "the author's");

    let refused = app
        .post(&format!("{path}/submit"), Some(pro), json!({"acknowledged_findings": ["vague_provision", "nhs_number"]}))
        .await;
    assert_eq!(refused.status, 422, "errors cannot be acknowledged away");
    let pointers = refused.pointers();
    for p in ["/areas/0/provisions/0/quantity", "/areas/0/provisions/0/frequency", "/areas/0/needs"] {
        assert!(pointers.contains(&p.to_owned()), "{p} in {pointers:?}");
    }
    assert_eq!(app.get(&path, Some(pro)).await.body["status"], "draft", "nothing changed");

    // Mended, but a sibling is named: a warning.
    let mut warned = complete_advice();
    warned["areas"][0]["strengths"] = json!("Plays well with his brother Kyle at breaktime in school.");
    let saved = save(&w, &path, warned).await;
    assert_eq!(codes(&saved["findings"]), ["third_party_name warning"]);
    let unacknowledged = app.post(&format!("{path}/submit"), Some(pro), json!({})).await;
    assert_eq!(unacknowledged.status, 422);
    assert_eq!(unacknowledged.body["errors"][0]["code"], "third_party_name");
    let submitted =
        app.post(&format!("{path}/submit"), Some(pro), json!({"acknowledged_findings": ["third_party_name"]})).await;
    assert_eq!(submitted.status, 200, "{:?}", submitted.body);
    let versions = app.get(&format!("{path}/versions"), Some(&w.officer.session.access)).await;
    assert_eq!(
        versions.body["items"][0]["acknowledged_findings"],
        json!(["third_party_name"]),
        "kept for the assessment team"
    );
}

#[tokio::test]
async fn a_council_sets_each_checks_severity() {
    let w = world().await;
    let app = &w.app;
    let o = &w.officer.session.access;
    let id =
        request_to(&w, json!({"specialism": "social_care", "areas": ["social_care"], "addressee_user_id": w.pro.id}))
            .await;
    let path = format!("/api/v1/advice-requests/{id}/advice");
    let mut with_phone = complete_advice();
    with_phone["details"] = json!("Call the team on 07700 900123 for the school plan.");

    let listed = app.get("/api/v1/advice-checks", Some(o)).await;
    assert_eq!(listed.status, 200);
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 13);
    assert_eq!(save(&w, &path, with_phone.clone()).await["findings"][0]["severity"], "warning");

    let stricter = app.put_json("/api/v1/advice-checks/phone_number", o, None, json!({"severity": "error"})).await;
    assert_eq!(stricter.status, 200, "{:?}", stricter.body);
    assert_eq!(
        (stricter.body["check"].as_str(), stricter.body["severity"].as_str()),
        (Some("phone_number"), Some("error"))
    );
    assert_eq!(save(&w, &path, with_phone.clone()).await["findings"][0]["severity"], "error");
    assert_eq!(
        app.post(
            &format!("{path}/submit"),
            Some(&w.pro.session.access),
            json!({"acknowledged_findings": ["phone_number"]})
        )
        .await
        .status,
        422
    );

    assert_eq!(
        app.put_json("/api/v1/advice-checks/phone_number", o, None, json!({"severity": "off"})).await.status,
        200
    );
    assert!(save(&w, &path, with_phone).await["findings"].as_array().unwrap().is_empty(), "off: not checked");
    assert_eq!(app.post(&format!("{path}/submit"), Some(&w.pro.session.access), json!({})).await.status, 200);

    let by_pro = app
        .put_json("/api/v1/advice-checks/phone_number", &w.pro.session.access, None, json!({"severity": "error"}))
        .await;
    assert_eq!(by_pro.status, 403, "staff only");
    assert_eq!(
        app.put_json("/api/v1/advice-checks/no_such_check", o, None, json!({"severity": "error"})).await.status,
        404
    );
    assert_eq!(
        app.put_json("/api/v1/advice-checks/phone_number", o, None, json!({"severity": "loud"})).await.status,
        422,
        "a severity that is not one names the field"
    );
}
