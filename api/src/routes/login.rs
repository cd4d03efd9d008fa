//! Logging in: password, then a second step; refreshing and ending sessions.

use actix_web::{post, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{client_bucket, AuthUser};
use crate::error::{ApiError, ApiResult};
use crate::identity::login as flow;
use crate::identity::session::{RefreshOutcome, TokenPair};
use crate::json::ValidatedJson;
use crate::problems::{BadRequest, Conflict, Invalid, TooManyRequests, Unauthorized, Unavailable};
use crate::state::AppState;
use crate::views::identity::MfaStep;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "sam.senco@oakfield.sch.uk", "password": "maple orbit lantern quietly"}))]
pub struct Login {
    #[validate(length(min = 1, max = 254))]
    #[schema(value_type = crate::views::EmailAddress)]
    pub email: String,
    #[validate(length(min = 1, max = 1024))]
    #[schema(min_length = 1, max_length = 1024)]
    pub password: String,
}

/// First step of logging in: e-mail and password.
///
/// Answers a step token and the second step to take. An unknown e-mail and a wrong password get the
/// same answer in the same time. For SMS and voice users a code is sent now. Repeated failures are
/// rate-limited (429 with `Retry-After`).
#[utoipa::path(tag = "auth", operation_id = "login", security(()), request_body = Login, responses(
    (status = 200, body = MfaStep, description = "OK"),
    BadRequest,
    Unauthorized,
    Conflict,
    Invalid,
    TooManyRequests,
    Unavailable))]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ValidatedJson<Login>,
) -> ApiResult<HttpResponse> {
    let client = client_bucket(&req, &state.trusted_proxies, "auth");
    let body = body.0;
    let step = flow::password_step(&state, client, body.email, body.password).await?;
    Ok(HttpResponse::Ok().json(step))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"mfa_token": "eyJ…", "code": "492039"}))]
pub struct VerifyMfa {
    pub mfa_token: String,
    /// The six-digit code, or one of the recovery codes.
    #[validate(length(min = 1, max = 32))]
    #[schema(min_length = 1, max_length = 32)]
    pub code: String,
}

/// Second step of logging in: the code or a recovery code.
///
/// Returns the session's access and refresh tokens. Five wrong codes lock the login for 15 minutes;
/// ten wrong codes in an hour across logins lock the account's second step for 15 minutes and its
/// owner is e-mailed.
#[utoipa::path(tag = "auth", operation_id = "verifyMfa", security(()), request_body = VerifyMfa, responses(
    (status = 200, body = TokenPair, description = "OK"),
    BadRequest,
    Unauthorized,
    Invalid,
    TooManyRequests))]
#[post("/auth/mfa/verify")]
pub async fn verify_mfa(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ValidatedJson<VerifyMfa>,
) -> ApiResult<HttpResponse> {
    let client = client_bucket(&req, &state.trusted_proxies, "auth");
    let pair = flow::code_step(&state, client, body.0.mfa_token, body.0.code).await?;
    Ok(HttpResponse::Ok().json(pair))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"mfa_token": "eyJ…"}))]
pub struct ResendCode {
    pub mfa_token: String,
}

/// Send a new SMS or voice code.
///
/// The previous code stops working. At most one every 30 seconds and ten an hour (429 with `Retry-
/// After`).
#[utoipa::path(tag = "auth", operation_id = "resendCode", security(()), request_body = ResendCode, responses(
    (status = 202, description = "A new code was sent"),
    BadRequest,
    Unauthorized,
    Conflict,
    Invalid,
    TooManyRequests,
    Unavailable))]
#[post("/auth/mfa/resend")]
pub async fn resend_code(state: web::Data<AppState>, body: ValidatedJson<ResendCode>) -> ApiResult<HttpResponse> {
    flow::resend(&state, body.0.mfa_token).await?;
    Ok(HttpResponse::Accepted().finish())
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"refresh_token": "Yk3…"}))]
pub struct Refresh {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub refresh_token: String,
}

/// Exchange a refresh token for a new pair.
///
/// Each refresh token works once; presenting one already used ends the whole session, since it
/// means the token was copied.
#[utoipa::path(tag = "auth", operation_id = "refreshTokens", security(()), request_body = Refresh, responses(
    (status = 200, body = TokenPair, description = "OK"),
    BadRequest,
    Unauthorized,
    Invalid))]
#[post("/auth/refresh")]
pub async fn refresh(state: web::Data<AppState>, body: ValidatedJson<Refresh>) -> ApiResult<HttpResponse> {
    let outcome = flow::refresh(&state, body.0.refresh_token).await?;
    match outcome {
        RefreshOutcome::Renewed(pair) => Ok(HttpResponse::Ok().json(pair)),
        RefreshOutcome::Reused => Err(ApiError::Unauthorized(
            "This refresh token was already used; the session has been ended for safety. Log in again.",
        )),
        RefreshOutcome::Invalid => {
            Err(ApiError::Unauthorized("The refresh token is invalid or the session has ended."))
        }
    }
}

/// End the current session.
///
/// The session's access and refresh tokens stop working at once.
#[utoipa::path(tag = "auth", operation_id = "logout", security(("bearer" = [])), responses(
    (status = 204, description = "Logged out"),
    Unauthorized))]
#[post("/auth/logout")]
pub async fn logout(state: web::Data<AppState>, me: AuthUser) -> ApiResult<HttpResponse> {
    flow::logout(&state, me).await?;
    Ok(HttpResponse::NoContent().finish())
}
