//! Issuing access and refresh tokens for a server-side session.

use chrono::{Duration, NaiveDateTime};
use ehc_domain::otp_policy::{ACCESS_TOKEN_TTL_MINUTES, SESSION_IDLE_DAYS, SESSION_MAX_HOURS};
use ehc_domain::roles::AccountStatus;
use ehc_storage::identity::sessions;
use ehc_storage::DbConn;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::security::secrets::{hash_token, random_token};
use crate::security::tokens::{sign, AccessClaims, ACCESS_AUDIENCE};
use crate::state::AppState;

/// How the access token is sent (RFC 6750).
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub enum TokenType {
    Bearer,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenPair {
    /// JWT for `Authorization: Bearer`; valid for `expires_in` seconds.
    pub access_token: String,
    pub token_type: TokenType,
    #[schema(example = 900)]
    pub expires_in: i64,
    /// Opaque, single use: exchange it at `/api/v1/auth/refresh` for a new pair.
    pub refresh_token: String,
}

pub fn access_token(state: &AppState, user_id: &str, session_id: &str, now: NaiveDateTime) -> Result<String, ApiError> {
    let claims = AccessClaims {
        iss: state.public_url.clone(),
        aud: ACCESS_AUDIENCE.to_owned(),
        sub: user_id.to_owned(),
        sid: session_id.to_owned(),
        iat: now.and_utc().timestamp(),
        exp: (now + Duration::minutes(ACCESS_TOKEN_TTL_MINUTES)).and_utc().timestamp(),
    };
    sign(&claims, state.keys.signing_key()).map_err(ApiError::internal)
}

/// Starts a session for a user who has passed both steps.
pub fn start_session(
    conn: &mut DbConn,
    state: &AppState,
    user_id: &str,
    proven_by: ehc_domain::second_factor::SecondFactor,
    now: NaiveDateTime,
) -> Result<TokenPair, ApiError> {
    let session = sessions::create_session(
        conn,
        user_id,
        now,
        now + Duration::hours(SESSION_MAX_HOURS),
        now + Duration::days(SESSION_IDLE_DAYS),
        proven_by.as_str(),
    )?;
    let refresh = random_token();
    sessions::insert_refresh_token(conn, &session.id, &hash_token(&refresh), now)?;
    Ok(TokenPair {
        access_token: access_token(state, user_id, &session.id, now)?,
        token_type: TokenType::Bearer,
        expires_in: ACCESS_TOKEN_TTL_MINUTES * 60,
        refresh_token: refresh,
    })
}

pub enum RefreshOutcome {
    Renewed(TokenPair),
    /// The token was already used: someone replayed it, so its whole session
    /// was revoked (the revocation is committed, then this is reported).
    Reused,
    Invalid,
}

pub fn refresh(
    conn: &mut DbConn,
    state: &AppState,
    presented: &str,
    now: NaiveDateTime,
) -> Result<RefreshOutcome, ApiError> {
    let Some((token, session)) =
        ehc_storage::error::OptionalExt::optional(sessions::refresh_token_by_hash(conn, &hash_token(presented)))?
    else {
        return Ok(RefreshOutcome::Invalid);
    };
    if session.revoked_at.is_some() || session.expires_at <= now || session.idle_expires_at <= now {
        return Ok(RefreshOutcome::Invalid);
    }
    if !sessions::use_refresh_token(conn, &token.id, now)? {
        sessions::revoke_session(conn, &session.id, "refresh_token_reuse", now)?;
        tracing::warn!("a used refresh token was presented again; its session was revoked");
        return Ok(RefreshOutcome::Reused);
    }
    let user = ehc_storage::identity::users::user_by_id(conn, &session.user_id)?;
    if user.status != AccountStatus::Active {
        return Ok(RefreshOutcome::Invalid);
    }
    let next = random_token();
    sessions::insert_refresh_token(conn, &session.id, &hash_token(&next), now)?;
    sessions::extend_session(conn, &session.id, (now + Duration::days(SESSION_IDLE_DAYS)).min(session.expires_at))?;
    Ok(RefreshOutcome::Renewed(TokenPair {
        access_token: access_token(state, &session.user_id, &session.id, now)?,
        token_type: TokenType::Bearer,
        expires_in: ACCESS_TOKEN_TTL_MINUTES * 60,
        refresh_token: next,
    }))
}
