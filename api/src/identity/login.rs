//! Logging in: the password step (same answer, same time for an unknown
//! address), the code step (which may also finish a password reset), and
//! resending a code. Limits and lockouts are counted in the database.

use ehc_domain::email::normalise_email;
use ehc_domain::otp_policy::{AUTH_PER_CLIENT, LOGIN_PER_ACCOUNT};
use ehc_domain::roles::AccountStatus;
use ehc_storage::error::OptionalExt;
use ehc_storage::identity::{password_resets, sessions, users};
use ehc_storage::rate_limits;

use crate::auth::{account_bucket, AuthUser};
use crate::error::ApiError;
use crate::identity::challenge::{self, check_failure, CodeCheck, LOCKOUT, PURPOSE_LOGIN};
use crate::identity::session::{self, RefreshOutcome, TokenPair};
use crate::identity::step;
use crate::security::tokens;
use crate::state::AppState;
use crate::views::identity::MfaStep;

const WRONG_LOGIN: &str = "The e-mail address or password is incorrect.";

/// The first step: checks the password and starts the second step (sending
/// the code for sms and voice users). `client` is the caller's rate-limit bucket.
pub async fn password_step(
    state: &AppState,
    client: String,
    email_typed: String,
    password: String,
) -> Result<MfaStep, ApiError> {
    let now = state.now();
    let email = normalise_email(&email_typed).unwrap_or_else(|_| email_typed.trim().to_lowercase());
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
    let password_ok = state.hashing.verify(password, stored_hash).await?;
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
    if user.status == AccountStatus::PendingPasskey {
        return Err(ApiError::Conflict("Finish setting up your passkey first.".to_owned()));
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
            challenge::start_step(conn, &st, &user, PURPOSE_LOGIN, None, now)
        })
        .await?;
    challenge::deliver(state, code).await?;
    Ok(step)
}

/// The second step: the code (or a recovery code) for the step token; the
/// session's tokens.
pub async fn code_step(
    state: &AppState,
    client: String,
    mfa_token: String,
    code: String,
) -> Result<TokenPair, ApiError> {
    let claims = step::step_claims(state, &mfa_token, &step::LOGIN_PURPOSES, None, step::LOG_IN_AGAIN)?;
    let now = state.now();
    let st = state.clone();
    let pair = state
        .tx(move |conn| {
            if let Some(retry_after_seconds) = rate_limits::hit(conn, &client, AUTH_PER_CLIENT, now)? {
                return Ok(Err(ApiError::TooManyRequests { retry_after_seconds }));
            }
            let (open, user) = match challenge::prove(conn, &st, &claims, &code, now)? {
                Ok(proven) => proven,
                Err(refused) => return Ok(Err(refused)),
            };
            finish_second_step(conn, &st, &open, &user, user.mfa_channel, now)
        })
        .await??;
    Ok(pair)
}

/// A proven second step of a login (or of a password reset, which it then
/// completes): the session's tokens.
pub fn finish_second_step(
    conn: &mut ehc_storage::DbConn,
    st: &AppState,
    open: &ehc_storage::identity::challenges::Challenge,
    user: &users::User,
    proven_by: ehc_domain::second_factor::SecondFactor,
    now: chrono::NaiveDateTime,
) -> Result<Result<TokenPair, ApiError>, ApiError> {
    if let Some(reset_id) = &open.password_reset_id {
        let reset = password_resets::password_reset_by_id(conn, reset_id)?;
        let Some(new_hash) = reset.new_password_hash.filter(|_| reset.used_at.is_none() && reset.expires_at > now)
        else {
            return Ok(Err(check_failure(CodeCheck::Unusable)));
        };
        password_resets::mark_password_reset_used(conn, reset_id, now)?;
        users::set_password_hash(conn, &user.id, &new_hash)?;
        sessions::revoke_all_sessions_of_user(conn, &user.id, "password_reset", now)?;
    }
    Ok(Ok(session::start_session(conn, st, &user.id, proven_by, now)?))
}

/// A new code by SMS or voice; the previous one stops working.
pub async fn resend(state: &AppState, mfa_token: String) -> Result<(), ApiError> {
    let claims = tokens::verify_mfa_step(&mfa_token, state.keys.signing_key(), &state.public_url)
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
    challenge::deliver(state, Some(code)).await?;
    Ok(())
}

/// A new token pair for a refresh token, or why not (a reused one ends the
/// whole session).
pub async fn refresh(state: &AppState, refresh_token: String) -> Result<RefreshOutcome, ApiError> {
    let now = state.now();
    let st = state.clone();
    state.tx(move |conn| session::refresh(conn, &st, &refresh_token, now)).await
}

/// Ends the caller's session: its access and refresh tokens stop working.
pub async fn logout(state: &AppState, me: AuthUser) -> Result<(), ApiError> {
    let now = state.now();
    state.tx(move |conn| Ok(sessions::revoke_session(conn, &me.session_id, "logout", now)?)).await
}
