//! What happens to submitted advice after its author: endorsement, return
//! for amendment, release by the assessment team.

use actix_web::{post, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::json::ValidatedJson;
use crate::problems::{BadRequest, Conflict, Forbidden, Invalid, NotFound, Unauthorized};
use crate::state::AppState;
use crate::views::advice::{respond, AdviceView};
use crate::workflow::advice_review;

/// Endorse advice waiting for it; it is published.
///
/// The practitioner's team manager endorses advice the request sent for endorsement. Nobody who
/// wrote or edited the advice since it was last published may endorse it (403). The case's
/// participants are told it is published.
#[utoipa::path(tag = "advice", operation_id = "endorseAdvice", security(("bearer" = [])), params(("id" = uuid::Uuid, Path, description = "The request for advice's id")), responses(
    (status = 200, body = AdviceView, description = "Endorsed and published", headers(("ETag" = String, description = "The advice's version, for `If-Match` when saving the draft"))),
    Unauthorized, Forbidden, NotFound, Conflict))]
#[post("/advice-requests/{id}/advice/endorse")]
pub async fn endorse_advice(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    respond(advice_review::endorse(&state, me, path.into_inner()).await?)
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Please quantify the provision in section 3."}))]
pub struct Reason {
    #[validate(length(min = 1, max = 2000, message = "give a reason of 1 to 2000 characters"))]
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

/// Return advice to its author for amendment.
///
/// With a reason: the endorser while it waits for endorsement; a team inbox's coordinator also once
/// published. The author is told and may edit the draft again.
#[utoipa::path(tag = "advice", operation_id = "returnAdvice", security(("bearer" = [])), request_body = Reason, params(("id" = uuid::Uuid, Path, description = "The request for advice's id")), responses(
    (status = 200, body = AdviceView, description = "Returned to its author", headers(("ETag" = String, description = "The advice's version, for `If-Match` when saving the draft"))),
    BadRequest, Unauthorized, Forbidden, NotFound, Conflict, Invalid))]
#[post("/advice-requests/{id}/advice/return")]
pub async fn return_advice(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
    body: ValidatedJson<Reason>,
) -> ApiResult<HttpResponse> {
    respond(advice_review::return_to_author(&state, me, path.into_inner(), body.0.reason).await?)
}

/// Release locked advice so its author can change it.
///
/// The assessment team releases submitted advice with a reason; the author is told. The published
/// version stays readable until the advice is submitted again.
#[utoipa::path(tag = "advice", operation_id = "releaseAdvice", security(("bearer" = [])), request_body = Reason, params(("id" = uuid::Uuid, Path, description = "The request for advice's id")), responses(
    (status = 200, body = AdviceView, description = "Released to its author", headers(("ETag" = String, description = "The advice's version, for `If-Match` when saving the draft"))),
    BadRequest, Unauthorized, Forbidden, NotFound, Conflict, Invalid))]
#[post("/advice-requests/{id}/advice/release")]
pub async fn release_advice(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
    body: ValidatedJson<Reason>,
) -> ApiResult<HttpResponse> {
    respond(advice_review::release(&state, me, path.into_inner(), body.0.reason).await?)
}
