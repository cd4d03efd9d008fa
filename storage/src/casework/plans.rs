//! EHC plans: the working copy and the issued versions.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use ehc_domain::plan::PlanStatus;
use ehc_domain::statutory::PhaseTransfer;

use crate::schema::{phase_transfers, plan_versions, plans};
use crate::{DbConn, StorageError};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = plans)]
pub struct Plan {
    pub id: String,
    pub case_id: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: PlanStatus,
    pub revision: i32,
    pub content: String,
    pub draft_issued_on: Option<NaiveDate>,
    pub final_issued_on: Option<NaiveDate>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_by: String,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = plan_versions)]
pub struct PlanVersion {
    pub plan_id: String,
    pub version: i32,
    /// `draft`, `final` or `amended`.
    pub stage: String,
    pub content: String,
    pub issued_on: NaiveDate,
    pub issued_by: String,
    pub issued_at: NaiveDateTime,
}

/// A new plan; a case has one (`Conflict` for a second).
pub fn insert(conn: &mut DbConn, plan: Plan) -> Result<(), StorageError> {
    diesel::insert_into(plans::table).values(plan).execute(conn)?;
    Ok(())
}

pub fn by_id(conn: &mut DbConn, plan_id: &str) -> Result<Plan, StorageError> {
    Ok(plans::table.find(plan_id).select(Plan::as_select()).first(conn)?)
}

pub fn of_case(conn: &mut DbConn, case_id: &str) -> Result<Option<Plan>, StorageError> {
    Ok(plans::table.filter(plans::case_id.eq(case_id)).select(Plan::as_select()).first(conn).optional()?)
}

/// Saves the working copy if it is still at `revision`; whether it was.
pub fn save(
    conn: &mut DbConn,
    plan_id: &str,
    revision: i32,
    content: &str,
    by: &str,
    at: NaiveDateTime,
) -> Result<bool, StorageError> {
    let n = diesel::update(plans::table.find(plan_id).filter(plans::revision.eq(revision)))
        .set((
            plans::content.eq(content),
            plans::revision.eq(revision + 1),
            plans::updated_by.eq(by),
            plans::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Keeps an issued version and moves the plan to `status`, if it is still
/// at `revision`; whether it was.
pub fn issue(conn: &mut DbConn, plan: &Plan, status: PlanStatus, version: PlanVersion) -> Result<bool, StorageError> {
    let issued_on = version.issued_on;
    let target = plans::table.find(&plan.id).filter(plans::revision.eq(plan.revision));
    let n = match status {
        // An amended plan keeps the date of the final plan it amends.
        PlanStatus::Final if plan.status == PlanStatus::Final => {
            diesel::update(target).set(plans::revision.eq(plan.revision + 1)).execute(conn)?
        }
        PlanStatus::Final => diesel::update(target)
            .set((
                plans::status.eq(status.code()),
                plans::final_issued_on.eq(issued_on),
                plans::revision.eq(plan.revision + 1),
            ))
            .execute(conn)?,
        _ => diesel::update(target)
            .set((
                plans::status.eq(status.code()),
                plans::draft_issued_on.eq(issued_on),
                plans::revision.eq(plan.revision + 1),
            ))
            .execute(conn)?,
    };
    if n == 1 {
        diesel::insert_into(plan_versions::table).values(version).execute(conn)?;
    }
    Ok(n == 1)
}

/// The issued versions, oldest first.
pub fn versions(conn: &mut DbConn, plan_id: &str) -> Result<Vec<PlanVersion>, StorageError> {
    Ok(plan_versions::table
        .filter(plan_versions::plan_id.eq(plan_id))
        .order(plan_versions::version)
        .select(PlanVersion::as_select())
        .load(conn)?)
}

/// Records the transfer between phases ahead for the case, replacing any
/// earlier one (plans change; only the next transfer counts).
pub fn set_phase_transfer(
    conn: &mut DbConn,
    case_id: &str,
    kind: PhaseTransfer,
    transfer_on: NaiveDate,
    by: &str,
    at: NaiveDateTime,
) -> Result<(), StorageError> {
    diesel::delete(phase_transfers::table.find(case_id)).execute(conn)?;
    diesel::insert_into(phase_transfers::table)
        .values((
            phase_transfers::case_id.eq(case_id),
            phase_transfers::kind.eq(kind.code()),
            phase_transfers::transfer_on.eq(transfer_on),
            phase_transfers::recorded_by.eq(by),
            phase_transfers::recorded_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// The transfer between phases ahead for the case, if one is recorded.
pub fn phase_transfer_of(conn: &mut DbConn, case_id: &str) -> Result<Option<(PhaseTransfer, NaiveDate)>, StorageError> {
    let row: Option<(String, NaiveDate)> = phase_transfers::table
        .find(case_id)
        .select((phase_transfers::kind, phase_transfers::transfer_on))
        .first(conn)
        .optional()?;
    row.map(|(kind, on)| Ok((PhaseTransfer::try_from(kind).map_err(StorageError::corrupt)?, on))).transpose()
}
