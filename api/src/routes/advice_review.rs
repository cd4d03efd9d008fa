//! What happens to submitted advice after its author: a team manager
//! endorses it (publishing it) or returns it; the assessment team releases
//! it. Returning and releasing both hand it back to the author to change.

use actix_web::{post, web, HttpResponse};
use chrono::NaiveDateTime;
use ehc_domain::advice::AdviceStatus;
use ehc_domain::messages::CaseEvent;
use ehc_storage::casework::advice::{self as store, Advice, AdviceChange};
use ehc_storage::casework::cases::Case;
use ehc_storage::casework::requests::{self, AdviceRequest, OPEN};
use ehc_storage::DbConn;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::audit;
use crate::auth::AuthUser;
use crate::case_events;
use crate::casework::{author_of, coordinates, may_endorse, require_officer, visible_request};
use crate::error::{ApiError, ApiResult, Problem};
use crate::json::ValidatedJson;
use crate::routes::advice::{after_action, publish, refusal, respond, status_of, transition, AdviceView, Shown};
use crate::state::AppState;

/// Advice going back to its author, with the reason and who is told.
struct BackToAuthor<'a> {
    request: &'a AdviceRequest,
    case: &'a Case,
    advice: &'a Advice,
    next: AdviceStatus,
    reason: &'a str,
    event: CaseEvent,
    action: &'static str,
}

/// Unlocks the advice for its author, reopens the request, tells the author.
fn back_to_author(
    conn: &mut DbConn,
    state: &AppState,
    me: &AuthUser,
    back: BackToAuthor<'_>,
    now: NaiveDateTime,
) -> Result<Shown, ApiError> {
    let BackToAuthor { request, case, advice, next, reason, event, action } = back;
    transition(
        conn,
        &request.id,
        advice.revision,
        &AdviceChange {
            content: &advice.content,
            status: next.as_str(),
            reason: Some(reason),
            by: &me.user_id,
            at: now,
        },
    )?;
    requests::set_status(conn, &request.id, OPEN, None)?;
    case_events::notify(
        conn,
        state,
        case,
        event,
        author_of(request).map(str::to_owned).into_iter().collect(),
        &me.user_id,
    )?;
    audit::record(conn, me, action, Some(&case.id), Some(&request.id))?;
    after_action(conn, &request.id)
}

/// Endorse advice waiting for it (the practitioner's team manager): it is published.
#[utoipa::path(tag = "advice", operation_id = "endorseAdvice", security(("bearer" = [])), params(("id" = String, Path)), responses(
    (status = 200, body = AdviceView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json")))]
#[post("/advice-requests/{id}/advice/endorse")]
pub async fn endorse_advice(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let now = state.now();
    let st = state.get_ref().clone();
    let shown = state
        .tx(move |conn| {
            let (request, case) = visible_request(conn, &me, &id)?;
            if !may_endorse(conn, &me, &request)? {
                return Err(ApiError::Forbidden("Only the practitioner's team manager endorses advice."));
            }
            let advice = store::ensure_advice(conn, &request.id, author_of(&request), now)?;
            let next = status_of(&advice)?.after_endorse().map_err(refusal)?;
            store::publish_latest(conn, &request.id, &me.user_id, now)?;
            transition(
                conn,
                &request.id,
                advice.revision,
                &AdviceChange {
                    content: &advice.content,
                    status: next.as_str(),
                    reason: None,
                    by: &me.user_id,
                    at: now,
                },
            )?;
            publish(conn, &request, now)?;
            let everyone = case_events::participants_of(conn, &case)?;
            case_events::notify(conn, &st, &case, CaseEvent::AdvicePublished, everyone, &me.user_id)?;
            audit::record(conn, &me, "advice.endorse", Some(&case.id), Some(&request.id))?;
            after_action(conn, &request.id)
        })
        .await?;
    respond(shown)
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Please quantify the provision in section 3."}))]
pub struct Reason {
    #[validate(length(min = 1, max = 2000, message = "give a reason of 1 to 2000 characters"))]
    pub reason: String,
}

/// Return advice to its author for amendment, with a reason: the team
/// manager while it waits for endorsement; a team inbox's coordinator also
/// once published.
#[utoipa::path(tag = "advice", operation_id = "returnAdvice", security(("bearer" = [])), request_body = Reason, params(("id" = String, Path)), responses(
    (status = 200, body = AdviceView),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/advice-requests/{id}/advice/return")]
pub async fn return_advice(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
    body: ValidatedJson<Reason>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let now = state.now();
    let reason = body.0.reason;
    let st = state.get_ref().clone();
    let shown = state
        .tx(move |conn| {
            let (request, case) = visible_request(conn, &me, &id)?;
            let manager = may_endorse(conn, &me, &request)?;
            let coordinator = coordinates(conn, &me, &request)?;
            if !manager && !coordinator {
                return Err(ApiError::Forbidden("Only the team manager or the team's coordinator returns advice."));
            }
            let advice = store::ensure_advice(conn, &request.id, author_of(&request), now)?;
            let next = status_of(&advice)?.after_return(coordinator).map_err(refusal)?;
            let back = BackToAuthor {
                request: &request,
                case: &case,
                advice: &advice,
                next,
                reason: &reason,
                event: CaseEvent::AdviceReturned,
                action: "advice.return",
            };
            back_to_author(conn, &st, &me, back, now)
        })
        .await?;
    respond(shown)
}

/// Release submitted advice so its author can change it (assessment team,
/// with a reason). The published version stays readable until resubmission.
#[utoipa::path(tag = "advice", operation_id = "releaseAdvice", security(("bearer" = [])), request_body = Reason, params(("id" = String, Path)), responses(
    (status = 200, body = AdviceView),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "Not submitted"),
    (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/advice-requests/{id}/advice/release")]
pub async fn release_advice(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
    body: ValidatedJson<Reason>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let now = state.now();
    let reason = body.0.reason;
    let st = state.get_ref().clone();
    let shown = state
        .tx(move |conn| {
            let (request, case) = visible_request(conn, &me, &id)?;
            require_officer(&me)?;
            let advice = store::ensure_advice(conn, &request.id, author_of(&request), now)?;
            let next = status_of(&advice)?.after_release().map_err(refusal)?;
            let back = BackToAuthor {
                request: &request,
                case: &case,
                advice: &advice,
                next,
                reason: &reason,
                event: CaseEvent::AdviceReleased,
                action: "advice.release",
            };
            back_to_author(conn, &st, &me, back, now)
        })
        .await?;
    respond(shown)
}
