//! Authority-wide reads behind the timeliness report and the SEN2 return:
//! a handful of set queries, never one per case.

use chrono::NaiveDate;
use diesel::prelude::*;
use ehc_domain::statutory::{DecisionKind, Exception};

use crate::casework::cases::Case;
use crate::schema::{advice_requests, case_decisions, case_exceptions, cases, organisations, teams, users};
use crate::{DbConn, StorageError};

pub fn cases_of(conn: &mut DbConn, local_authority_id: &str) -> Result<Vec<Case>, StorageError> {
    Ok(cases::table.filter(cases::local_authority_id.eq(local_authority_id)).order(cases::id.asc()).load(conn)?)
}

/// (case id, kind, outcome, decided on).
pub type DecisionLine = (String, DecisionKind, Option<String>, NaiveDate);

/// Every decision of the authority's cases, oldest first.
pub fn decisions_of(conn: &mut DbConn, local_authority_id: &str) -> Result<Vec<DecisionLine>, StorageError> {
    case_decisions::table
        .inner_join(cases::table.on(case_decisions::case_id.eq(cases::id)))
        .filter(cases::local_authority_id.eq(local_authority_id))
        .order((case_decisions::decided_on.asc(), case_decisions::id.asc()))
        .select((case_decisions::case_id, case_decisions::kind, case_decisions::outcome, case_decisions::decided_on))
        .load::<(String, String, Option<String>, NaiveDate)>(conn)?
        .into_iter()
        .map(|(case_id, kind, outcome, on)| {
            Ok((case_id, DecisionKind::try_from(kind).map_err(StorageError::corrupt)?, outcome, on))
        })
        .collect()
}

/// (case id, exception code) of every recorded exception.
pub fn exceptions_of(conn: &mut DbConn, local_authority_id: &str) -> Result<Vec<(String, Exception)>, StorageError> {
    case_exceptions::table
        .inner_join(cases::table.on(case_exceptions::case_id.eq(cases::id)))
        .filter(cases::local_authority_id.eq(local_authority_id))
        .select((case_exceptions::case_id, case_exceptions::exception))
        .load::<(String, String)>(conn)?
        .into_iter()
        .map(|(case_id, code)| Ok((case_id, Exception::try_from(code).map_err(StorageError::corrupt)?)))
        .collect()
}

/// A request for advice with the organisation it went to.
#[derive(Debug, Clone, Queryable)]
pub struct AdviceLine {
    pub case_id: String,
    #[diesel(deserialize_as = String)]
    pub specialism: ehc_domain::roles::Specialism,
    pub requested_on: NaiveDate,
    pub due_on: NaiveDate,
    pub completed_on: Option<NaiveDate>,
    #[diesel(deserialize_as = String)]
    pub status: ehc_domain::advice::RequestStatus,
    pub organisation_name: String,
    #[diesel(deserialize_as = String)]
    pub organisation_kind: ehc_domain::roles::OrganisationKind,
}

pub fn advice_of(conn: &mut DbConn, local_authority_id: &str) -> Result<Vec<AdviceLine>, StorageError> {
    let columns = (
        advice_requests::case_id,
        advice_requests::specialism,
        advice_requests::requested_on,
        advice_requests::due_on,
        advice_requests::completed_on,
        advice_requests::status,
        organisations::name,
        organisations::kind,
    );
    let mut lines: Vec<AdviceLine> = advice_requests::table
        .inner_join(cases::table.on(advice_requests::case_id.eq(cases::id)))
        .inner_join(users::table.on(advice_requests::addressee_user_id.eq(users::id.nullable())))
        .inner_join(organisations::table.on(users::organisation_id.eq(organisations::id)))
        .filter(cases::local_authority_id.eq(local_authority_id))
        .select(columns)
        .load(conn)?;
    let to_teams: Vec<AdviceLine> = advice_requests::table
        .inner_join(cases::table.on(advice_requests::case_id.eq(cases::id)))
        .inner_join(teams::table.on(advice_requests::addressee_team_id.eq(teams::id.nullable())))
        .inner_join(organisations::table.on(teams::organisation_id.eq(organisations::id)))
        .filter(cases::local_authority_id.eq(local_authority_id))
        .select(columns)
        .load(conn)?;
    lines.extend(to_teams);
    Ok(lines)
}

/// (case id, kind, day of transfer) of every phase transfer ahead recorded.
pub fn phase_transfers_of(
    conn: &mut DbConn,
    local_authority_id: &str,
) -> Result<Vec<(String, ehc_domain::statutory::PhaseTransfer, NaiveDate)>, StorageError> {
    use crate::schema::phase_transfers;
    phase_transfers::table
        .inner_join(cases::table.on(cases::id.eq(phase_transfers::case_id)))
        .filter(cases::local_authority_id.eq(local_authority_id))
        .select((phase_transfers::case_id, phase_transfers::kind, phase_transfers::transfer_on))
        .load::<(String, String, NaiveDate)>(conn)?
        .into_iter()
        .map(|(case_id, kind, on)| {
            let kind = ehc_domain::statutory::PhaseTransfer::try_from(kind).map_err(StorageError::corrupt)?;
            Ok((case_id, kind, on))
        })
        .collect()
}
