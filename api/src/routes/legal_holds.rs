//! Legal holds: a case on hold is never purged, whatever its age (officers).

use actix_web::{delete, put, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::json::ValidatedJson;
use crate::problems::{BadRequest, Forbidden, Invalid, NotFound, Unauthorized};
use crate::state::AppState;
use crate::workflow::records;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Tribunal appeal lodged; records needed until it concludes."}))]
pub struct PlaceHold {
    #[validate(length(min = 1, max = 2000, message = "give the reason (1 to 2000 characters)"))]
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LegalHoldView {
    #[schema(format = Uuid)]
    pub case_id: String,
    pub reason: String,
    pub placed_by: String,
    pub placed_at: DateTime<Utc>,
}

/// Place or replace a legal hold on the case.
///
/// A held case is never purged by retention. Assessment officers and administrators, with a reason;
/// audited.
#[utoipa::path(tag = "audit", operation_id = "placeLegalHold", security(("bearer" = [])), request_body = PlaceHold, params(("id" = uuid::Uuid, Path, description = "The case's id")), responses(
    (status = 200, body = LegalHoldView, description = "OK"),
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    Invalid))]
#[put("/cases/{id}/legal-hold")]
pub async fn place_legal_hold(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
    body: ValidatedJson<PlaceHold>,
) -> ApiResult<HttpResponse> {
    let hold = records::place_hold(&state, me, path.into_inner(), body.0.reason.trim().to_owned()).await?;
    Ok(HttpResponse::Ok().json(LegalHoldView {
        case_id: hold.case_id,
        reason: hold.reason,
        placed_by: hold.placed_by,
        placed_at: hold.placed_at.and_utc(),
    }))
}

/// Lift the legal hold.
///
/// The case is purged again once past its retention period. Audited.
#[utoipa::path(tag = "audit", operation_id = "liftLegalHold", security(("bearer" = [])), params(("id" = uuid::Uuid, Path, description = "The case's id")), responses(
    (status = 204, description = "Lifted"),
    Unauthorized,
    Forbidden,
    NotFound))]
#[delete("/cases/{id}/legal-hold")]
pub async fn lift_legal_hold(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    records::lift_hold(&state, me, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
