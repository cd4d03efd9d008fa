//! The LA's closure calendars for schools, colleges and early-years settings,
//! and which kind of setting each request for advice went to: together they
//! determine reg 10(4)(a)/(b).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use ehc_domain::roles::OrganisationKind;
use ehc_domain::statutory::Setting;

use crate::schema::{advice_requests, closure_periods, organisations, teams, users};
use crate::{DbConn, StorageError};

#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = closure_periods)]
pub struct ClosurePeriod {
    pub id: String,
    pub local_authority_id: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub setting: Setting,
    pub first_closed_on: NaiveDate,
    pub reopens_on: NaiveDate,
    pub description: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, period: &ClosurePeriod) -> Result<(), StorageError> {
    diesel::insert_into(closure_periods::table).values(period.clone()).execute(conn)?;
    Ok(())
}

pub fn of_local_authority(conn: &mut DbConn, local_authority_id: &str) -> Result<Vec<ClosurePeriod>, StorageError> {
    Ok(closure_periods::table
        .filter(closure_periods::local_authority_id.eq(local_authority_id))
        .order((closure_periods::setting.asc(), closure_periods::first_closed_on.asc()))
        .load(conn)?)
}

pub fn delete(conn: &mut DbConn, local_authority_id: &str, id: &str) -> Result<(), StorageError> {
    let n = diesel::delete(
        closure_periods::table
            .filter(closure_periods::id.eq(id))
            .filter(closure_periods::local_authority_id.eq(local_authority_id)),
    )
    .execute(conn)?;
    if n == 1 {
        Ok(())
    } else {
        Err(StorageError::NotFound)
    }
}

/// Each request for advice on a case with the kind of organisation it went
/// to (the addressee's, or the addressed team's).
pub fn addressee_kinds(
    conn: &mut DbConn,
    case_id: &str,
) -> Result<Vec<(String, NaiveDate, OrganisationKind)>, StorageError> {
    let mut to_users: Vec<(String, NaiveDate, String)> = advice_requests::table
        .inner_join(users::table.on(advice_requests::addressee_user_id.eq(users::id.nullable())))
        .inner_join(organisations::table.on(users::organisation_id.eq(organisations::id)))
        .filter(advice_requests::case_id.eq(case_id))
        .select((advice_requests::id, advice_requests::requested_on, organisations::kind))
        .load(conn)?;
    let to_teams: Vec<(String, NaiveDate, String)> = advice_requests::table
        .inner_join(teams::table.on(advice_requests::addressee_team_id.eq(teams::id.nullable())))
        .inner_join(organisations::table.on(teams::organisation_id.eq(organisations::id)))
        .filter(advice_requests::case_id.eq(case_id))
        .select((advice_requests::id, advice_requests::requested_on, organisations::kind))
        .load(conn)?;
    to_users.extend(to_teams);
    to_users
        .into_iter()
        .map(|(id, on, kind)| Ok((id, on, OrganisationKind::try_from(kind).map_err(StorageError::corrupt)?)))
        .collect()
}
