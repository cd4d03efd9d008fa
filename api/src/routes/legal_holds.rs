//! Legal holds: a case on hold is never purged, whatever its age (officers).

use actix_web::{delete, put, web, HttpResponse};
use chrono::{DateTime, Utc};
use ehc_storage::casework::retention::{self, LegalHold};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::audit;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::json::ValidatedJson;
use crate::problems::{BadRequest, Forbidden, Invalid, NotFound, Unauthorized};
use crate::state::AppState;
use crate::workflow::access::{require, visible_case};
use ehc_domain::access::Action;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Tribunal appeal lodged; records needed until it concludes."}))]
pub struct PlaceHold {
    #[validate(length(min = 1, max = 2000, message = "give the reason (1 to 2000 characters)"))]
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LegalHoldView {
    pub case_id: String,
    pub reason: String,
    pub placed_by: String,
    pub placed_at: DateTime<Utc>,
}

/// Place (or replace) a legal hold on the case.
#[utoipa::path(tag = "audit", operation_id = "placeLegalHold", security(("bearer" = [])), request_body = PlaceHold, params(("id" = String, Path)), responses(
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
    let case_id = path.into_inner();
    let now = state.now();
    let reason = body.0.reason.trim().to_owned();
    let hold = state
        .tx(move |conn| {
            let case = visible_case(conn, &me, &case_id)?;
            require(&me, Action::PlaceLegalHold)?;
            let hold = LegalHold { case_id: case.id.clone(), reason, placed_by: me.user_id.clone(), placed_at: now };
            retention::place_hold(conn, &hold)?;
            audit::record(conn, &me, "legal_hold.place", Some(&case.id), None)?;
            Ok(hold)
        })
        .await?;
    Ok(HttpResponse::Ok().json(LegalHoldView {
        case_id: hold.case_id,
        reason: hold.reason,
        placed_by: hold.placed_by,
        placed_at: hold.placed_at.and_utc(),
    }))
}

/// Lift the legal hold: the case is purged again once past retention.
#[utoipa::path(tag = "audit", operation_id = "liftLegalHold", security(("bearer" = [])), params(("id" = String, Path)), responses(
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
    let case_id = path.into_inner();
    state
        .tx(move |conn| {
            let case = visible_case(conn, &me, &case_id)?;
            require(&me, Action::PlaceLegalHold)?;
            if !retention::lift_hold(conn, &case.id)? {
                return Err(ApiError::NotFound);
            }
            audit::record(conn, &me, "legal_hold.lift", Some(&case.id), None)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
