//! Decisions that move a case on, recorded exceptions to time limits, and the
//! statutory timeline they produce.

use actix_web::http::header::LOCATION;
use actix_web::{get, post, web, HttpResponse};
use chrono::NaiveDate;
use ehc_domain::statutory::DecisionKind;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::json::ValidatedJson;
use crate::paging::{page_of, Page, PageQuery};
use crate::problems::{BadRequest, Conflict, Forbidden, Invalid, NotFound, Unauthorized};
use crate::state::AppState;
use crate::views::cases::{DecisionView, ExceptionView, TimelineView};
use crate::workflow::cases;
use crate::workflow::decisions::{self, NewException};

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kind": "to_assess", "outcome": "yes", "decided_on": "2026-12-10"}))]
pub struct RecordDecision {
    pub kind: DecisionKind,
    /// `yes`/`no` for to_assess and to_issue_plan; `maintain`/`cease` for review_outcome.
    #[schema(value_type = Option<ehc_domain::statutory::DecisionOutcome>)]
    pub outcome: Option<String>,
    pub decided_on: NaiveDate,
}

/// Record a decision or a step done.
///
/// Assessment officers. The case's stage follows the decision; one that does not fit the case's
/// stage is refused (409). Those on the case are told.
#[utoipa::path(tag = "timeline", operation_id = "recordDecision", security(("bearer" = [])), request_body = RecordDecision, params(("id" = uuid::Uuid, Path, description = "The case's id")), responses(
    (status = 201, body = DecisionView, description = "Created"),
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    Invalid))]
#[post("/cases/{id}/decisions")]
pub async fn record_decision(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
    body: ValidatedJson<RecordDecision>,
) -> ApiResult<HttpResponse> {
    let b = body.0;
    let case_id = path.into_inner();
    let location = format!("/api/v1/cases/{case_id}/decisions");
    let out = decisions::record(&state, me, case_id, b.kind, b.outcome, b.decided_on).await?;
    Ok(HttpResponse::Created().insert_header((LOCATION, location)).json(out))
}

/// The decisions recorded on a case, in date order.
///
/// Each with the stage it moved the case to. Paged with `limit` and `cursor`.
#[utoipa::path(tag = "timeline", operation_id = "listDecisions", security(("bearer" = [])), params(("id" = uuid::Uuid, Path, description = "The case's id"), PageQuery), responses(
    (status = 200, body = Page<DecisionView>, description = "OK"),
    Unauthorized,
    NotFound))]
#[get("/cases/{id}/decisions")]
pub async fn list_decisions(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let rows = decisions::list(&state, me, path.into_inner()).await?;
    // In date order (ISO dates sort as text), then as recorded.
    Ok(HttpResponse::Ok().json(page_of(rows, &query, |d| format!("{}.{}", d.decided_on, d.id))?))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"exception": "advice_missed_appointment", "advice_request_id": "01936b2e-1c1f-7cc2-9d1e-7f1f3c1a2b3c",
    "reason": "Clinic appointment on 3 December missed; rebooked for 17 December.", "starts_on": "2026-12-03"}))]
pub struct RecordException {
    /// advice_personal_circumstances, advice_absence, advice_missed_appointment
    /// (reg 8(2)); personal_circumstances or absence (reg 10(4)(c)-(d)).
    pub exception: String,
    /// For advice exceptions: the request it excuses (all of the case's if absent).
    pub advice_request_id: Option<uuid::Uuid>,
    #[validate(length(min = 1, max = 2000, message = "give the reason (1 to 2000 characters)"))]
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

/// Record why a time limit does not apply.
///
/// Assessment officers, with the regulation's ground (reg 10(4)(c)–(e) of SI 2014/1530). Closure
/// exceptions (reg 10(4)(a)–(b), and reg 5(4)(a) for the decision whether to assess) are worked
/// out from the closure calendars, not recorded by hand.
#[utoipa::path(tag = "timeline", operation_id = "recordException", security(("bearer" = [])), request_body = RecordException, params(("id" = uuid::Uuid, Path, description = "The case's id")), responses(
    (status = 201, body = ExceptionView, description = "Created"),
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    Invalid))]
#[post("/cases/{id}/exceptions")]
pub async fn record_exception(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
    body: ValidatedJson<RecordException>,
) -> ApiResult<HttpResponse> {
    let b = body.0;
    let new = NewException {
        exception: b.exception,
        advice_request_id: b.advice_request_id.map(|u| u.to_string()),
        reason: b.reason,
        starts_on: b.starts_on,
        ends_on: b.ends_on,
    };
    let case_id = path.into_inner();
    let location = format!("/api/v1/cases/{case_id}/timeline");
    let out = decisions::record_exception(&state, me, case_id, new).await?;
    Ok(HttpResponse::Created().insert_header((LOCATION, location)).json(out))
}

/// The case's statutory clock.
///
/// Every statutory step with its due date, the date it was done, any exception and its status
/// (`met`, `due`, `at_risk`, `breached`, `excepted`), with the regulation behind each limit.
#[utoipa::path(tag = "timeline", operation_id = "getTimeline", security(("bearer" = [])), params(("id" = uuid::Uuid, Path, description = "The case's id")), responses(
    (status = 200, body = TimelineView, description = "OK"),
    Unauthorized,
    NotFound))]
#[get("/cases/{id}/timeline")]
pub async fn get_timeline(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let view = cases::timeline(&state, me, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(view))
}
