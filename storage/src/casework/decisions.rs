use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use ehc_domain::statutory::{DecisionKind, Exception, Stage};

use crate::schema::{advice_requests, case_decisions, case_exceptions, cases};
use crate::{DbConn, StorageError};

#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = case_decisions)]
pub struct CaseDecision {
    pub id: String,
    pub case_id: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub kind: DecisionKind,
    pub outcome: Option<String>,
    pub decided_on: NaiveDate,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = case_exceptions)]
pub struct CaseException {
    pub id: String,
    pub case_id: String,
    pub advice_request_id: Option<String>,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub exception: Exception,
    pub reason: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
}

/// Records a decision and moves the case to `new_stage`, only if the case is
/// still at `expected_stage` (two officers recording at once: one wins).
pub fn record_decision(
    conn: &mut DbConn,
    decision: &CaseDecision,
    expected_stage: Stage,
    new_stage: Stage,
) -> Result<bool, StorageError> {
    let moved = diesel::update(
        cases::table.filter(cases::id.eq(&decision.case_id)).filter(cases::stage.eq(expected_stage.as_str())),
    )
    .set(cases::stage.eq(new_stage.as_str()))
    .execute(conn)?;
    if moved == 1 {
        diesel::insert_into(case_decisions::table).values(decision.clone()).execute(conn)?;
    }
    Ok(moved == 1)
}

pub fn decisions_of_case(conn: &mut DbConn, case_id: &str) -> Result<Vec<CaseDecision>, StorageError> {
    Ok(case_decisions::table
        .filter(case_decisions::case_id.eq(case_id))
        .order((case_decisions::decided_on.asc(), case_decisions::id.asc()))
        .load(conn)?)
}

/// The latest day a decision of this kind was made on the case, if any.
pub fn last_decided_on(
    conn: &mut DbConn,
    case_id: &str,
    kind: DecisionKind,
) -> Result<Option<NaiveDate>, StorageError> {
    Ok(case_decisions::table
        .filter(case_decisions::case_id.eq(case_id))
        .filter(case_decisions::kind.eq(kind.code()))
        .select(diesel::dsl::max(case_decisions::decided_on))
        .first(conn)?)
}

pub fn insert_exception(conn: &mut DbConn, exception: &CaseException) -> Result<(), StorageError> {
    diesel::insert_into(case_exceptions::table).values(exception.clone()).execute(conn)?;
    Ok(())
}

pub fn exceptions_of_case(conn: &mut DbConn, case_id: &str) -> Result<Vec<CaseException>, StorageError> {
    Ok(case_exceptions::table
        .filter(case_exceptions::case_id.eq(case_id))
        .order(case_exceptions::id.asc())
        .load(conn)?)
}

/// The dates of a request for advice that the statutory clock needs.
#[derive(Debug, Clone, Queryable)]
pub struct AdviceDates {
    pub request_id: String,
    pub requested_on: NaiveDate,
    pub due_on: NaiveDate,
    pub completed_on: Option<NaiveDate>,
    #[diesel(deserialize_as = String)]
    pub status: ehc_domain::advice::RequestStatus,
    #[diesel(deserialize_as = String)]
    pub specialism: ehc_domain::roles::Specialism,
}

pub fn advice_dates_of_case(conn: &mut DbConn, case_id: &str) -> Result<Vec<AdviceDates>, StorageError> {
    Ok(advice_requests::table
        .filter(advice_requests::case_id.eq(case_id))
        .order(advice_requests::id.asc())
        .select((
            advice_requests::id,
            advice_requests::requested_on,
            advice_requests::due_on,
            advice_requests::completed_on,
            advice_requests::status,
            advice_requests::specialism,
        ))
        .load(conn)?)
}
