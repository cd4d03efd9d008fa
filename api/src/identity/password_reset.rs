//! Resetting a forgotten password: a link by e-mail (at most three an hour,
//! and the same answer whether or not the address has an account), then the
//! new password, which takes effect only once the second step is passed.

use crate::auth::account_bucket;
use crate::error::ApiError;
use crate::identity::challenge::{self, PURPOSE_PASSWORD_RESET};
use crate::messaging::{Channel, OutgoingMessage};
use crate::security::secrets::{hash_token, random_token};
use crate::state::AppState;
use crate::views::identity::MfaStep;
use chrono::Duration;
use ehc_domain::email::normalise_email;
use ehc_domain::messages;
use ehc_domain::otp_policy::{AUTH_PER_CLIENT, PASSWORD_RESET_TTL_MINUTES};
use ehc_domain::password::check_new_password;
use ehc_domain::roles::AccountStatus;
use ehc_storage::error::OptionalExt;
use ehc_storage::identity::{password_resets, users};
use ehc_storage::{new_id, rate_limits};

/// Sends a reset link if the address has an active account.
pub async fn request(state: &AppState, client: String, email_typed: String) -> Result<(), ApiError> {
    let now = state.now();
    let email = normalise_email(&email_typed).map_err(|m| ApiError::validation("/email", "invalid", m))?;
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
    Ok(())
}

/// Stages the new password and starts the second step that confirms it.
pub async fn complete(state: &AppState, token: String, password: String) -> Result<MfaStep, ApiError> {
    let now = state.now();
    let token_hash = hash_token(&token);
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
    let errors = check_new_password(&password, &[user.email.as_str(), user.name.as_str()], "/password");
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let hash = state.hashing.hash(password).await?;
    let st = state.clone();
    let (step, code) = state
        .tx(move |conn| {
            password_resets::stage_new_password(conn, &reset.id, &hash)?;
            challenge::start_step(conn, &st, &user, PURPOSE_PASSWORD_RESET, Some(&reset.id), now)
        })
        .await?;
    challenge::deliver(state, code).await?;
    Ok(step)
}
