//! Cases, requests for advice and advice: draft → submit (locked) → release
//! → resubmit; team inboxes; endorsement; who may read what.

use serde_json::{json, Value};

use crate::helpers::{spawn_app, Person, Session, TestApp};

pub(crate) struct World {
    pub(crate) app: TestApp,
    pub(crate) officer: Person,
    pub(crate) pro: Person,
    pub(crate) case_id: String,
}

pub(crate) async fn world() -> World {
    let app = spawn_app().await;
    let admin = app.admin("admin@la.example", "Testshire County Council").await;
    let officer = app.person(&admin, "officer@la.example", "assessment_officer", None, "07700 900010").await;
    let pro =
        app.person(&officer.session, "sw@care.example", "professional", Some("social_care"), "07700 900011").await;
    let case = app
        .post(
            "/api/v1/cases",
            Some(&officer.session.access),
            json!({"given_name": "Zebedee", "family_name": "Quixote", "date_of_birth": "2015-03-01", "request_received_on": "2026-11-02",
                   "request_source": "school", "looked_after": true}),
        )
        .await;
    assert_eq!(case.status, 201, "{:?}", case.body);
    assert!(case.body["reference"].as_str().unwrap().starts_with("R-"));
    World { case_id: case.body["id"].as_str().unwrap().to_owned(), app, officer, pro }
}

pub(crate) fn complete_advice() -> Value {
    json!({
        "will_provide": "yes_known_meets_criteria",
        "details": "Known to the team since 2022.",
        "areas": [{
            "area": "social_care",
            "strengths": "Builds trust with familiar adults.",
            "needs": "Finds new information hard to manage after placement moves, so new topics in class are hard to learn.",
            "outcomes": [{"text": "To access and contribute to the local community", "kind": "education",
                          "steps": [{"text": "Attend a weekly club", "target_date": "2030-07-01"}]}],
            "provisions": [{"support_needed": "Short breaks", "provided_by": "Short Break club", "staff_student_ratio": "1:4",
                            "quantity": "4 hours", "frequency": "weekly in school holidays"}]
        }],
        "pep": "PEP reviewed 2026-10-01: targets attached."
    })
}

pub(crate) async fn request_to(w: &World, body: Value) -> String {
    let res = w
        .app
        .post(&format!("/api/v1/cases/{}/advice-requests", w.case_id), Some(&w.officer.session.access), body)
        .await;
    assert_eq!(res.status, 201, "{:?}", res.body);
    res.body["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn draft_submit_lock_release_resubmit() {
    let w = world().await;
    let app = &w.app;
    let pro = &w.pro.session.access;
    let id = request_to(&w, json!({"specialism": "social_care", "areas": ["social_care"], "addressee_user_id": w.pro.id, "requested_on": "2026-11-16"})).await;

    let mine = app.get("/api/v1/me/requests", Some(pro)).await;
    assert_eq!(mine.body["items"][0]["request_id"], id);
    assert_eq!(mine.body["items"][0]["due_on"], "2026-12-28", "6 weeks after the request");
    assert_eq!(mine.body["items"][0]["action"], "provide_advice");
    assert!(!mine.body.to_string().contains("Zebedee"));

    let table = app.get(&format!("/api/v1/cases/{}/advice-requests", w.case_id), Some(pro)).await;
    assert_eq!(table.body["items"][0]["addressed_to_me"], true);
    assert_eq!(table.body["items"][0]["status"], "open");

    let draft = app.get(&format!("/api/v1/advice-requests/{id}/advice"), Some(pro)).await;
    assert_eq!(draft.status, 200, "{:?}", draft.body);
    let tag = draft.header("etag").unwrap();
    let partial = json!({"will_provide": "yes_known_meets_criteria", "areas": [{"area": "social_care", "strengths": "Kind", "outcomes": [{"text": "x", "steps": [{"text": "y", "target_date": "2020-01-01"}]}]}]});
    let saved = app.put_json(&format!("/api/v1/advice-requests/{id}/advice"), pro, Some(&tag), partial).await;
    assert_eq!(saved.status, 200, "{:?}", saved.body);
    let tag = saved.header("etag").unwrap();

    let incomplete = app.post(&format!("/api/v1/advice-requests/{id}/advice/submit"), Some(pro), json!({})).await;
    assert_eq!(incomplete.status, 422);
    assert_eq!(
        incomplete.pointers(),
        vec![
            "/areas/0/needs",
            "/areas/0/outcomes/0/kind",
            "/areas/0/outcomes/0/steps/0/target_date",
            "/pep",
            "/areas/0/outcomes/0/text"
        ],
        "every failing field, by pointer, the quality checks' included (\"x\" says nothing measurable)"
    );

    let saved = app.put_json(&format!("/api/v1/advice-requests/{id}/advice"), pro, Some(&tag), complete_advice()).await;
    assert_eq!(saved.status, 200);
    let submitted = app.post(&format!("/api/v1/advice-requests/{id}/advice/submit"), Some(pro), json!({})).await;
    assert_eq!(submitted.status, 200, "{:?}", submitted.body);
    assert_eq!(submitted.body["status"], "submitted");
    let tag = submitted.header("etag").unwrap();

    let locked =
        app.put_json(&format!("/api/v1/advice-requests/{id}/advice"), pro, Some(&tag), complete_advice()).await;
    assert_eq!(locked.status, 409, "submitted advice is locked");
    let why = locked.body["detail"].as_str().unwrap();
    assert!(why.contains("locked") && why.contains("release"), "says it is locked until released: {why}");
    let table = app.get(&format!("/api/v1/cases/{}/advice-requests", w.case_id), Some(pro)).await;
    assert_eq!(table.body["items"][0]["status"], "completed");
    assert!(table.body["items"][0]["completed_on"].is_string());
    assert!(app.get("/api/v1/me/requests", Some(pro)).await.body["items"].as_array().unwrap().is_empty());

    let by_pro =
        app.post(&format!("/api/v1/advice-requests/{id}/advice/release"), Some(pro), json!({"reason": "please"})).await;
    assert_eq!(by_pro.status, 403, "only the assessment team releases");
    let released = app
        .post(
            &format!("/api/v1/advice-requests/{id}/advice/release"),
            Some(&w.officer.session.access),
            json!({"reason": "The family asked for a correction."}),
        )
        .await;
    assert_eq!(released.status, 200, "{:?}", released.body);

    let current = app.get(&format!("/api/v1/advice-requests/{id}/advice"), Some(pro)).await;
    assert_eq!(current.body["status"], "released");
    assert_eq!(current.body["status_reason"], "The family asked for a correction.");
    let mut changed = complete_advice();
    changed["details"] = json!("Corrected after release.");
    let saved = app
        .put_json(&format!("/api/v1/advice-requests/{id}/advice"), pro, Some(&current.header("etag").unwrap()), changed)
        .await;
    assert_eq!(saved.status, 200);
    assert_eq!(
        app.post(&format!("/api/v1/advice-requests/{id}/advice/submit"), Some(pro), json!({})).await.status,
        200
    );

    let versions =
        app.get(&format!("/api/v1/advice-requests/{id}/advice/versions"), Some(&w.officer.session.access)).await;
    let versions = versions.body["items"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["content"]["details"], "Known to the team since 2022.", "versions are immutable");
    assert_eq!(versions[1]["content"]["details"], "Corrected after release.");
    assert_eq!(app.get(&format!("/api/v1/advice-requests/{id}/advice/versions/2"), Some(pro)).await.body["version"], 2);
    assert_eq!(app.get(&format!("/api/v1/advice-requests/{id}/advice/versions/3"), Some(pro)).await.status, 404);
}

#[tokio::test]
async fn stale_or_missing_if_match_changes_nothing() {
    let w = world().await;
    let pro = &w.pro.session.access;
    let id =
        request_to(&w, json!({"specialism": "social_care", "areas": ["social_care"], "addressee_user_id": w.pro.id}))
            .await;
    let path = format!("/api/v1/advice-requests/{id}/advice");
    let first = w.app.get(&path, Some(pro)).await.header("etag").unwrap();
    assert_eq!(w.app.put_json(&path, pro, None, json!({"details": "a"})).await.status, 428);
    assert_eq!(w.app.put_json(&path, pro, Some(&first), json!({"details": "first tab"})).await.status, 200);
    let stale = w.app.put_json(&path, pro, Some(&first), json!({"details": "second tab"})).await;
    assert_eq!(stale.status, 412);
    assert_eq!(w.app.get(&path, Some(pro)).await.body["content"]["details"], "first tab");
    let bad = w.app.put_json(&path, pro, Some(&first), json!({"will_provide": "maybe"})).await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.pointers(), vec!["/will_provide"]);
}

#[tokio::test]
async fn the_family_reads_published_advice_but_not_drafts_and_outsiders_see_nothing() {
    let w = world().await;
    let app = &w.app;
    let invite = app
        .post(
            &format!("/api/v1/cases/{}/participants", w.case_id),
            Some(&w.officer.session.access),
            json!({"invite": {"email": "mum@family.example", "name": "Mary Quixote", "role": "parent_carer"}}),
        )
        .await;
    assert_eq!(invite.status, 201, "{:?}", invite.body);
    assert_eq!(invite.body["pending"], true);
    let token = app.invitation_token("mum@family.example");
    let reg = app.post("/api/v1/auth/register", None, json!({"token": token, "password": crate::helpers::STRONG_PASSWORD, "channel": "sms", "phone": "07700 900030"})).await;
    assert_eq!(reg.status, 201);
    let parent = app.login_sms("mum@family.example", "+447700900030").await;
    let outsider =
        app.person(&w.officer.session, "other@school.example", "professional", Some("education"), "07700 900031").await;

    let id =
        request_to(&w, json!({"specialism": "social_care", "areas": ["social_care"], "addressee_user_id": w.pro.id}))
            .await;
    let path = format!("/api/v1/advice-requests/{id}/advice");
    let tag = app.get(&path, Some(&w.pro.session.access)).await.header("etag").unwrap();
    assert_eq!(app.put_json(&path, &w.pro.session.access, Some(&tag), complete_advice()).await.status, 200);

    assert_eq!(
        app.get(&format!("/api/v1/cases/{}", w.case_id), Some(&parent.access)).await.status,
        200,
        "the family is on the case"
    );
    assert_eq!(app.get(&path, Some(&parent.access)).await.status, 404, "drafts are the author's");
    assert_eq!(app.post(&format!("{path}/submit"), Some(&w.pro.session.access), json!({})).await.status, 200);
    let read = app.get(&path, Some(&parent.access)).await;
    assert_eq!(read.status, 200);
    assert_eq!(read.body["content"]["pep"], "PEP reviewed 2026-10-01: targets attached.");
    assert_eq!(app.put_json(&path, &parent.access, Some("\"r1\""), complete_advice()).await.status, 403);

    let o = &outsider.session.access;
    for (path, status) in [
        (format!("/api/v1/cases/{}", w.case_id), 404),
        (format!("/api/v1/cases/{}/participants", w.case_id), 404),
        (format!("/api/v1/cases/{}/advice-requests", w.case_id), 404),
        (path.clone(), 404),
        (format!("{path}/versions"), 404),
        (format!("{path}/versions/1"), 404),
    ] {
        assert_eq!(app.get(&path, Some(o)).await.status, status, "{path}");
    }
    assert_eq!(app.post(&format!("{path}/submit"), Some(o), json!({})).await.status, 404);
    assert_eq!(app.post(&format!("{path}/release"), Some(o), json!({"reason": "x"})).await.status, 404);
    assert!(app.get("/api/v1/cases", Some(o)).await.body["items"].as_array().unwrap().is_empty());
    let listed = app.get("/api/v1/cases", Some(&parent.access)).await;
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
    let _: &Session = &parent;
}

#[tokio::test]
async fn officers_filter_cases_and_bad_requests_are_refused() {
    let w = world().await;
    let app = &w.app;
    let o = &w.officer.session.access;
    let bad = app
        .post(
            &format!("/api/v1/cases/{}/advice-requests", w.case_id),
            Some(o),
            json!({"specialism": "health", "areas": [], "due_on": "2020-01-01"}),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.pointers(), vec!["/areas", "/addressee_user_id", "/due_on"]);
    let by_pro = app.post("/api/v1/cases", Some(&w.pro.session.access), json!({"given_name": "A", "family_name": "B", "date_of_birth": "2015-01-01", "request_received_on": "2026-11-01", "request_source": "other"})).await;
    assert_eq!(by_pro.status, 403);

    request_to(&w, json!({"specialism": "social_care", "areas": ["social_care"], "addressee_user_id": w.pro.id, "requested_on": "2026-01-05"})).await;
    let overdue = app.get("/api/v1/cases?overdue=true", Some(o)).await;
    assert_eq!(overdue.body["items"].as_array().unwrap().len(), 1);
    let at_stage = app.get("/api/v1/cases?stage=plan_in_force", Some(o)).await;
    assert!(at_stage.body["items"].as_array().unwrap().is_empty());
    assert_eq!(app.get("/api/v1/me/requests", Some(&w.pro.session.access)).await.body["items"][0]["overdue"], true);
}

/// Seed 001, reg 6(1)(a): the parent and the young person answer their own
/// request for views (section A) through the same advice mechanism.
#[tokio::test]
async fn the_family_gives_its_own_views_through_the_same_mechanism() {
    let w = world().await;
    let app = &w.app;
    let o = &w.officer.session.access;
    let mum = app.person(&w.officer.session, "mum@family.example", "parent_carer", None, "07700 900030").await;
    let requests = format!("/api/v1/cases/{}/advice-requests", w.case_id);
    let views =
        json!({"specialism": "family_views", "areas": ["views_interests_aspirations"], "addressee_user_id": mum.id});
    let wrong_person = app.post(&requests, Some(o), json!({"specialism": "family_views", "areas": ["views_interests_aspirations"], "addressee_user_id": w.pro.id})).await;
    assert_eq!(wrong_person.status, 422, "professionals give advice, not the family's views");
    let wrong_form = app
        .post(&requests, Some(o), json!({"specialism": "health", "areas": ["health"], "addressee_user_id": mum.id}))
        .await;
    assert_eq!(wrong_form.status, 422, "a family is not asked for professional advice");
    let mixed = app.post(&requests, Some(o), json!({"specialism": "family_views", "areas": ["views_interests_aspirations", "health"], "addressee_user_id": mum.id})).await;
    assert_eq!(mixed.status, 422);
    let asked = app.post(&requests, Some(o), views).await;
    assert_eq!(asked.status, 201, "{:?}", asked.body);
    let id = asked.body["id"].as_str().unwrap();
    let mine = app.get("/api/v1/me/requests", Some(&mum.session.access)).await;
    assert_eq!(mine.body["items"][0]["request_id"], id, "the request is in the parent's own list");

    let path = format!("/api/v1/advice-requests/{id}/advice");
    let tag = app.get(&path, Some(&mum.session.access)).await.header("etag").unwrap();
    let draft = app
        .put_json(
            &path,
            &mum.session.access,
            Some(&tag),
            json!({"views": {"views": "Zeb wants to stay with his friends."}}),
        )
        .await;
    assert_eq!(draft.status, 200, "{:?}", draft.body);
    let early = app.post(&format!("{path}/submit"), Some(&mum.session.access), json!({})).await;
    assert_eq!(early.status, 422);
    assert_eq!(early.pointers(), ["/views/interests", "/views/aspirations"]);
    let tag = draft.headers.get("etag").unwrap().to_str().unwrap().to_owned();
    let full = json!({"views": {"views": "Zeb wants to stay with his friends.", "interests": "Trains, drawing maps.", "aspirations": "To work on the railway.", "communication": "Short sentences; give him time."}});
    assert_eq!(app.put_json(&path, &mum.session.access, Some(&tag), full).await.status, 200);
    let submitted = app.post(&format!("{path}/submit"), Some(&mum.session.access), json!({})).await;
    assert_eq!(submitted.status, 200, "{:?}", submitted.body);
    assert_eq!(submitted.body["status"], "submitted");
    let seen = app.get(&path, Some(&w.officer.session.access)).await;
    assert_eq!(
        seen.body["content"]["views"]["aspirations"], "To work on the railway.",
        "published to everyone on the case"
    );
    let timeline = app.get(&format!("/api/v1/cases/{}/timeline", w.case_id), Some(o)).await.body;
    assert!(
        !timeline["steps"].as_array().unwrap().iter().any(|s| s["advice_request_id"] == id),
        "no reg 8(1) step for the family's views"
    );
    let tag = seen.header("etag").unwrap_or_default();
    assert_eq!(
        app.put_json(&path, &mum.session.access, Some(&tag), json!({"views": {"views": "changed"}})).await.status,
        409,
        "locked once submitted"
    );
}

/// A local service standard in working days (seed 000: the DSCO's two
/// weeks): bank holidays are skipped, and an authority adds its own.
#[tokio::test]
async fn a_due_date_in_working_days_skips_bank_holidays_and_the_authoritys_own() {
    let app = crate::helpers::spawn_app_with(|env| {
        env.insert("EHC_EXTRA_BANK_HOLIDAYS".into(), "2026-01-05".into());
    })
    .await;
    let admin = app.admin("admin@la.example", "Torbay Council").await;
    let officer = app.person(&admin, "officer@la.example", "assessment_officer", None, "07700 900050").await;
    let pro =
        app.person(&officer.session, "sw@care.example", "professional", Some("social_care"), "07700 900051").await;
    let o = &officer.session.access;
    let case = app.post("/api/v1/cases", Some(o), json!({"given_name": "A", "family_name": "B", "date_of_birth": "2015-01-01", "request_received_on": "2025-12-01", "request_source": "school"})).await;
    let requests = format!("/api/v1/cases/{}/advice-requests", case.body["id"].as_str().unwrap());
    let ask = |extra: Value| {
        let mut body = json!({"specialism": "social_care", "areas": ["social_care"], "addressee_user_id": pro.id, "requested_on": "2025-12-19"});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        body
    };
    // Friday 19 December 2025 + 10 working days: Christmas, Boxing Day and
    // New Year's Day are skipped, and so is the council's own 5 January.
    let dsco = app.post(&requests, Some(o), ask(json!({"due_in_working_days": 10}))).await;
    assert_eq!(dsco.status, 201, "{:?}", dsco.body);
    assert_eq!(dsco.body["due_on"], "2026-01-08");
    let both = app.post(&requests, Some(o), ask(json!({"due_in_working_days": 10, "due_on": "2026-01-30"}))).await;
    assert_eq!(both.status, 422);
    assert_eq!(both.pointers(), ["/due_in_working_days"]);
    let statutory = app.post(&requests, Some(o), ask(json!({}))).await;
    assert_eq!(statutory.body["due_on"], "2026-01-30", "6 calendar weeks by default");
}
