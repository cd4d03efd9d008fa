use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use ehc_domain::advice::{AdviceArea, AdviceStatus, RequestStatus};
use ehc_domain::roles::{Specialism, TeamRole};

use crate::casework::teams;
use crate::schema::{advice, advice_requests, cases, team_members, teams as team_table, users};
use crate::{DbConn, StorageError};

#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = advice_requests)]
pub struct AdviceRequest {
    pub id: String,
    pub case_id: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub specialism: Specialism,
    /// JSON array of area codes.
    pub areas: String,
    pub addressee_user_id: Option<String>,
    pub addressee_team_id: Option<String>,
    pub assignee_user_id: Option<String>,
    /// JSON array of user ids.
    pub cc: String,
    pub notes: Option<String>,
    pub requested_on: NaiveDate,
    pub due_on: NaiveDate,
    pub completed_on: Option<NaiveDate>,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: RequestStatus,
    pub requires_endorsement: bool,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

impl AdviceRequest {
    /// Who writes the advice: the addressee, or the practitioner a team
    /// inbox's coordinator assigned.
    pub fn author(&self) -> Option<&str> {
        self.addressee_user_id.as_deref().or(self.assignee_user_id.as_deref())
    }

    /// The areas asked, as stored at creation.
    pub fn areas(&self) -> Vec<AdviceArea> {
        serde_json::from_str(&self.areas).unwrap_or_default()
    }

    /// The users copied in.
    pub fn cc(&self) -> Vec<String> {
        serde_json::from_str(&self.cc).unwrap_or_default()
    }
}

pub fn insert_request(conn: &mut DbConn, request: &AdviceRequest) -> Result<(), StorageError> {
    diesel::insert_into(advice_requests::table).values(request.clone()).execute(conn)?;
    Ok(())
}

pub fn request_by_id(conn: &mut DbConn, id: &str) -> Result<AdviceRequest, StorageError> {
    Ok(advice_requests::table.find(id).first(conn)?)
}

/// A row of the request table (seed 002), with the names to show.
#[derive(Debug, Clone)]
pub struct RequestRow {
    pub request: AdviceRequest,
    pub addressee_name: Option<String>,
    pub addressee_job_title: Option<String>,
    pub team_name: Option<String>,
    pub assignee_name: Option<String>,
    pub advice_status: Option<AdviceStatus>,
}

fn advice_status(code: Option<String>) -> Result<Option<AdviceStatus>, StorageError> {
    code.map(|c| AdviceStatus::try_from(c).map_err(StorageError::corrupt)).transpose()
}

type RawRequestRow = (AdviceRequest, Option<String>, Option<String>, Option<String>, Option<String>, Option<String>);

pub fn requests_of_case(conn: &mut DbConn, case_id: &str) -> Result<Vec<RequestRow>, StorageError> {
    let (addressee, assignee) = diesel::alias!(users as addressee, users as assignee);
    let rows: Vec<RawRequestRow> = advice_requests::table
        .left_join(addressee.on(advice_requests::addressee_user_id.eq(addressee.field(users::id).nullable())))
        .left_join(team_table::table.on(advice_requests::addressee_team_id.eq(team_table::id.nullable())))
        .left_join(assignee.on(advice_requests::assignee_user_id.eq(assignee.field(users::id).nullable())))
        .left_join(advice::table)
        .filter(advice_requests::case_id.eq(case_id))
        .order(advice_requests::id.asc())
        .select((
            advice_requests::all_columns,
            addressee.field(users::name).nullable(),
            addressee.field(users::job_title).nullable(),
            team_table::name.nullable(),
            assignee.field(users::name).nullable(),
            advice::status.nullable(),
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(request, addressee_name, addressee_job_title, team_name, assignee_name, status)| {
            Ok(RequestRow {
                request,
                addressee_name,
                addressee_job_title,
                team_name,
                assignee_name,
                advice_status: advice_status(status)?,
            })
        })
        .collect()
}

/// An open request that may be waiting for the user, with the facts the
/// access model needs to say what is asked of them.
#[derive(Debug, Clone)]
pub struct OutstandingRow {
    pub request: AdviceRequest,
    pub case_reference: String,
    pub case_local_authority_id: String,
    pub advice_status: Option<AdviceStatus>,
    /// Whether the user wrote or changed the working copy since it was last
    /// published.
    pub edited_by_user: bool,
}

/// The candidates for the user's outstanding actions across every case:
/// requests addressed or assigned to them, their teams' unassigned ones, and
/// advice waiting for endorsement that they manage; soonest due first.
/// Also the user's teams and the members of the teams they manage, so the
/// caller can tell how they stand to each row. Written so that a
/// professional in no team (the common case) runs one indexed query.
pub struct Outstanding {
    pub rows: Vec<OutstandingRow>,
    pub memberships: Vec<(String, TeamRole)>,
    pub managed_members: Vec<String>,
}

/// A request, its case's reference, and its advice's status, last changer
/// and editors.
type CandidateRow = (AdviceRequest, (String, String), Option<String>, Option<String>, Option<String>);

/// The candidates after position `after` (due date, request id), at most
/// `limit` of them.
pub fn outstanding_for(
    conn: &mut DbConn,
    user_id: &str,
    after: Option<&(NaiveDate, String)>,
    limit: i64,
) -> Result<Outstanding, StorageError> {
    let memberships = teams::memberships(conn, user_id)?;
    let my_teams: Vec<String> = memberships.iter().map(|(t, _)| t.clone()).collect();
    let managed: Vec<String> =
        memberships.iter().filter(|(_, r)| *r == TeamRole::Manager).map(|(t, _)| t.clone()).collect();
    let (managed_members, awaiting): (Vec<String>, Vec<String>) = if managed.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        let members: Vec<String> = team_members::table
            .filter(team_members::team_id.eq_any(&managed))
            .select(team_members::user_id)
            .load(conn)?;
        let awaiting = advice::table
            .inner_join(advice_requests::table)
            .filter(advice::status.eq(AdviceStatus::AwaitingEndorsement.as_str()))
            .filter(advice::author_id.eq_any(&members).or(advice_requests::addressee_team_id.eq_any(&managed)))
            .select(advice::request_id)
            .load(conn)?;
        (members, awaiting)
    };
    let mine = advice_requests::addressee_user_id.eq(user_id).or(advice_requests::assignee_user_id.eq(user_id));
    let mut query = advice_requests::table
        .inner_join(cases::table)
        .left_join(advice::table)
        .filter(advice_requests::status.eq(RequestStatus::Open.as_str()))
        .select((
            advice_requests::all_columns,
            (cases::reference, cases::local_authority_id),
            advice::status.nullable(),
            advice::updated_by.nullable(),
            advice::editors.nullable(),
        ))
        .into_boxed();
    let team_unassigned =
        advice_requests::addressee_team_id.eq_any(my_teams.clone()).and(advice_requests::assignee_user_id.is_null());
    query = match (my_teams.is_empty(), awaiting.is_empty()) {
        (true, true) => query.filter(mine),
        (false, true) => query.filter(mine.or(team_unassigned)),
        (true, false) => query.filter(mine.or(advice_requests::id.eq_any(awaiting))),
        (false, false) => query.filter(mine.or(team_unassigned).or(advice_requests::id.eq_any(awaiting))),
    };
    if let Some((due_on, id)) = after {
        query = query.filter(
            advice_requests::due_on
                .gt(*due_on)
                .or(advice_requests::due_on.eq(*due_on).and(advice_requests::id.gt(id.clone()))),
        );
    }
    let raw: Vec<CandidateRow> =
        query.order((advice_requests::due_on.asc(), advice_requests::id.asc())).limit(limit).load(conn)?;
    let rows = raw
        .into_iter()
        .map(|(request, (case_reference, case_local_authority_id), status, updated_by, editors)| {
            let listed = editors.is_some_and(|json| {
                serde_json::from_str::<Vec<String>>(&json).map_or(true, |list| list.iter().any(|e| e == user_id))
            });
            Ok(OutstandingRow {
                request,
                case_reference,
                case_local_authority_id,
                advice_status: advice_status(status)?,
                edited_by_user: listed || updated_by.as_deref() == Some(user_id),
            })
        })
        .collect::<Result<_, StorageError>>()?;
    Ok(Outstanding { rows, memberships, managed_members })
}

pub fn assign(conn: &mut DbConn, id: &str, assignee: &str) -> Result<(), StorageError> {
    diesel::update(advice_requests::table.find(id))
        .set(advice_requests::assignee_user_id.eq(Some(assignee)))
        .execute(conn)?;
    Ok(())
}

pub fn set_status(
    conn: &mut DbConn,
    id: &str,
    status: RequestStatus,
    completed_on: Option<NaiveDate>,
) -> Result<(), StorageError> {
    diesel::update(advice_requests::table.find(id))
        .set((advice_requests::status.eq(status.as_str()), advice_requests::completed_on.eq(completed_on)))
        .execute(conn)?;
    Ok(())
}

/// Open requests for advice past their due date on `today`, in every council.
pub fn overdue_count(conn: &mut DbConn, today: NaiveDate) -> Result<i64, StorageError> {
    Ok(advice_requests::table
        .filter(advice_requests::status.eq(RequestStatus::Open.as_str()))
        .filter(advice_requests::due_on.lt(today))
        .count()
        .get_result(conn)?)
}
