//! Team inboxes (seed 000): an organisation's team with members, one of
//! whom coordinates (screens and assigns) and one manages (endorses).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::{team_members, teams};
use crate::{new_id, DbConn, StorageError};

pub const TEAM_MEMBER: &str = "member";
pub const TEAM_COORDINATOR: &str = "coordinator";
pub const TEAM_MANAGER: &str = "manager";

#[derive(Debug, Clone, Queryable)]
pub struct Team {
    pub id: String,
    pub local_authority_id: String,
    pub organisation_id: String,
    pub name: String,
    pub created_at: NaiveDateTime,
}

pub fn create_team(
    conn: &mut DbConn,
    la_id: &str,
    organisation_id: &str,
    name: &str,
    now: NaiveDateTime,
) -> Result<Team, StorageError> {
    let team = Team {
        id: new_id(),
        local_authority_id: la_id.to_owned(),
        organisation_id: organisation_id.to_owned(),
        name: name.to_owned(),
        created_at: now,
    };
    diesel::insert_into(teams::table)
        .values((
            teams::id.eq(&team.id),
            teams::local_authority_id.eq(la_id),
            teams::organisation_id.eq(organisation_id),
            teams::name.eq(name),
            teams::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(team)
}

pub fn team_in_local_authority(conn: &mut DbConn, la_id: &str, team_id: &str) -> Result<Team, StorageError> {
    Ok(teams::table.filter(teams::id.eq(team_id)).filter(teams::local_authority_id.eq(la_id)).first(conn)?)
}

pub fn teams_of_local_authority(conn: &mut DbConn, la_id: &str) -> Result<Vec<Team>, StorageError> {
    Ok(teams::table.filter(teams::local_authority_id.eq(la_id)).order(teams::id.asc()).load(conn)?)
}

/// Adds or changes a member's role in a team.
pub fn set_member(conn: &mut DbConn, team_id: &str, user_id: &str, team_role: &str) -> Result<(), StorageError> {
    diesel::delete(
        team_members::table.filter(team_members::team_id.eq(team_id)).filter(team_members::user_id.eq(user_id)),
    )
    .execute(conn)?;
    diesel::insert_into(team_members::table)
        .values((
            team_members::team_id.eq(team_id),
            team_members::user_id.eq(user_id),
            team_members::team_role.eq(team_role),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn members(conn: &mut DbConn, team_id: &str) -> Result<Vec<(String, String)>, StorageError> {
    Ok(team_members::table
        .filter(team_members::team_id.eq(team_id))
        .select((team_members::user_id, team_members::team_role))
        .load(conn)?)
}

/// The teams a user belongs to, with their role in each.
pub fn memberships(conn: &mut DbConn, user_id: &str) -> Result<Vec<(String, String)>, StorageError> {
    Ok(team_members::table
        .filter(team_members::user_id.eq(user_id))
        .select((team_members::team_id, team_members::team_role))
        .load(conn)?)
}

/// Whether `user_id` has `team_role` in the team.
pub fn has_role(conn: &mut DbConn, team_id: &str, user_id: &str, team_role: &str) -> Result<bool, StorageError> {
    let n: i64 = team_members::table
        .filter(team_members::team_id.eq(team_id))
        .filter(team_members::user_id.eq(user_id))
        .filter(team_members::team_role.eq(team_role))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Whether `manager_id` manages a team that `member_id` belongs to.
pub fn manages(conn: &mut DbConn, manager_id: &str, member_id: &str) -> Result<bool, StorageError> {
    let member_teams: Vec<String> =
        team_members::table.filter(team_members::user_id.eq(member_id)).select(team_members::team_id).load(conn)?;
    let n: i64 = team_members::table
        .filter(team_members::user_id.eq(manager_id))
        .filter(team_members::team_role.eq(TEAM_MANAGER))
        .filter(team_members::team_id.eq_any(member_teams))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}
