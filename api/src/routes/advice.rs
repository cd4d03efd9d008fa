//! Advice: a draft its author saves, submits (locked), and may change again
//! only when the assessment team releases it. Every submission is kept.

use actix_web::http::header::{self, IF_MATCH};
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use ehc_domain::advice::quality::Check;
use ehc_domain::advice::{too_long, AdviceContent};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::json::parse_body;
use crate::paging::{page_of, Page, PageQuery};
use crate::problems::{BadRequest, Conflict, Forbidden, IfMatchRequired, Invalid, NotFound, Stale, Unauthorized};
use crate::state::AppState;
use crate::views::advice::{respond, revision_from, version_view, AdviceFindings, AdviceVersionView, AdviceView};
use crate::workflow::{advice, advice_checks};

/// Read the advice answering a request.
///
/// The working copy for its author (and for the endorser while it waits for them); the latest
/// published version for everyone else on the case. The `ETag` is needed to save the draft. 404
/// when there is nothing the caller may read.
#[utoipa::path(tag = "advice", operation_id = "getAdvice", security(("bearer" = [])), params(("id" = uuid::Uuid, Path, description = "The request for advice's id")), responses(
    (status = 200, body = AdviceView, description = "The advice you may read", headers(("ETag" = String, description = "The advice's version, for `If-Match` when saving the draft"))),
    Unauthorized, NotFound))]
#[get("/advice-requests/{id}/advice")]
pub async fn get_advice(state: web::Data<AppState>, me: AuthUser, path: web::Path<String>) -> ApiResult<HttpResponse> {
    respond(advice::read(&state, me, path.into_inner()).await?)
}

fn if_match(req: &HttpRequest) -> Result<String, ApiError> {
    req.headers()
        .get(IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().trim_start_matches("W/").to_owned())
        .ok_or(ApiError::PreconditionRequired)
}

/// Save the draft advice.
///
/// Partial content is fine: the full checks run on submit. Needs `If-Match` with the `ETag` last
/// read (428 without it, 412 when someone saved since). Advice that is submitted stays locked (409)
/// until the assessment team releases it.
#[utoipa::path(tag = "advice", operation_id = "saveAdvice", security(("bearer" = [])), request_body = AdviceContent,
    params(("id" = uuid::Uuid, Path, description = "The request for advice's id"), ("If-Match" = String, Header, description = "The ETag last read")), responses(
    (status = 200, body = AdviceView, description = "Saved", headers(("ETag" = String, description = "The advice's version, for `If-Match` when saving the draft"))),
    BadRequest, Unauthorized, Forbidden, NotFound, Conflict, Stale, Invalid, IfMatchRequired))]
#[put("/advice-requests/{id}/advice")]
pub async fn save_advice(
    state: web::Data<AppState>,
    me: AuthUser,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> ApiResult<HttpResponse> {
    let json = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    if !json.is_some_and(|v| v.starts_with("application/json")) {
        return Err(ApiError::BadRequest("The body must be JSON with Content-Type: application/json.".to_owned()));
    }
    let content: AdviceContent = parse_body(&body)?;
    let long = too_long(&content);
    if !long.is_empty() {
        return Err(ApiError::Validation(long));
    }
    let read_revision = revision_from(&if_match(&req)?);
    respond(advice::save(&state, me, path.into_inner(), content, read_revision).await?)
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"acknowledged_findings": ["third_party_name"]}))]
pub struct SubmitAdvice {
    /// The warnings of the quality checks you have read and stand by; they
    /// are recorded with the version.
    #[serde(default)]
    pub acknowledged_findings: Vec<Check>,
}

/// Submit the advice: checked in full, then locked.
///
/// Every rule is checked at once and a 422 lists every failing field: each error to mend and each
/// warning not acknowledged in `acknowledged_findings`. The advice is then locked and published at
/// once, or sent for endorsement when the request asks for it. The body may be empty.
#[utoipa::path(tag = "advice", operation_id = "submitAdvice", security(("bearer" = [])), params(("id" = uuid::Uuid, Path, description = "The request for advice's id")),
    request_body(content = Option<SubmitAdvice>, content_type = "application/json"), responses(
    (status = 200, body = AdviceView, description = "Submitted: published, or waiting for endorsement", headers(("ETag" = String, description = "The advice's version, for `If-Match` when saving the draft"))),
    BadRequest, Unauthorized, Forbidden, NotFound, Conflict, Invalid))]
#[post("/advice-requests/{id}/advice/submit")]
pub async fn submit_advice(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
    body: web::Bytes,
) -> ApiResult<HttpResponse> {
    // No body, or JSON `null` (the spec's optional body), is an empty one.
    let given = body.trim_ascii();
    let submit: SubmitAdvice =
        if given.is_empty() || given == b"null" { SubmitAdvice::default() } else { parse_body(&body)? };
    respond(advice::submit(&state, me, path.into_inner(), submit.acknowledged_findings).await?)
}

/// The quality checks' findings on the working copy.
///
/// The same findings every answer that shows the working copy carries: errors to mend before
/// submit, warnings to acknowledge. For the author and, while it waits, the endorser.
#[utoipa::path(tag = "advice", operation_id = "checkAdvice", security(("bearer" = [])), params(("id" = uuid::Uuid, Path, description = "The request for advice's id")), responses(
    (status = 200, body = AdviceFindings, description = "The findings: errors to mend, warnings to acknowledge"),
    Unauthorized, NotFound))]
#[get("/advice-requests/{id}/advice/checks")]
pub async fn check_advice(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let findings = advice_checks::of_working_copy(&state, me, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(AdviceFindings { findings }))
}

/// The submitted versions of the advice, oldest first.
///
/// The versions the caller may read: published ones for most readers. Paged with `limit` and
/// `cursor`.
#[utoipa::path(tag = "advice", operation_id = "listAdviceVersions", security(("bearer" = [])), params(("id" = uuid::Uuid, Path, description = "The request for advice's id"), PageQuery), responses(
    (status = 200, body = Page<AdviceVersionView>, description = "The versions you may read"),
    Unauthorized, NotFound))]
#[get("/advice-requests/{id}/advice/versions")]
pub async fn list_versions(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let versions = advice::versions(&state, me, path.into_inner()).await?;
    let views: Vec<AdviceVersionView> = versions.into_iter().map(version_view).collect::<Result<_, _>>()?;
    Ok(HttpResponse::Ok().json(page_of(views, &query, |v| format!("{:010}", v.version))?))
}

/// One submitted version of the advice.
///
/// A version is immutable once submitted. 404 for a version the caller may not read.
#[utoipa::path(tag = "advice", operation_id = "getAdviceVersion", security(("bearer" = [])), params(("id" = uuid::Uuid, Path, description = "The request for advice's id"), ("n" = i32, Path, minimum = 1, description = "The version number, from 1")), responses(
    (status = 200, body = AdviceVersionView, description = "The version"),
    Unauthorized, NotFound))]
#[get("/advice-requests/{id}/advice/versions/{n}")]
pub async fn get_version(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<(String, i32)>,
) -> ApiResult<HttpResponse> {
    let (id, n) = path.into_inner();
    let versions = advice::versions(&state, me, id).await?;
    let v = versions.into_iter().find(|v| v.version == n).ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(version_view(v)?))
}
