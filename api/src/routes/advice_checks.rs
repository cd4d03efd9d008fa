//! The council's settings of the advice quality checks.

use actix_web::{get, put, web, HttpResponse};
use ehc_domain::advice::quality::{Check, Severity, CHECKS};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::json::ValidatedJson;
use crate::paging::{page_of, Page, PageQuery};
use crate::problems::{BadRequest, Forbidden, NotFound, Unauthorized};
use crate::state::AppState;
use crate::views::advice::CheckSetting;
use crate::workflow::advice_checks;

/// The advice quality checks and this council's severities.
///
/// Every check that submit runs on advice, with the severity the caller's council gives it: `error`
/// (submit refuses), `warning` (the author acknowledges it) or `off`. Administrators and the
/// assessment team.
#[utoipa::path(tag = "advice", operation_id = "listAdviceChecks", security(("bearer" = [])), params(PageQuery), responses(
    (status = 200, body = Page<CheckSetting>, description = "The checks and their severities"),
    Unauthorized,
    Forbidden))]
#[get("/advice-checks")]
pub async fn list_advice_checks(
    state: web::Data<AppState>,
    me: AuthUser,
    query: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let settings = advice_checks::settings(&state, me).await?;
    // In the catalogue's order.
    let position =
        |s: &CheckSetting| format!("{:03}", CHECKS.iter().position(|c| *c == s.check).unwrap_or(CHECKS.len()));
    Ok(HttpResponse::Ok().json(page_of(settings, &query, position)?))
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"severity": "error"}))]
pub struct SetSeverity {
    pub severity: Severity,
}

/// Set a quality check's severity for this council.
///
/// Makes the check an error, a warning or off for every advice submitted in the caller's council
/// from now on. Administrators and the assessment team; audited.
#[utoipa::path(tag = "advice", operation_id = "setAdviceCheck", security(("bearer" = [])),
    params(("check" = Check, Path, description = "The check's code")), request_body = SetSeverity, responses(
    (status = 200, body = CheckSetting, description = "The check with its new severity"),
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound))]
#[put("/advice-checks/{check}")]
pub async fn set_advice_check(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
    body: ValidatedJson<SetSeverity>,
) -> ApiResult<HttpResponse> {
    let check = Check::parse(&path.into_inner()).ok_or(ApiError::NotFound)?;
    let settings = advice_checks::set(&state, me, check, body.0.severity).await?;
    let changed = settings
        .into_iter()
        .find(|s| s.check == check)
        .ok_or_else(|| ApiError::internal("a check missing from the catalogue"))?;
    Ok(HttpResponse::Ok().json(changed))
}
