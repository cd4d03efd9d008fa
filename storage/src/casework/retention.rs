//! Retention: legal holds, and removing a case with everything hanging off it
//! (participants, requests, advice, versions, documents, decisions,
//! exceptions, alerts, notifications: all `ON DELETE CASCADE`).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::schema::{advice_requests, audit_log, cases, documents, legal_holds, plan_ceasings};
use crate::{DbConn, StorageError};

#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = legal_holds)]
pub struct LegalHold {
    pub case_id: String,
    pub reason: String,
    pub placed_by: String,
    pub placed_at: NaiveDateTime,
}

pub fn hold_of(conn: &mut DbConn, case_id: &str) -> Result<Option<LegalHold>, StorageError> {
    Ok(legal_holds::table.find(case_id).first(conn).optional()?)
}

pub fn place_hold(conn: &mut DbConn, hold: &LegalHold) -> Result<(), StorageError> {
    diesel::delete(legal_holds::table.find(&hold.case_id)).execute(conn)?;
    diesel::insert_into(legal_holds::table).values(hold).execute(conn)?;
    Ok(())
}

pub fn lift_hold(conn: &mut DbConn, case_id: &str) -> Result<bool, StorageError> {
    Ok(diesel::delete(legal_holds::table.find(case_id)).execute(conn)? == 1)
}

/// Cases of people born before `born_before`, not on legal hold, with no
/// plan open and none that ended after `ceased_before`, and neither
/// created nor touched (any audit entry) since `active_since`, in id order
/// after `after_id`.
pub fn purge_candidates(
    conn: &mut DbConn,
    born_before: NaiveDate,
    ceased_before: NaiveDate,
    active_since: NaiveDateTime,
    after_id: &str,
    limit: i64,
) -> Result<Vec<String>, StorageError> {
    // Recent activity is read from the chain: link what has committed first.
    crate::audit::chain_pending(conn)?;
    let held = legal_holds::table.select(legal_holds::case_id);
    let recent =
        audit_log::table.filter(audit_log::case_id.eq(cases::id.nullable())).filter(audit_log::at.ge(active_since));
    // While a plan exists and has not ceased, its case is never purged by its
    // dates: a date of birth typed wrong must not end a child's plan.
    let open = ehc_domain::statutory::Stage::PLAN_OPEN.map(|s| s.as_str());
    let ceased_lately = plan_ceasings::table
        .filter(plan_ceasings::case_id.eq(cases::id))
        .filter(plan_ceasings::ceases_on.gt(ceased_before));
    Ok(cases::table
        .filter(cases::date_of_birth.lt(born_before))
        .filter(cases::stage.ne_all(open))
        .filter(diesel::dsl::not(diesel::dsl::exists(ceased_lately)))
        .filter(cases::created_at.lt(active_since))
        .filter(diesel::dsl::not(diesel::dsl::exists(recent)))
        .filter(cases::id.gt(after_id))
        .filter(cases::id.ne_all(held))
        .order(cases::id.asc())
        .select(cases::id)
        .limit(limit)
        .load(conn)?)
}

/// Cases past retention by their dates but kept because they were created
/// or touched since `active_since` (the purge's report names them by count).
pub fn kept_for_recent_activity(
    conn: &mut DbConn,
    born_before: NaiveDate,
    active_since: NaiveDateTime,
) -> Result<i64, StorageError> {
    crate::audit::chain_pending(conn)?;
    let recent =
        audit_log::table.filter(audit_log::case_id.eq(cases::id.nullable())).filter(audit_log::at.ge(active_since));
    Ok(cases::table
        .filter(cases::date_of_birth.lt(born_before))
        .filter(cases::created_at.ge(active_since).or(diesel::dsl::exists(recent)))
        .count()
        .get_result(conn)?)
}

/// Every blob a case's documents were stored under (deleted ones too).
pub fn blob_keys_of_case(conn: &mut DbConn, case_id: &str) -> Result<Vec<String>, StorageError> {
    Ok(documents::table
        .inner_join(advice_requests::table)
        .filter(advice_requests::case_id.eq(case_id))
        .select(documents::blob_key)
        .load(conn)?)
}

/// Deletes the case, unless a legal hold was placed meanwhile. True if deleted.
pub fn delete_case(conn: &mut DbConn, case_id: &str) -> Result<bool, StorageError> {
    if hold_of(conn, case_id)?.is_some() {
        return Ok(false);
    }
    Ok(diesel::delete(cases::table.find(case_id)).execute(conn)? == 1)
}
