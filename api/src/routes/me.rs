//! The logged-in user's own profile and second factor.

use actix_web::{get, post, put, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::identity::account;
use crate::json::ValidatedJson;
use crate::problems::{BadRequest, Invalid, TooManyRequests, Unauthorized, Unavailable};
use crate::state::AppState;
use crate::views::identity::MfaStep;
use crate::views::identity::{Me, SecondFactorChanged};
use ehc_domain::second_factor::SecondFactor;

/// Your profile, role, organisation and (masked) second factor.
#[utoipa::path(tag = "me", operation_id = "getMe", security(("bearer" = [])), responses(
    (status = 200, body = Me, description = "OK"),
    Unauthorized))]
#[get("/me")]
pub async fn get_me(state: web::Data<AppState>, me: AuthUser) -> ApiResult<HttpResponse> {
    let view = account::profile(&state, me).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Start changing the second factor: sends a fresh code to the current phone
/// (authenticator users read one from their app). The change itself is
/// `PUT /api/v1/me/second-factor`.
#[utoipa::path(tag = "me", operation_id = "startSecondFactorChange", security(("bearer" = [])), responses(
    (status = 200, body = MfaStep, description = "OK"),
    Unauthorized,
    TooManyRequests,
    Unavailable))]
#[post("/me/second-factor/challenge")]
pub async fn start_factor_change(state: web::Data<AppState>, me: AuthUser) -> ApiResult<HttpResponse> {
    let step = account::start_factor_change(&state, me).await?;
    Ok(HttpResponse::Ok().json(step))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"mfa_token": "eyJ…", "code": "492039", "channel": "voice", "phone": "01709 382121"}))]
pub struct ChangeSecondFactor {
    /// From `POST /api/v1/me/second-factor/challenge`.
    pub mfa_token: String,
    /// A fresh code from the current second factor.
    #[validate(length(min = 1, max = 32))]
    pub code: String,
    pub channel: SecondFactor,
    pub phone: Option<String>,
}

/// Change the second factor, proven by a fresh code from the current one.
#[utoipa::path(tag = "me", operation_id = "changeSecondFactor", security(("bearer" = [])), request_body = ChangeSecondFactor, responses(
    (status = 200, body = SecondFactorChanged, description = "OK"),
    BadRequest,
    Unauthorized,
    Invalid,
    TooManyRequests))]
#[put("/me/second-factor")]
pub async fn change_second_factor(
    state: web::Data<AppState>,
    me: AuthUser,
    body: ValidatedJson<ChangeSecondFactor>,
) -> ApiResult<HttpResponse> {
    let b = body.0;
    let changed = account::change_second_factor(&state, me, b.mfa_token, b.code, b.channel, b.phone).await?;
    Ok(HttpResponse::Ok().json(changed))
}
