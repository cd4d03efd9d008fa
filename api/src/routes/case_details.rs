//! Correcting a case's details: `PATCH /cases/{id}` with the `ETag` last read.

use actix_web::http::header::{ETAG, IF_MATCH};
use actix_web::{patch, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::json::ValidatedJson;
use crate::problems::{BadRequest, Forbidden, IfMatchRequired, Invalid, NotFound, Stale, Unauthorized};
use crate::state::AppState;
use crate::views::cases::{case_etag, case_revision_from, CaseView};
use crate::workflow::case_details::{self, Correction, ReadRevision};

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"date_of_birth": "2016-04-12", "upn": null}))]
pub struct CorrectCase {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub given_name: Option<String>,
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub family_name: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "crate::json::present")]
    #[schema(value_type = Option<String>, min_length = 13, max_length = 13)]
    pub upn: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::json::present")]
    #[schema(value_type = Option<String>, pattern = "^[0-9]{10}$")]
    pub nhs_number: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::json::present")]
    #[schema(value_type = Option<String>, pattern = "^[0-9]{10}$")]
    pub uln: Option<Option<String>>,
    pub looked_after: Option<bool>,
}

/// Correct the child's or young person's details.
///
/// Assessment officers. Only the fields given change; they are checked as when the case was opened;
/// audited. Needs `If-Match` with the case's `ETag` (428 without, 412 when stale).
#[utoipa::path(tag = "cases", operation_id = "correctCase", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The case's id"), ("If-Match" = String, Header, description = "The case's ETag last read")),
    request_body = CorrectCase, responses(
    (status = 200, body = CaseView, description = "Corrected", headers(("ETag" = String))),
    BadRequest, Unauthorized, Forbidden, NotFound, Stale, Invalid, IfMatchRequired))]
#[patch("/cases/{id}")]
pub async fn correct_case(
    state: web::Data<AppState>,
    me: AuthUser,
    req: HttpRequest,
    path: web::Path<String>,
    body: ValidatedJson<CorrectCase>,
) -> ApiResult<HttpResponse> {
    let tag = req.headers().get(IF_MATCH).and_then(|v| v.to_str().ok()).ok_or(ApiError::PreconditionRequired)?;
    let b = body.0;
    let change = Correction {
        given_name: b.given_name,
        family_name: b.family_name,
        date_of_birth: b.date_of_birth,
        upn: b.upn,
        nhs_number: b.nhs_number,
        uln: b.uln,
        looked_after: b.looked_after,
    };
    let read = if tag.trim() == "*" { ReadRevision::Any } else { ReadRevision::Named(case_revision_from(tag)) };
    let case = case_details::correct(&state, me, path.into_inner(), read, change).await?;
    Ok(HttpResponse::Ok().insert_header((ETAG, case_etag(case.revision))).json(CaseView::from(case)))
}
