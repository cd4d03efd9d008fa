use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use ehc_domain::access::CaseScope;
use ehc_domain::advice::RequestStatus;
use ehc_domain::cases::RequestSource;
use ehc_domain::statutory::Stage;

use crate::schema::{advice_requests, case_participants, cases, team_members};
use crate::{DbConn, StorageError};

#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = cases)]
pub struct Case {
    pub id: String,
    pub local_authority_id: String,
    pub reference: String,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: NaiveDate,
    pub upn: Option<String>,
    pub nhs_number: Option<String>,
    pub uln: Option<String>,
    pub request_received_on: NaiveDate,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub request_source: RequestSource,
    pub looked_after: bool,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub stage: Stage,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    /// Counts corrections of the details, for `ETag`/`If-Match`.
    pub revision: i32,
}

/// The child's or young person's details as corrected.
pub struct CaseDetails<'a> {
    pub given_name: &'a str,
    pub family_name: &'a str,
    pub date_of_birth: NaiveDate,
    pub upn: Option<&'a str>,
    pub nhs_number: Option<&'a str>,
    pub uln: Option<&'a str>,
    pub looked_after: bool,
}

/// Writes corrected details only if the case is still at `expected_revision`.
pub fn correct_details(
    conn: &mut DbConn,
    case_id: &str,
    expected_revision: i32,
    details: &CaseDetails<'_>,
) -> Result<bool, StorageError> {
    let n = diesel::update(cases::table.filter(cases::id.eq(case_id)).filter(cases::revision.eq(expected_revision)))
        .set((
            cases::given_name.eq(details.given_name),
            cases::family_name.eq(details.family_name),
            cases::date_of_birth.eq(details.date_of_birth),
            cases::upn.eq(details.upn),
            cases::nhs_number.eq(details.nhs_number),
            cases::uln.eq(details.uln),
            cases::looked_after.eq(details.looked_after),
            cases::revision.eq(expected_revision + 1),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

pub fn insert_case(conn: &mut DbConn, case: &Case) -> Result<(), StorageError> {
    diesel::insert_into(cases::table).values(case.clone()).execute(conn)?;
    Ok(())
}

/// Who is asking, as far as case visibility goes: the scope comes from the
/// access model (`ehc_domain::access::case_scope`).
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user_id: String,
    pub local_authority_id: String,
    pub scope: CaseScope,
    /// An organisation's partner system: it takes part through every team
    /// inbox of this organisation (a person, through the teams they are in).
    pub inboxes_of: Option<String>,
}

/// The team inboxes the viewer takes part through.
fn teams_of(conn: &mut DbConn, viewer: &Viewer) -> Result<Vec<Option<String>>, StorageError> {
    Ok(match &viewer.inboxes_of {
        Some(organisation) => crate::schema::teams::table
            .filter(crate::schema::teams::organisation_id.eq(organisation))
            .select(crate::schema::teams::id.nullable())
            .load(conn)?,
        None => team_members::table
            .filter(team_members::user_id.eq(&viewer.user_id))
            .select(team_members::team_id.nullable())
            .load(conn)?,
    })
}

/// A case by id, for a caller that already checked who may see it.
pub fn case_by_id(conn: &mut DbConn, case_id: &str) -> Result<Case, StorageError> {
    Ok(cases::table.find(case_id).first(conn)?)
}

/// A case the viewer may see; anything else is `NotFound`.
pub fn visible_case(conn: &mut DbConn, viewer: &Viewer, case_id: &str) -> Result<Case, StorageError> {
    let case: Case = cases::table.find(case_id).first(conn)?;
    if case.local_authority_id != viewer.local_authority_id {
        return Err(StorageError::NotFound);
    }
    if viewer.scope == CaseScope::WholeAuthority {
        return Ok(case);
    }
    let my_teams = teams_of(conn, viewer)?;
    let n: i64 = case_participants::table
        .filter(case_participants::case_id.eq(case_id))
        .filter(case_participants::removed_at.is_null())
        .filter(case_participants::user_id.eq(&viewer.user_id).or(case_participants::team_id.eq_any(my_teams)))
        .count()
        .get_result(conn)?;
    if n > 0 {
        Ok(case)
    } else {
        Err(StorageError::NotFound)
    }
}

pub struct CaseFilter {
    pub stage: Option<Stage>,
    /// Candidates for being overdue: cases received by this date, or with
    /// an open request for advice past its due date on `today`.
    pub overdue: Option<OverdueCandidates>,
    pub after_id: Option<String>,
    pub limit: i64,
}

#[derive(Debug, Clone, Copy)]
pub struct OverdueCandidates {
    pub today: NaiveDate,
    pub received_by: NaiveDate,
}

/// Cases the viewer may see, in id order, with optional filters.
pub fn list_cases(conn: &mut DbConn, viewer: &Viewer, filter: &CaseFilter) -> Result<Vec<Case>, StorageError> {
    let mut query = cases::table.filter(cases::local_authority_id.eq(viewer.local_authority_id.clone())).into_boxed();
    if viewer.scope == CaseScope::Participating {
        let my_teams = teams_of(conn, viewer)?;
        let mine = case_participants::table
            .filter(case_participants::removed_at.is_null())
            .filter(
                case_participants::user_id.eq(viewer.user_id.clone()).or(case_participants::team_id.eq_any(my_teams)),
            )
            .select(case_participants::case_id);
        query = query.filter(cases::id.eq_any(mine));
    }
    if let Some(stage) = &filter.stage {
        query = query.filter(cases::stage.eq(stage.as_str()));
    }
    if let Some(overdue) = filter.overdue {
        let late = advice_requests::table
            .filter(advice_requests::status.eq(RequestStatus::Open.as_str()))
            .filter(advice_requests::due_on.lt(overdue.today))
            .select(advice_requests::case_id);
        query = query.filter(cases::request_received_on.le(overdue.received_by).or(cases::id.eq_any(late)));
    }
    if let Some(after) = &filter.after_id {
        query = query.filter(cases::id.gt(after.clone()));
    }
    Ok(query.order(cases::id.asc()).limit(filter.limit).load(conn)?)
}
