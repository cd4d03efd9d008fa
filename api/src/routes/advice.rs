//! Advice: a draft its author saves, submits (locked), and may change again
//! only when the assessment team releases it. Every submission is kept.

use actix_web::http::header::{self, ETAG, IF_MATCH};
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDateTime, Utc};
use ehc_domain::advice::{too_long, validate_for_submit, AdviceContent, AdviceStatus, Refusal};
use ehc_storage::casework::advice::{self as store, Advice, AdviceChange};
use ehc_storage::casework::cases::Case;
use ehc_storage::casework::requests::{self, AdviceRequest, COMPLETED, OPEN};
use ehc_storage::DbConn;
use serde::Serialize;
use utoipa::ToSchema;

use crate::audit;
use crate::auth::AuthUser;
use crate::case_events;
use crate::casework::{author_of, coordinates, may_endorse, visible_request};
use crate::error::{ApiError, ApiResult, Problem};
use crate::json::parse_body;
use crate::routes::advice_requests::parse_areas;
use crate::state::AppState;
use ehc_domain::messages::CaseEvent;

#[derive(Debug, Serialize, ToSchema)]
pub struct AdviceView {
    pub request_id: String,
    /// draft, awaiting_endorsement, returned, submitted or released. Readers
    /// other than the author see only published advice (`submitted`).
    pub status: String,
    pub content: AdviceContent,
    /// The published version shown, if this is published advice.
    pub version: Option<i32>,
    /// Why it was returned or released.
    pub status_reason: Option<String>,
    pub updated_at: DateTime<Utc>,
}

fn etag(revision: i32) -> String {
    format!("\"r{revision}\"")
}

pub fn content_of(json: &str) -> Result<AdviceContent, ApiError> {
    serde_json::from_str(json).map_err(ApiError::internal)
}

pub(crate) fn status_of(advice: &Advice) -> Result<AdviceStatus, ApiError> {
    AdviceStatus::parse(&advice.status).ok_or_else(|| ApiError::internal("unknown advice status"))
}

pub(crate) fn refusal(r: Refusal) -> ApiError {
    ApiError::Conflict(r.message().to_owned())
}

/// May read the working copy: its author; the team manager or coordinator
/// while it is with them.
pub(crate) fn reads_draft(
    conn: &mut DbConn,
    me: &AuthUser,
    request: &AdviceRequest,
    advice: &Advice,
) -> Result<bool, ApiError> {
    if author_of(request) == Some(me.user_id.as_str()) {
        return Ok(true);
    }
    let status = status_of(advice)?;
    if status == AdviceStatus::AwaitingEndorsement
        && (may_endorse(conn, me, request)? || coordinates(conn, me, request)?)
    {
        return Ok(true);
    }
    Ok(false)
}

pub(crate) enum Shown {
    Working(Advice),
    Published(store::AdviceVersion, Advice),
}

fn shown(conn: &mut DbConn, me: &AuthUser, request: &AdviceRequest, now: NaiveDateTime) -> Result<Shown, ApiError> {
    let advice = store::ensure_advice(conn, &request.id, author_of(request), now)?;
    if reads_draft(conn, me, request, &advice)? {
        return Ok(Shown::Working(advice));
    }
    let published = store::versions(conn, &request.id, true)?.pop().ok_or(ApiError::NotFound)?;
    Ok(Shown::Published(published, advice))
}

/// The working copy as the action just left it, for whoever took the action
/// (they were entitled to it when they acted).
pub(crate) fn after_action(conn: &mut DbConn, request_id: &str) -> Result<Shown, ApiError> {
    Ok(Shown::Working(store::advice_of(conn, request_id)?.ok_or(ApiError::NotFound)?))
}

pub(crate) fn respond(shown: Shown) -> Result<HttpResponse, ApiError> {
    match shown {
        Shown::Working(a) => {
            let view = AdviceView {
                request_id: a.request_id.clone(),
                status: a.status.clone(),
                content: content_of(&a.content)?,
                version: None,
                status_reason: a.status_reason.clone(),
                updated_at: a.updated_at.and_utc(),
            };
            Ok(HttpResponse::Ok().insert_header((ETAG, etag(a.revision))).json(view))
        }
        Shown::Published(v, a) => {
            let view = AdviceView {
                request_id: v.request_id,
                status: "submitted".to_owned(),
                content: content_of(&v.content)?,
                version: Some(v.version),
                status_reason: None,
                updated_at: v.published_at.unwrap_or(v.submitted_at).and_utc(),
            };
            Ok(HttpResponse::Ok().insert_header((ETAG, format!("\"v{}-r{}\"", v.version, a.revision))).json(view))
        }
    }
}

/// The advice: the working copy for its author (and for the team manager or
/// coordinator while it is with them); the latest published version for
/// everyone else on the case.
#[utoipa::path(tag = "advice", operation_id = "getAdvice", security(("bearer" = [])), params(("id" = String, Path)), responses(
    (status = 200, body = AdviceView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "No such request, not yours to see, or nothing published yet")))]
#[get("/advice-requests/{id}/advice")]
pub async fn get_advice(state: web::Data<AppState>, me: AuthUser, path: web::Path<String>) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let now = state.now();
    let shown = state
        .tx(move |conn| {
            let (request, case) = visible_request(conn, &me, &id)?;
            let shown = shown(conn, &me, &request, now)?;
            audit::record(conn, &me, "advice.read", Some(&case.id), Some(&request.id))?;
            Ok(shown)
        })
        .await?;
    respond(shown)
}

fn if_match(req: &HttpRequest) -> Result<String, ApiError> {
    req.headers()
        .get(IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().trim_start_matches("W/").to_owned())
        .ok_or(ApiError::PreconditionRequired)
}

fn revision_from(tag: &str) -> Option<i32> {
    tag.trim_matches('"').strip_prefix('r')?.parse().ok()
}

/// The author's open, editable advice, or why not.
fn authored(
    conn: &mut DbConn,
    me: &AuthUser,
    id: &str,
    now: NaiveDateTime,
) -> Result<(AdviceRequest, Case, Advice), ApiError> {
    let (request, case) = visible_request(conn, me, id)?;
    if author_of(&request) != Some(me.user_id.as_str()) {
        return Err(ApiError::Forbidden("Only the person asked for this advice may write it."));
    }
    if request.status != OPEN {
        return Err(ApiError::Conflict(format!("The request is {}.", request.status)));
    }
    let advice = store::ensure_advice(conn, &request.id, Some(&me.user_id), now)?;
    Ok((request, case, advice))
}

/// Save the draft (partial content is fine). Needs `If-Match` with the ETag
/// last read; a stale one gets 412. Locked advice gets 409.
#[utoipa::path(tag = "advice", operation_id = "saveAdvice", security(("bearer" = [])), request_body = AdviceContent,
    params(("id" = String, Path), ("If-Match" = String, Header, description = "The ETag last read")), responses(
    (status = 200, body = AdviceView, headers(("ETag" = String))),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json", description = "Not the author"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "Locked: submitted, or waiting for endorsement"),
    (status = 412, body = Problem, content_type = "application/problem+json", description = "Changed since you read it"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
    (status = 428, body = Problem, content_type = "application/problem+json", description = "If-Match missing")))]
#[put("/advice-requests/{id}/advice")]
pub async fn save_advice(
    state: web::Data<AppState>,
    me: AuthUser,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> ApiResult<HttpResponse> {
    if !req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
    {
        return Err(ApiError::BadRequest("The body must be JSON with Content-Type: application/json.".to_owned()));
    }
    let content: AdviceContent = parse_body(&body)?;
    let long = too_long(&content);
    if !long.is_empty() {
        return Err(ApiError::Validation(long));
    }
    let tag = if_match(&req)?;
    let id = path.into_inner();
    let now = state.now();
    let json = serde_json::to_string(&content).map_err(ApiError::internal)?;
    let shown = state
        .tx(move |conn| {
            let (request, case, advice) = authored(conn, &me, &id, now)?;
            let status = status_of(&advice)?;
            if !status.editable() {
                return Err(refusal(Refusal::Locked));
            }
            if revision_from(&tag) != Some(advice.revision) {
                return Err(ApiError::PreconditionFailed(
                    "Someone changed this advice since you read it. Reload, then save again.",
                ));
            }
            if !store::update_advice(
                conn,
                &request.id,
                advice.revision,
                &AdviceChange {
                    content: &json,
                    status: status.as_str(),
                    reason: advice.status_reason.as_deref(),
                    by: &me.user_id,
                    at: now,
                },
            )? {
                return Err(ApiError::PreconditionFailed(
                    "Someone changed this advice since you read it. Reload, then save again.",
                ));
            }
            let saved = shown(conn, &me, &request, now)?;
            audit::record(conn, &me, "advice.save", Some(&case.id), Some(&request.id))?;
            Ok(saved)
        })
        .await?;
    respond(shown)
}

/// Moves the working copy on, unless someone changed it since it was read:
/// then the whole transaction (version, request status) rolls back.
pub(crate) fn transition(
    conn: &mut DbConn,
    request_id: &str,
    revision: i32,
    change: &AdviceChange<'_>,
) -> Result<(), ApiError> {
    if store::update_advice(conn, request_id, revision, change)? {
        Ok(())
    } else {
        Err(ApiError::Conflict("The advice changed while this was being done. Reload and try again.".to_owned()))
    }
}

/// Published advice completes its request.
pub(crate) fn publish(conn: &mut DbConn, request: &AdviceRequest, now: NaiveDateTime) -> Result<(), ApiError> {
    requests::set_status(conn, &request.id, COMPLETED, Some(now.date()))?;
    Ok(())
}

/// Submit the advice: checked in full (422 lists every failing field), then
/// locked. Published at once, or sent for endorsement when the request asks.
#[utoipa::path(tag = "advice", operation_id = "submitAdvice", security(("bearer" = [])), params(("id" = String, Path)), responses(
    (status = 200, body = AdviceView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "Already submitted"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "Incomplete advice")))]
#[post("/advice-requests/{id}/advice/submit")]
pub async fn submit_advice(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let now = state.now();
    let st = state.get_ref().clone();
    let shown = state
        .tx(move |conn| {
            let (request, case, advice) = authored(conn, &me, &id, now)?;
            let next = status_of(&advice)?.after_submit(request.requires_endorsement).map_err(refusal)?;
            let content = content_of(&advice.content)?;
            let errors = validate_for_submit(&content, &parse_areas(&request.areas), case.looked_after, now.date());
            if !errors.is_empty() {
                return Err(ApiError::Validation(errors));
            }
            let published = next == AdviceStatus::Submitted;
            store::add_version(conn, &request.id, &advice.content, &me.user_id, published, now)?;
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
            if published {
                publish(conn, &request, now)?;
                let everyone = case_events::participants_of(conn, &case)?;
                case_events::notify(conn, &st, &case, CaseEvent::AdvicePublished, everyone, &me.user_id)?;
            } else {
                let managers =
                    case_events::managers_for(conn, request.addressee_team_id.as_deref(), author_of(&request))?;
                case_events::notify(conn, &st, &case, CaseEvent::EndorsementAsked, managers, &me.user_id)?;
            }
            let submitted = shown(conn, &me, &request, now)?;
            audit::record(conn, &me, "advice.submit", Some(&case.id), Some(&request.id))?;
            Ok(submitted)
        })
        .await?;
    respond(shown)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdviceVersionView {
    pub version: i32,
    pub submitted_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub endorsed: bool,
    pub content: AdviceContent,
}

pub fn version_view(v: store::AdviceVersion) -> Result<AdviceVersionView, ApiError> {
    Ok(AdviceVersionView {
        version: v.version,
        submitted_at: v.submitted_at.and_utc(),
        published_at: v.published_at.map(|t| t.and_utc()),
        endorsed: v.endorsed_by.is_some(),
        content: content_of(&v.content)?,
    })
}

fn visible_versions(conn: &mut DbConn, me: &AuthUser, id: &str) -> Result<Vec<store::AdviceVersion>, ApiError> {
    let (request, case) = visible_request(conn, me, id)?;
    // The author and their manager see versions not yet published too.
    let all = author_of(&request) == Some(me.user_id.as_str()) || may_endorse(conn, me, &request)?;
    let versions = store::versions(conn, &request.id, !all)?;
    audit::record(conn, me, "advice.versions.read", Some(&case.id), Some(&request.id))?;
    Ok(versions)
}

/// Every submitted version, oldest first (published ones for most readers).
#[utoipa::path(tag = "advice", operation_id = "listAdviceVersions", security(("bearer" = [])), params(("id" = String, Path)), responses(
    (status = 200, body = Vec<AdviceVersionView>),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/advice-requests/{id}/advice/versions")]
pub async fn list_versions(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let versions = state.tx(move |conn| visible_versions(conn, &me, &id)).await?;
    let views: Result<Vec<_>, _> = versions.into_iter().map(version_view).collect();
    Ok(HttpResponse::Ok().json(views?))
}

/// One submitted version.
#[utoipa::path(tag = "advice", operation_id = "getAdviceVersion", security(("bearer" = [])), params(("id" = String, Path), ("n" = i32, Path)), responses(
    (status = 200, body = AdviceVersionView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/advice-requests/{id}/advice/versions/{n}")]
pub async fn get_version(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<(String, i32)>,
) -> ApiResult<HttpResponse> {
    let (id, n) = path.into_inner();
    let versions = state.tx(move |conn| visible_versions(conn, &me, &id)).await?;
    let v = versions.into_iter().find(|v| v.version == n).ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(version_view(v)?))
}
