//! Escalation policies of organisations and the reminders and escalations
//! raised on requests for advice. A (request, kind) pair is raised once: the
//! unique key decides between instances running the job at the same time.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::casework::cases::Case;
use crate::casework::requests::AdviceRequest;
use crate::schema::{advice_requests, case_exceptions, cases, escalation_policies, request_alerts, teams, users};
use crate::{DbConn, StorageError};
use ehc_domain::advice::RequestStatus;
use ehc_domain::alerts::AlertKind;

#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = escalation_policies)]
pub struct EscalationPolicy {
    pub organisation_id: String,
    pub service_manager_user_id: Option<String>,
    pub service_manager_after_days: i32,
    pub head_of_service_user_id: Option<String>,
    pub updated_by: String,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = request_alerts)]
pub struct RequestAlert {
    pub id: String,
    pub request_id: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub kind: AlertKind,
    pub raised_on: NaiveDate,
    pub recipients: i32,
    pub created_at: NaiveDateTime,
}

pub fn policy_of(conn: &mut DbConn, organisation_id: &str) -> Result<Option<EscalationPolicy>, StorageError> {
    Ok(escalation_policies::table.find(organisation_id).first(conn).optional()?)
}

pub fn save_policy(conn: &mut DbConn, policy: &EscalationPolicy) -> Result<(), StorageError> {
    // Replaced whole, inside the caller's transaction.
    diesel::delete(escalation_policies::table.find(&policy.organisation_id)).execute(conn)?;
    diesel::insert_into(escalation_policies::table).values(policy).execute(conn)?;
    Ok(())
}

/// Open requests due on or before `due_by` that have not yet reached the
/// last escalation, with their cases.
pub fn open_due_by(conn: &mut DbConn, due_by: NaiveDate) -> Result<Vec<(AdviceRequest, Case)>, StorageError> {
    let finished = request_alerts::table
        .filter(request_alerts::kind.eq(AlertKind::HeadOfService.code()))
        .select(request_alerts::request_id);
    Ok(advice_requests::table
        .inner_join(cases::table)
        .filter(advice_requests::status.eq(RequestStatus::Open.as_str()))
        .filter(advice_requests::due_on.le(due_by))
        .filter(advice_requests::id.ne_all(finished))
        .order(advice_requests::due_on.asc())
        .load(conn)?)
}

/// The organisation a request was addressed to.
pub fn addressee_organisation(conn: &mut DbConn, request: &AdviceRequest) -> Result<Option<String>, StorageError> {
    if let Some(user) = &request.addressee_user_id {
        return Ok(users::table.find(user).select(users::organisation_id).first(conn).optional()?);
    }
    if let Some(team) = &request.addressee_team_id {
        return Ok(teams::table.find(team).select(teams::organisation_id).first(conn).optional()?);
    }
    Ok(None)
}

/// Whether one of `codes` (the advice exceptions) is recorded for this
/// request, or for the whole case.
pub fn has_advice_exception(conn: &mut DbConn, request: &AdviceRequest, codes: &[&str]) -> Result<bool, StorageError> {
    let n: i64 = case_exceptions::table
        .filter(case_exceptions::case_id.eq(&request.case_id))
        .filter(case_exceptions::advice_request_id.eq(&request.id).or(case_exceptions::advice_request_id.is_null()))
        .filter(case_exceptions::exception.eq_any(codes))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn raised_kinds(conn: &mut DbConn, request_id: &str) -> Result<Vec<AlertKind>, StorageError> {
    let codes: Vec<String> = request_alerts::table
        .filter(request_alerts::request_id.eq(request_id))
        .select(request_alerts::kind)
        .load(conn)?;
    codes.into_iter().map(|c| AlertKind::try_from(c).map_err(StorageError::corrupt)).collect()
}

/// Records the alert unless it was already raised; true if this call raised it.
pub fn raise(conn: &mut DbConn, alert: &RequestAlert) -> Result<bool, StorageError> {
    // ON CONFLICT is spelled the same on both backends but diesel offers it
    // only on a concrete connection.
    let insert = diesel::insert_into(request_alerts::table)
        .values(alert.clone())
        .on_conflict((request_alerts::request_id, request_alerts::kind))
        .do_nothing();
    let inserted = match conn {
        DbConn::Pg(c) => insert.execute(c)?,
        DbConn::Sqlite(c) => insert.execute(c)?,
    };
    Ok(inserted == 1)
}

/// The alerts of several requests, oldest first.
pub fn alerts_of(conn: &mut DbConn, request_ids: &[String]) -> Result<Vec<RequestAlert>, StorageError> {
    Ok(request_alerts::table
        .filter(request_alerts::request_id.eq_any(request_ids))
        .order((request_alerts::request_id.asc(), request_alerts::created_at.asc(), request_alerts::kind.asc()))
        .load(conn)?)
}
