use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::password_resets;
use crate::{DbConn, StorageError};

#[derive(Debug, Clone, Queryable)]
pub struct PasswordReset {
    pub id: String,
    pub user_id: String,
    pub token_hash: String,
    pub new_password_hash: Option<String>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
}

pub fn insert_password_reset(
    conn: &mut DbConn,
    id: &str,
    user_id: &str,
    token_hash: &str,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> Result<(), StorageError> {
    diesel::insert_into(password_resets::table)
        .values((
            password_resets::id.eq(id),
            password_resets::user_id.eq(user_id),
            password_resets::token_hash.eq(token_hash),
            password_resets::created_at.eq(now),
            password_resets::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn password_reset_by_token_hash(conn: &mut DbConn, token_hash: &str) -> Result<PasswordReset, StorageError> {
    Ok(password_resets::table.filter(password_resets::token_hash.eq(token_hash)).first(conn)?)
}

pub fn password_reset_by_id(conn: &mut DbConn, id: &str) -> Result<PasswordReset, StorageError> {
    Ok(password_resets::table.find(id).first(conn)?)
}

/// Holds the new password until the second step confirms it.
pub fn stage_new_password(conn: &mut DbConn, id: &str, hash: &str) -> Result<(), StorageError> {
    diesel::update(password_resets::table.find(id))
        .set(password_resets::new_password_hash.eq(Some(hash)))
        .execute(conn)?;
    Ok(())
}

pub fn mark_password_reset_used(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> Result<bool, StorageError> {
    let updated = diesel::update(
        password_resets::table.filter(password_resets::id.eq(id)).filter(password_resets::used_at.is_null()),
    )
    .set(password_resets::used_at.eq(Some(now)))
    .execute(conn)?;
    Ok(updated == 1)
}
