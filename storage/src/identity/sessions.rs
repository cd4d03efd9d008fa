//! Server-side sessions: every access token names one, so it can be revoked.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::users::User;
use crate::schema::{refresh_tokens, sessions, users};
use crate::{new_id, DbConn, StorageError};

#[derive(Debug, Clone, Queryable)]
pub struct Session {
    pub id: String,
    pub user_id: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub idle_expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    pub revoked_reason: Option<String>,
    /// The council the session acts for; `None` is the account's home.
    pub local_authority_id: Option<String>,
    /// The second step that opened the session (`sms`, `voice`, `totp`, `passkey`).
    pub second_factor: Option<String>,
}

#[derive(Debug, Clone, Queryable)]
pub struct RefreshToken {
    pub id: String,
    pub session_id: String,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
}

pub fn create_session(
    conn: &mut DbConn,
    user_id: &str,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
    idle_expires_at: NaiveDateTime,
    second_factor: &str,
) -> Result<Session, StorageError> {
    let session = Session {
        id: new_id(),
        user_id: user_id.to_owned(),
        created_at: now,
        expires_at,
        idle_expires_at,
        revoked_at: None,
        revoked_reason: None,
        local_authority_id: None,
        second_factor: Some(second_factor.to_owned()),
    };
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(&session.id),
            sessions::user_id.eq(user_id),
            sessions::created_at.eq(now),
            sessions::expires_at.eq(expires_at),
            sessions::idle_expires_at.eq(idle_expires_at),
            sessions::second_factor.eq(second_factor),
        ))
        .execute(conn)?;
    Ok(session)
}

pub fn insert_refresh_token(
    conn: &mut DbConn,
    session_id: &str,
    token_hash: &str,
    now: NaiveDateTime,
) -> Result<(), StorageError> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::id.eq(new_id()),
            refresh_tokens::session_id.eq(session_id),
            refresh_tokens::token_hash.eq(token_hash),
            refresh_tokens::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn refresh_token_by_hash(conn: &mut DbConn, token_hash: &str) -> Result<(RefreshToken, Session), StorageError> {
    Ok(refresh_tokens::table
        .inner_join(sessions::table)
        .filter(refresh_tokens::token_hash.eq(token_hash))
        .first(conn)?)
}

/// Uses a refresh token once. Returns false when it was already used, which
/// means it was stolen or replayed.
pub fn use_refresh_token(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> Result<bool, StorageError> {
    let updated = diesel::update(
        refresh_tokens::table.filter(refresh_tokens::id.eq(id)).filter(refresh_tokens::used_at.is_null()),
    )
    .set(refresh_tokens::used_at.eq(Some(now)))
    .execute(conn)?;
    Ok(updated == 1)
}

pub fn extend_session(conn: &mut DbConn, id: &str, idle_expires_at: NaiveDateTime) -> Result<(), StorageError> {
    diesel::update(sessions::table.find(id)).set(sessions::idle_expires_at.eq(idle_expires_at)).execute(conn)?;
    Ok(())
}

pub fn revoke_session(conn: &mut DbConn, id: &str, reason: &str, now: NaiveDateTime) -> Result<(), StorageError> {
    diesel::update(sessions::table.filter(sessions::id.eq(id)).filter(sessions::revoked_at.is_null()))
        .set((sessions::revoked_at.eq(Some(now)), sessions::revoked_reason.eq(Some(reason))))
        .execute(conn)?;
    Ok(())
}

pub fn revoke_all_sessions_of_user(
    conn: &mut DbConn,
    user_id: &str,
    reason: &str,
    now: NaiveDateTime,
) -> Result<usize, StorageError> {
    Ok(diesel::update(sessions::table.filter(sessions::user_id.eq(user_id)).filter(sessions::revoked_at.is_null()))
        .set((sessions::revoked_at.eq(Some(now)), sessions::revoked_reason.eq(Some(reason))))
        .execute(conn)?)
}

/// The session behind an access token, with its user's status: one query per
/// authenticated request, so revocation and disabling take effect at once.
pub fn live_session(
    conn: &mut DbConn,
    session_id: &str,
    user_id: &str,
    now: NaiveDateTime,
) -> Result<(Session, User), StorageError> {
    Ok(sessions::table
        .inner_join(users::table)
        .filter(sessions::id.eq(session_id))
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::revoked_at.is_null())
        .filter(sessions::expires_at.gt(now))
        .filter(sessions::idle_expires_at.gt(now))
        .select((sessions::all_columns, users::all_columns))
        .first(conn)?)
}
