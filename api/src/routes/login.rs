//! Logging in: password, then a second step; refreshing and ending sessions.

use actix_web::{post, web, HttpRequest, HttpResponse};
use ehc_domain::email::normalise_email;
use ehc_domain::otp_policy::{AUTH_PER_CLIENT, LOGIN_PER_ACCOUNT};
use ehc_domain::roles::AccountStatus;
use ehc_storage::error::OptionalExt;
use ehc_storage::identity::{password_resets, sessions, users};
use ehc_storage::rate_limits;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{account_bucket, client_bucket, AuthUser};
use crate::error::{ApiError, ApiResult};
use crate::identity::challenge::{self, check_failure, CodeCheck, LOCKOUT, PURPOSE_LOGIN, PURPOSE_PASSWORD_RESET};
use crate::identity::session::{self, RefreshOutcome, TokenPair};
use crate::json::ValidatedJson;
use crate::problems::{BadRequest, Conflict, Invalid, TooManyRequests, Unauthorized, Unavailable};
use crate::security::{passwords, tokens};
use crate::state::AppState;
use crate::views::identity::MfaStep;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "sam.senco@oakfield.sch.uk", "password": "maple orbit lantern quietly"}))]
pub struct Login {
    #[validate(length(min = 1, max = 254))]
    pub email: String,
    #[validate(length(min = 1, max = 1024))]
    pub password: String,
}

const WRONG_LOGIN: &str = "The e-mail address or password is incorrect.";

/// First step of logging in. An unknown e-mail and a wrong password get the
/// same answer in the same time. Sends the code for sms and voice users.
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
    let body = body.0;
    let now = state.now();
    let email = normalise_email(&body.email).unwrap_or_else(|_| body.email.trim().to_lowercase());
    let client = client_bucket(&req, state.trust_proxy_headers, "auth");
    let account = account_bucket("login-failures", &email);
    let lookup_email = email.clone();
    let lookup_account = account.clone();
    let user = state
        .tx(move |conn| {
            if let Some(retry_after_seconds) = rate_limits::hit(conn, &client, AUTH_PER_CLIENT, now)? {
                return Err(ApiError::TooManyRequests { retry_after_seconds });
            }
            if let Some(retry_after_seconds) = rate_limits::check(conn, &lookup_account, LOGIN_PER_ACCOUNT, now)? {
                return Err(ApiError::TooManyRequests { retry_after_seconds });
            }
            Ok(users::user_by_email(conn, &lookup_email).optional()?)
        })
        .await?;

    // Always one Argon2 verification, against a dummy hash when the e-mail is unknown.
    let stored_hash =
        user.as_ref().map(|u| u.password_hash.clone()).unwrap_or_else(|| state.dummy_password_hash.clone());
    let password = body.password;
    let password_ok = web::block(move || passwords::verify_password(&password, &stored_hash)).await?;
    let user = match user {
        Some(user) if password_ok && user.status != AccountStatus::Disabled => user,
        _ => {
            state.tx(move |conn| Ok(rate_limits::record(conn, &account, now)?)).await?;
            return Err(ApiError::Unauthorized(WRONG_LOGIN));
        }
    };
    if user.status == AccountStatus::PendingTotp {
        return Err(ApiError::Conflict(
            "Finish setting up your authenticator app first (confirm its first code).".to_owned(),
        ));
    }

    let st = state.clone();
    let (step, code) = state
        .tx(move |conn| {
            if let Some(retry_after_seconds) =
                rate_limits::check(conn, &challenge::lockout_bucket(&user.id), LOCKOUT, now)?
            {
                return Err(ApiError::TooManyRequests { retry_after_seconds });
            }
            rate_limits::clear(conn, &account)?;
            let started = challenge::start(conn, &st, &user, PURPOSE_LOGIN, None, now)?;
            Ok((
                MfaStep {
                    mfa_token: started.mfa_token,
                    channel: user.mfa_channel,
                    phone_masked: user.phone_masked.clone(),
                },
                started.code,
            ))
        })
        .await?;
    challenge::deliver(&state, code).await?;
    Ok(HttpResponse::Ok().json(step))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"mfa_token": "eyJ…", "code": "492039"}))]
pub struct VerifyMfa {
    pub mfa_token: String,
    /// The six-digit code, or one of the recovery codes.
    #[validate(length(min = 1, max = 32))]
    pub code: String,
}

/// Second step: the code (or a recovery code). Returns the session's tokens.
/// Five wrong codes lock the login for 15 minutes.
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
    let claims = tokens::verify_mfa_step(&body.0.mfa_token, state.keys.signing_key(), &state.public_url)
        .filter(|c| c.purpose == PURPOSE_LOGIN || c.purpose == PURPOSE_PASSWORD_RESET)
        .ok_or(ApiError::Unauthorized("The step token is invalid or has expired. Log in again."))?;
    let now = state.now();
    let client = client_bucket(&req, state.trust_proxy_headers, "auth");
    let st = state.clone();
    let code = body.0.code;
    let pair = state
        .tx(move |conn| {
            if let Some(retry_after_seconds) = rate_limits::hit(conn, &client, AUTH_PER_CLIENT, now)? {
                return Ok(Err(ApiError::TooManyRequests { retry_after_seconds }));
            }
            let (open, user) = match challenge::prove(conn, &st, &claims, &code, now)? {
                Ok(proven) => proven,
                Err(refused) => return Ok(Err(refused)),
            };
            if let Some(reset_id) = &open.password_reset_id {
                let reset = password_resets::password_reset_by_id(conn, reset_id)?;
                let Some(new_hash) =
                    reset.new_password_hash.filter(|_| reset.used_at.is_none() && reset.expires_at > now)
                else {
                    return Ok(Err(check_failure(CodeCheck::Unusable)));
                };
                password_resets::mark_password_reset_used(conn, reset_id, now)?;
                users::set_password_hash(conn, &user.id, &new_hash)?;
                sessions::revoke_all_sessions_of_user(conn, &user.id, "password_reset", now)?;
            }
            Ok(Ok(session::start_session(conn, &st, &user.id, now)?))
        })
        .await??;
    Ok(HttpResponse::Ok().json(pair))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"mfa_token": "eyJ…"}))]
pub struct ResendCode {
    pub mfa_token: String,
}

/// Send a new code by SMS or voice; the previous code stops working. At most
/// one every 30 seconds and ten an hour.
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
    let claims = tokens::verify_mfa_step(&body.0.mfa_token, state.keys.signing_key(), &state.public_url)
        .ok_or(ApiError::Unauthorized("The step token is invalid or has expired. Log in again."))?;
    let now = state.now();
    let st = state.clone();
    let code = state
        .tx(move |conn| {
            let (open, user) = challenge::open_challenge(conn, &claims, now)?
                .ok_or(ApiError::Unauthorized("This login step has expired or was already used."))?;
            challenge::resend(conn, &st, &open, &user, now)
        })
        .await?;
    challenge::deliver(&state, Some(code)).await?;
    Ok(HttpResponse::Accepted().finish())
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"refresh_token": "Yk3…"}))]
pub struct Refresh {
    #[validate(length(min = 1, max = 200))]
    pub refresh_token: String,
}

/// Exchange a refresh token for a new pair. Each refresh token works once;
/// presenting a used one ends the whole session.
#[utoipa::path(tag = "auth", operation_id = "refreshTokens", security(()), request_body = Refresh, responses(
    (status = 200, body = TokenPair, description = "OK"),
    BadRequest,
    Unauthorized,
    Invalid))]
#[post("/auth/refresh")]
pub async fn refresh(state: web::Data<AppState>, body: ValidatedJson<Refresh>) -> ApiResult<HttpResponse> {
    let now = state.now();
    let st = state.clone();
    let outcome = state.tx(move |conn| session::refresh(conn, &st, &body.0.refresh_token, now)).await?;
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

/// End the current session: its access and refresh tokens stop working.
#[utoipa::path(tag = "auth", operation_id = "logout", security(("bearer" = [])), responses(
    (status = 204, description = "Logged out"),
    Unauthorized))]
#[post("/auth/logout")]
pub async fn logout(state: web::Data<AppState>, me: AuthUser) -> ApiResult<HttpResponse> {
    let now = state.now();
    state.tx(move |conn| Ok(sessions::revoke_session(conn, &me.session_id, "logout", now)?)).await?;
    Ok(HttpResponse::NoContent().finish())
}
