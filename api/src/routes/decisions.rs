//! Decisions that move a case on, recorded exceptions to time limits, and the
//! statutory timeline they produce.

use actix_web::{get, post, web, HttpResponse};
use chrono::NaiveDate;
use ehc_domain::field_error::FieldError;
use ehc_domain::statutory::{Decision, Exception};
use ehc_storage::casework::decisions::{self as store, CaseDecision, CaseException};
use ehc_storage::casework::requests;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::audit;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::json::ValidatedJson;
use crate::problems::{BadRequest, Conflict, Forbidden, Invalid, NotFound, Unauthorized};
use crate::state::AppState;
use crate::views::cases::{decision_view, DecisionView, TimelineView};
use crate::workflow::access::{require, visible_case};
use crate::workflow::case_events;
use crate::workflow::cases::timeline_of;
use ehc_domain::access::Action;
use ehc_domain::messages::CaseEvent;

#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    ToAssess,
    ToIssuePlan,
    DraftPlanIssued,
    FinalPlanIssued,
    AnnualReviewMeetingHeld,
    ReviewOutcome,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kind": "to_assess", "outcome": "yes", "decided_on": "2026-12-10"}))]
pub struct RecordDecision {
    pub kind: DecisionKind,
    /// `yes`/`no` for to_assess and to_issue_plan; `maintain`/`cease` for review_outcome.
    pub outcome: Option<String>,
    pub decided_on: NaiveDate,
}

fn kind_code(kind: DecisionKind) -> &'static str {
    match kind {
        DecisionKind::ToAssess => "to_assess",
        DecisionKind::ToIssuePlan => "to_issue_plan",
        DecisionKind::DraftPlanIssued => "draft_plan_issued",
        DecisionKind::FinalPlanIssued => "final_plan_issued",
        DecisionKind::AnnualReviewMeetingHeld => "annual_review_meeting_held",
        DecisionKind::ReviewOutcome => "review_outcome",
    }
}

/// The domain decision, or which field is wrong.
fn decision_of(kind: DecisionKind, outcome: Option<&str>) -> Result<Decision, FieldError> {
    let yes_no = |o: Option<&str>| match o {
        Some("yes") => Ok(true),
        Some("no") => Ok(false),
        _ => Err(FieldError::new("/outcome", "invalid", "must be yes or no for this decision")),
    };
    match kind {
        DecisionKind::ToAssess => yes_no(outcome).map(Decision::ToAssess),
        DecisionKind::ToIssuePlan => yes_no(outcome).map(Decision::ToIssuePlan),
        DecisionKind::ReviewOutcome => match outcome {
            Some("maintain") => Ok(Decision::ReviewOutcome { cease: false }),
            Some("cease") => Ok(Decision::ReviewOutcome { cease: true }),
            _ => Err(FieldError::new("/outcome", "invalid", "must be maintain or cease")),
        },
        _ if outcome.is_some() => Err(FieldError::new("/outcome", "not_applicable", "this decision has no outcome")),
        DecisionKind::DraftPlanIssued => Ok(Decision::DraftPlanIssued),
        DecisionKind::FinalPlanIssued => Ok(Decision::FinalPlanIssued),
        DecisionKind::AnnualReviewMeetingHeld => Ok(Decision::AnnualReviewMeetingHeld),
    }
}

/// Record a decision or a step done (officers); the case's stage follows.
#[utoipa::path(tag = "timeline", operation_id = "recordDecision", security(("bearer" = [])), request_body = RecordDecision, params(("id" = String, Path)), responses(
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
    let case_id = path.into_inner();
    let body = body.0;
    let now = state.now();
    let decision = decision_of(body.kind, body.outcome.as_deref()).map_err(|e| ApiError::Validation(vec![e]));
    let st = state.get_ref().clone();
    let out = state
        .tx(move |conn| {
            let case = visible_case(conn, &me, &case_id)?;
            require(&me, Action::RecordDecision)?;
            let decision = decision?;
            let mut errors = Vec::new();
            if body.decided_on > now.date() {
                errors.push(FieldError::new("/decided_on", "in_future", "cannot be in the future"));
            }
            if body.decided_on < case.request_received_on {
                errors.push(FieldError::new(
                    "/decided_on",
                    "before_request",
                    "cannot be before the request was received",
                ));
            }
            if !errors.is_empty() {
                return Err(ApiError::Validation(errors));
            }
            let current = case.stage;
            let next = current.after(decision).map_err(|r| {
                ApiError::Conflict(format!("This decision does not fit a case at stage {}.", r.stage.as_str()))
            })?;
            let row = CaseDecision {
                id: ehc_storage::new_id(),
                case_id: case.id.clone(),
                kind: kind_code(body.kind).to_owned(),
                outcome: body.outcome,
                decided_on: body.decided_on,
                recorded_by: me.user_id.clone(),
                recorded_at: now,
            };
            if !store::record_decision(conn, &row, current, next)? {
                return Err(ApiError::Conflict(
                    "The case moved on while this was recorded. Reload and try again.".to_owned(),
                ));
            }
            let everyone = case_events::participants_of(conn, &case)?;
            case_events::notify(conn, &st, &case, CaseEvent::DecisionRecorded, everyone, &me.user_id)?;
            audit::record(conn, &me, "decision.record", Some(&case.id), Some(&row.id))?;
            Ok(decision_view(row, Some(next)))
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// The decisions recorded on a case, in date order.
#[utoipa::path(tag = "timeline", operation_id = "listDecisions", security(("bearer" = [])), params(("id" = String, Path)), responses(
    (status = 200, body = Vec<DecisionView>, description = "OK"),
    Unauthorized,
    NotFound))]
#[get("/cases/{id}/decisions")]
pub async fn list_decisions(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let case_id = path.into_inner();
    let rows = state
        .tx(move |conn| {
            visible_case(conn, &me, &case_id)?;
            let rows = store::decisions_of_case(conn, &case_id)?
                .into_iter()
                .map(|d| decision_view(d, None))
                .collect::<Vec<_>>();
            audit::record(conn, &me, "decision.list", Some(&case_id), None)?;
            Ok(rows)
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows))
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
    pub reason: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExceptionView {
    pub id: String,
    pub exception: String,
    pub regulation: String,
    pub advice_request_id: Option<String>,
    pub reason: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

/// Record why a time limit does not apply (officers). Closure exceptions
/// (reg 10(4)(a)-(b)) are determined from term calendars, not recorded by hand.
#[utoipa::path(tag = "timeline", operation_id = "recordException", security(("bearer" = [])), request_body = RecordException, params(("id" = String, Path)), responses(
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
    let case_id = path.into_inner();
    let body = body.0;
    let now = state.now();
    let out = state
        .tx(move |conn| {
            let case = visible_case(conn, &me, &case_id)?;
            require(&me, Action::RecordDecision)?;
            let mut errors = Vec::new();
            let exception = Exception::parse(&body.exception).filter(|e| *e != Exception::Closure);
            if exception.is_none() {
                errors.push(FieldError::new("/exception", "invalid", "is not an exception that can be recorded"));
            }
            let request = body.advice_request_id.map(|u| u.to_string());
            if let (Some(id), Some(e)) = (&request, exception) {
                if !e.applies_to_advice() {
                    errors.push(FieldError::new(
                        "/advice_request_id",
                        "not_applicable",
                        "only advice exceptions (reg 8(2)) name a request",
                    ));
                } else if requests::request_by_id(conn, id).ok().filter(|r| r.case_id == case.id).is_none() {
                    errors.push(FieldError::new(
                        "/advice_request_id",
                        "unknown",
                        "is not a request for advice on this case",
                    ));
                }
            }
            if body.ends_on.is_some_and(|end| end < body.starts_on) {
                errors.push(FieldError::new("/ends_on", "before_start", "cannot be before starts_on"));
            }
            let Some(exception) = exception.filter(|_| errors.is_empty()) else {
                return Err(ApiError::Validation(errors));
            };
            let row = CaseException {
                id: ehc_storage::new_id(),
                case_id: case.id,
                advice_request_id: request,
                exception: exception.code().to_owned(),
                reason: body.reason.trim().to_owned(),
                starts_on: body.starts_on,
                ends_on: body.ends_on,
                recorded_by: me.user_id.clone(),
                recorded_at: now,
            };
            store::insert_exception(conn, &row)?;
            audit::record(conn, &me, "exception.record", Some(&row.case_id), Some(&row.id))?;
            Ok(ExceptionView {
                regulation: exception.regulation().to_owned(),
                id: row.id,
                exception: row.exception,
                advice_request_id: row.advice_request_id,
                reason: row.reason,
                starts_on: row.starts_on,
                ends_on: row.ends_on,
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// Every statutory step of the case with its due date, done date and status.
#[utoipa::path(tag = "timeline", operation_id = "getTimeline", security(("bearer" = [])), params(("id" = String, Path)), responses(
    (status = 200, body = TimelineView, description = "OK"),
    Unauthorized,
    NotFound))]
#[get("/cases/{id}/timeline")]
pub async fn get_timeline(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let case_id = path.into_inner();
    let today = state.now().date();
    let view = state
        .tx(move |conn| {
            let case = visible_case(conn, &me, &case_id)?;
            audit::record(conn, &me, "timeline.read", Some(&case.id), None)?;
            timeline_of(conn, case, today)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}
