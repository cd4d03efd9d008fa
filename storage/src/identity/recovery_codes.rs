use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::recovery_codes;
use crate::{new_id, DbConn, StorageError};

/// Replaces a user's recovery codes with new ones (hashes only are kept).
pub fn replace_recovery_codes(conn: &mut DbConn, user_id: &str, code_hashes: &[String]) -> Result<(), StorageError> {
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id))).execute(conn)?;
    for hash in code_hashes {
        diesel::insert_into(recovery_codes::table)
            .values((
                recovery_codes::id.eq(new_id()),
                recovery_codes::user_id.eq(user_id),
                recovery_codes::code_hash.eq(hash),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Uses a recovery code once. Returns whether it was valid and unused.
pub fn use_recovery_code(
    conn: &mut DbConn,
    user_id: &str,
    code_hash: &str,
    now: NaiveDateTime,
) -> Result<bool, StorageError> {
    let updated = diesel::update(
        recovery_codes::table
            .filter(recovery_codes::user_id.eq(user_id))
            .filter(recovery_codes::code_hash.eq(code_hash))
            .filter(recovery_codes::used_at.is_null()),
    )
    .set(recovery_codes::used_at.eq(Some(now)))
    .execute(conn)?;
    Ok(updated == 1)
}

pub fn unused_recovery_codes(conn: &mut DbConn, user_id: &str) -> Result<i64, StorageError> {
    Ok(recovery_codes::table
        .filter(recovery_codes::user_id.eq(user_id))
        .filter(recovery_codes::used_at.is_null())
        .count()
        .get_result(conn)?)
}
