//! Password reset: a link by e-mail, a new password, then the second factor.

use actix_web::{post, web, HttpRequest, HttpResponse};
use chrono::Duration;
use ehc_domain::email::normalise_email;
use ehc_domain::messages;
use ehc_domain::otp_policy::{AUTH_PER_CLIENT, PASSWORD_RESET_TTL_MINUTES};
use ehc_domain::password::check_new_password;
use ehc_domain::roles::AccountStatus;
use ehc_storage::error::OptionalExt;
use ehc_storage::identity::{password_resets, users};
use ehc_storage::{new_id, rate_limits};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{account_bucket, client_bucket};
use crate::error::{ApiError, ApiResult};
use crate::identity::challenge::{self, PURPOSE_PASSWORD_RESET};
use crate::json::ValidatedJson;
use crate::messaging::{Channel, OutgoingMessage};
use crate::problems::{BadRequest, Conflict, Invalid, NotFound, TooManyRequests, Unavailable};
use crate::security::passwords;
use crate::security::secrets::{hash_token, random_token};
use crate::state::AppState;
use crate::views::identity::MfaStep;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "sam.senco@oakfield.sch.uk"}))]
pub struct RequestReset {
    #[validate(length(min = 1, max = 254))]
    pub email: String,
}

/// Ask for a reset link by e-mail. Always 202, whether or not the address has
/// an account, so the answer reveals nothing.
#[utoipa::path(tag = "auth", operation_id = "requestPasswordReset", security(()), request_body = RequestReset, responses(
    (status = 202, description = "If the address has an account, a link was sent"),
    BadRequest,
    Invalid,
    TooManyRequests))]
#[post("/auth/password-reset")]
pub async fn request_password_reset(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ValidatedJson<RequestReset>,
) -> ApiResult<HttpResponse> {
    let now = state.now();
    let email = normalise_email(&body.0.email).map_err(|m| ApiError::validation("/email", "invalid", m))?;
    let client = client_bucket(&req, state.trust_proxy_headers, "auth");
    let account = account_bucket("password-reset", &email);
    let token = random_token();
    let token_hash = hash_token(&token);
    let recipient = state
        .tx(move |conn| {
            if let Some(retry_after_seconds) = rate_limits::hit(conn, &client, AUTH_PER_CLIENT, now)? {
                return Err(ApiError::TooManyRequests { retry_after_seconds });
            }
            // Three links an hour per address, silently: the answer stays 202.
            let limit = ehc_domain::otp_policy::RateLimit { max: 3, window: Duration::hours(1) };
            if rate_limits::hit(conn, &account, limit, now)?.is_some() {
                return Ok(None);
            }
            let Some(user) =
                users::user_by_email(conn, &email).optional()?.filter(|u| u.status == AccountStatus::Active)
            else {
                return Ok(None);
            };
            password_resets::insert_password_reset(
                conn,
                &new_id(),
                &user.id,
                &token_hash,
                now,
                now + Duration::minutes(PASSWORD_RESET_TTL_MINUTES),
            )?;
            Ok(Some(user.email))
        })
        .await?;
    if let Some(to) = recipient {
        let link = format!("{}/password-reset?token={token}", state.public_url);
        let text = messages::password_reset_email(&state.service_name, &link, PASSWORD_RESET_TTL_MINUTES);
        state
            .messenger
            .send(OutgoingMessage { channel: Channel::Email, to, subject: text.subject, body: text.body })
            .await
            .map_err(|e| ApiError::Unavailable(e.to_string()))?;
    }
    Ok(HttpResponse::Accepted().finish())
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"token": "pX3…from the reset link", "password": "violet harbour teapot gallop"}))]
pub struct CompleteReset {
    /// The `token` of the reset link.
    #[validate(length(min = 1, max = 200))]
    pub token: String,
    pub password: String,
}

/// Set the new password. It takes effect once the second step is passed at
/// `/api/v1/auth/mfa/verify` with the returned step token; every other
/// session then ends.
#[utoipa::path(tag = "auth", operation_id = "completePasswordReset", security(()), request_body = CompleteReset, responses(
    (status = 200, body = MfaStep, description = "OK"),
    BadRequest,
    NotFound,
    Conflict,
    Invalid,
    TooManyRequests,
    Unavailable))]
#[post("/auth/password-reset/complete")]
pub async fn complete_password_reset(
    state: web::Data<AppState>,
    body: ValidatedJson<CompleteReset>,
) -> ApiResult<HttpResponse> {
    let now = state.now();
    let token_hash = hash_token(&body.0.token);
    let (reset, user) = state
        .tx(move |conn| {
            let reset = password_resets::password_reset_by_token_hash(conn, &token_hash)?;
            if reset.used_at.is_some() || reset.expires_at <= now {
                return Err(ApiError::Conflict(
                    "This reset link was used or has expired. Ask for a new one.".to_owned(),
                ));
            }
            let user = users::user_by_id(conn, &reset.user_id)?;
            Ok((reset, user))
        })
        .await?;
    let errors = check_new_password(&body.0.password, &[user.email.as_str(), user.name.as_str()], "/password");
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let password = body.0.password;
    let hash = web::block(move || passwords::hash_password(&password)).await?.map_err(ApiError::internal)?;
    let st = state.clone();
    let (step, code) = state
        .tx(move |conn| {
            password_resets::stage_new_password(conn, &reset.id, &hash)?;
            let started = challenge::start(conn, &st, &user, PURPOSE_PASSWORD_RESET, Some(&reset.id), now)?;
            Ok((
                MfaStep { mfa_token: started.mfa_token, channel: user.mfa_channel, phone_masked: user.phone_masked },
                started.code,
            ))
        })
        .await?;
    challenge::deliver(&state, code).await?;
    Ok(HttpResponse::Ok().json(step))
}
