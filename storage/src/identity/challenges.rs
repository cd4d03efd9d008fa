//! Second-step challenges: one per login (or factor change, or reset).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::mfa_challenges;
use crate::{DbConn, StorageError};

#[derive(Debug, Clone, Queryable)]
pub struct Challenge {
    pub id: String,
    pub user_id: String,
    pub purpose: String,
    pub code_hash: Option<String>,
    pub code_sent_at: Option<NaiveDateTime>,
    pub failed_attempts: i32,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub completed_at: Option<NaiveDateTime>,
    pub locked_at: Option<NaiveDateTime>,
    pub password_reset_id: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = mfa_challenges)]
pub struct NewChallenge<'a> {
    pub id: &'a str,
    pub user_id: &'a str,
    pub purpose: &'a str,
    pub code_hash: Option<&'a str>,
    pub code_sent_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub password_reset_id: Option<&'a str>,
}

pub fn insert_challenge(conn: &mut DbConn, new: &NewChallenge<'_>) -> Result<(), StorageError> {
    diesel::insert_into(mfa_challenges::table).values(new).execute(conn)?;
    Ok(())
}

pub fn challenge_by_id(conn: &mut DbConn, id: &str) -> Result<Challenge, StorageError> {
    Ok(mfa_challenges::table.find(id).first(conn)?)
}

/// A new code replaces the previous one and restarts its ten minutes.
pub fn replace_code(
    conn: &mut DbConn,
    id: &str,
    code_hash: &str,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> Result<(), StorageError> {
    diesel::update(mfa_challenges::table.find(id))
        .set((
            mfa_challenges::code_hash.eq(Some(code_hash)),
            mfa_challenges::code_sent_at.eq(Some(now)),
            mfa_challenges::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Counts a wrong code; at `max_attempts` the challenge locks. Returns the
/// attempts so far.
pub fn record_failed_attempt(
    conn: &mut DbConn,
    id: &str,
    max_attempts: i32,
    now: NaiveDateTime,
) -> Result<i32, StorageError> {
    diesel::update(mfa_challenges::table.find(id))
        .set(mfa_challenges::failed_attempts.eq(mfa_challenges::failed_attempts + 1))
        .execute(conn)?;
    let attempts: i32 = mfa_challenges::table.find(id).select(mfa_challenges::failed_attempts).first(conn)?;
    if attempts >= max_attempts {
        diesel::update(mfa_challenges::table.find(id).filter(mfa_challenges::locked_at.is_null()))
            .set(mfa_challenges::locked_at.eq(Some(now)))
            .execute(conn)?;
    }
    Ok(attempts)
}

/// Locks a challenge at once (the account's allowance of wrong codes is spent).
pub fn lock_challenge(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> Result<(), StorageError> {
    diesel::update(mfa_challenges::table.find(id).filter(mfa_challenges::locked_at.is_null()))
        .set(mfa_challenges::locked_at.eq(Some(now)))
        .execute(conn)?;
    Ok(())
}

/// Completes a challenge once: a second use of the same step token fails.
pub fn complete_challenge(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> Result<bool, StorageError> {
    let updated = diesel::update(
        mfa_challenges::table
            .filter(mfa_challenges::id.eq(id))
            .filter(mfa_challenges::completed_at.is_null())
            .filter(mfa_challenges::locked_at.is_null()),
    )
    .set(mfa_challenges::completed_at.eq(Some(now)))
    .execute(conn)?;
    Ok(updated == 1)
}
