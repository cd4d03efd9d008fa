//! The council's settings of the advice quality checks.

use actix_web::{get, put, web, HttpResponse};
use ehc_domain::advice::quality::{Check, Severity};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::problems::{BadRequest, Forbidden, NotFound, Unauthorized};
use crate::state::AppState;
use crate::views::advice::CheckSetting;
use crate::workflow::advice_checks;

/// Every advice quality check with the severity this council gives it.
#[utoipa::path(tag = "advice", operation_id = "listAdviceChecks", security(("bearer" = [])), responses(
    (status = 200, body = Vec<CheckSetting>, description = "The checks and their severities"),
    Unauthorized,
    Forbidden))]
#[get("/advice-checks")]
pub async fn list_advice_checks(state: web::Data<AppState>, me: AuthUser) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(advice_checks::settings(&state, me).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"severity": "error"}))]
pub struct SetSeverity {
    pub severity: Severity,
}

/// Make a check an error (submit refuses), a warning (the author
/// acknowledges it) or off, for this council. Audited.
#[utoipa::path(tag = "advice", operation_id = "setAdviceCheck", security(("bearer" = [])),
    params(("check" = Check, Path)), request_body = SetSeverity, responses(
    (status = 200, body = Vec<CheckSetting>, description = "The checks and their severities"),
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound))]
#[put("/advice-checks/{check}")]
pub async fn set_advice_check(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
    body: web::Json<SetSeverity>,
) -> ApiResult<HttpResponse> {
    let check = Check::parse(&path.into_inner()).ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(advice_checks::set(&state, me, check, body.into_inner().severity).await?))
}
