use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::schema::{advice, advice_requests, cases, team_members, teams, users};
use crate::{DbConn, StorageError};

#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = advice_requests)]
pub struct AdviceRequest {
    pub id: String,
    pub case_id: String,
    pub specialism: String,
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
    pub status: String,
    pub requires_endorsement: bool,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

pub const OPEN: &str = "open";
pub const COMPLETED: &str = "completed";
pub const WITHDRAWN: &str = "withdrawn";

pub fn insert_request(conn: &mut DbConn, request: &AdviceRequest) -> Result<(), StorageError> {
    diesel::insert_into(advice_requests::table).values(request).execute(conn)?;
    Ok(())
}

pub fn request_by_id(conn: &mut DbConn, id: &str) -> Result<AdviceRequest, StorageError> {
    Ok(advice_requests::table.find(id).first(conn)?)
}

/// A row of the request table (seed 002), with the names to show.
#[derive(Debug, Clone, Queryable)]
pub struct RequestRow {
    pub request: AdviceRequest,
    pub addressee_name: Option<String>,
    pub addressee_job_title: Option<String>,
    pub team_name: Option<String>,
    pub assignee_name: Option<String>,
    pub advice_status: Option<String>,
}

pub fn requests_of_case(conn: &mut DbConn, case_id: &str) -> Result<Vec<RequestRow>, StorageError> {
    let (addressee, assignee) = diesel::alias!(users as addressee, users as assignee);
    Ok(advice_requests::table
        .left_join(addressee.on(advice_requests::addressee_user_id.eq(addressee.field(users::id).nullable())))
        .left_join(teams::table.on(advice_requests::addressee_team_id.eq(teams::id.nullable())))
        .left_join(assignee.on(advice_requests::assignee_user_id.eq(assignee.field(users::id).nullable())))
        .left_join(advice::table)
        .filter(advice_requests::case_id.eq(case_id))
        .order(advice_requests::id.asc())
        .select((
            advice_requests::all_columns,
            addressee.field(users::name).nullable(),
            addressee.field(users::job_title).nullable(),
            teams::name.nullable(),
            assignee.field(users::name).nullable(),
            advice::status.nullable(),
        ))
        .load(conn)?)
}

/// My outstanding actions across every case: requests addressed or assigned
/// to me, my teams' unassigned ones, and advice waiting for my endorsement
/// or my coordination; soonest due first. Written so that a professional in
/// no team (the common case) runs one indexed query.
pub fn outstanding_for(
    conn: &mut DbConn,
    user_id: &str,
) -> Result<Vec<(AdviceRequest, String, Option<String>)>, StorageError> {
    let memberships: Vec<(String, String)> = team_members::table
        .filter(team_members::user_id.eq(user_id))
        .select((team_members::team_id, team_members::team_role))
        .load(conn)?;
    let my_teams: Vec<String> = memberships.iter().map(|(t, _)| t.clone()).collect();
    let led: Vec<String> =
        memberships.iter().filter(|(_, r)| r == "manager" || r == "coordinator").map(|(t, _)| t.clone()).collect();
    let awaiting: Vec<String> = if led.is_empty() {
        Vec::new()
    } else {
        let members: Vec<String> =
            team_members::table.filter(team_members::team_id.eq_any(&led)).select(team_members::user_id).load(conn)?;
        advice::table
            .inner_join(advice_requests::table)
            .filter(advice::status.eq("awaiting_endorsement"))
            .filter(advice::author_id.eq_any(members).or(advice_requests::addressee_team_id.eq_any(&led)))
            .select(advice::request_id)
            .load(conn)?
    };
    let mine = advice_requests::addressee_user_id.eq(user_id).or(advice_requests::assignee_user_id.eq(user_id));
    let mut query = advice_requests::table
        .inner_join(cases::table)
        .left_join(advice::table)
        .filter(advice_requests::status.eq(OPEN))
        .select((advice_requests::all_columns, cases::reference, advice::status.nullable()))
        .into_boxed();
    query =
        match (my_teams.is_empty(), awaiting.is_empty()) {
            (true, true) => query.filter(mine),
            (false, true) => query.filter(mine.or(
                advice_requests::addressee_team_id.eq_any(my_teams).and(advice_requests::assignee_user_id.is_null()),
            )),
            (true, false) => query.filter(mine.or(advice_requests::id.eq_any(awaiting))),
            (false, false) => query.filter(
                mine.or(advice_requests::addressee_team_id
                    .eq_any(my_teams)
                    .and(advice_requests::assignee_user_id.is_null()))
                    .or(advice_requests::id.eq_any(awaiting)),
            ),
        };
    Ok(query.order((advice_requests::due_on.asc(), advice_requests::id.asc())).load(conn)?)
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
    status: &str,
    completed_on: Option<NaiveDate>,
) -> Result<(), StorageError> {
    diesel::update(advice_requests::table.find(id))
        .set((advice_requests::status.eq(status), advice_requests::completed_on.eq(completed_on)))
        .execute(conn)?;
    Ok(())
}
