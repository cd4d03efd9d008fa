//! A council's severities for the advice quality checks.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use ehc_domain::advice::quality::{Check, Settings, Severity};

use crate::schema::advice_check_settings;
use crate::{DbConn, StorageError};

/// The checks the council changed, with the severity it chose.
pub fn settings_of(conn: &mut DbConn, la_id: &str) -> Result<Settings, StorageError> {
    let rows: Vec<(String, String)> = advice_check_settings::table
        .filter(advice_check_settings::local_authority_id.eq(la_id))
        .select((advice_check_settings::check_code, advice_check_settings::severity))
        .load(conn)?;
    rows.into_iter()
        .map(|(check, severity)| {
            Ok((
                Check::try_from(check).map_err(|e| StorageError::Corrupt(e.to_string()))?,
                Severity::try_from(severity).map_err(|e| StorageError::Corrupt(e.to_string()))?,
            ))
        })
        .collect()
}

pub fn set_severity(
    conn: &mut DbConn,
    la_id: &str,
    check: Check,
    severity: Severity,
    by: &str,
    now: NaiveDateTime,
) -> Result<(), StorageError> {
    diesel::delete(
        advice_check_settings::table
            .filter(advice_check_settings::local_authority_id.eq(la_id))
            .filter(advice_check_settings::check_code.eq(check.code())),
    )
    .execute(conn)?;
    diesel::insert_into(advice_check_settings::table)
        .values((
            advice_check_settings::local_authority_id.eq(la_id),
            advice_check_settings::check_code.eq(check.code()),
            advice_check_settings::severity.eq(severity.code()),
            advice_check_settings::updated_by.eq(by),
            advice_check_settings::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}
