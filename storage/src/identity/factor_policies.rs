//! A council's rule for its staff's second step.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::factor_policies;
use crate::{DbConn, StorageError};

/// Whether the council requires a passkey or an authenticator app of its staff.
pub fn strong_for_staff(conn: &mut DbConn, la_id: &str) -> Result<bool, StorageError> {
    Ok(factor_policies::table
        .find(la_id)
        .select(factor_policies::strong_for_staff)
        .first(conn)
        .optional()?
        .unwrap_or(false))
}

pub fn set_strong_for_staff(
    conn: &mut DbConn,
    la_id: &str,
    strong: bool,
    by: &str,
    now: NaiveDateTime,
) -> Result<(), StorageError> {
    diesel::delete(factor_policies::table.find(la_id)).execute(conn)?;
    diesel::insert_into(factor_policies::table)
        .values((
            factor_policies::local_authority_id.eq(la_id),
            factor_policies::strong_for_staff.eq(strong),
            factor_policies::updated_by.eq(by),
            factor_policies::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}
