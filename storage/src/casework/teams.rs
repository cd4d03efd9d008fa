//! Team inboxes (seed 000): an organisation's team with members, one of
//! whom coordinates (screens and assigns) and one manages (endorses).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use ehc_domain::roles::TeamRole;

use crate::schema::{team_members, teams};
use crate::{new_id, DbConn, StorageError};

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
pub fn set_member(conn: &mut DbConn, team_id: &str, user_id: &str, team_role: TeamRole) -> Result<(), StorageError> {
    diesel::delete(
        team_members::table.filter(team_members::team_id.eq(team_id)).filter(team_members::user_id.eq(user_id)),
    )
    .execute(conn)?;
    diesel::insert_into(team_members::table)
        .values((
            team_members::team_id.eq(team_id),
            team_members::user_id.eq(user_id),
            team_members::team_role.eq(team_role.as_str()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn members(conn: &mut DbConn, team_id: &str) -> Result<Vec<(String, TeamRole)>, StorageError> {
    let rows: Vec<(String, String)> = team_members::table
        .filter(team_members::team_id.eq(team_id))
        .select((team_members::user_id, team_members::team_role))
        .load(conn)?;
    typed_roles(rows)
}

/// Team roles are read back as `TeamRole`; an unknown code is an error.
fn typed_roles(rows: Vec<(String, String)>) -> Result<Vec<(String, TeamRole)>, StorageError> {
    rows.into_iter().map(|(id, role)| Ok((id, TeamRole::try_from(role).map_err(StorageError::corrupt)?))).collect()
}

/// The teams a user belongs to, with their role in each.
/// The team inboxes of an organisation (an organisation's partner system
/// takes part through each).
pub fn ids_of_organisation(conn: &mut DbConn, organisation_id: &str) -> Result<Vec<String>, StorageError> {
    Ok(teams::table.filter(teams::organisation_id.eq(organisation_id)).select(teams::id).load(conn)?)
}

pub fn memberships(conn: &mut DbConn, user_id: &str) -> Result<Vec<(String, TeamRole)>, StorageError> {
    let rows: Vec<(String, String)> = team_members::table
        .filter(team_members::user_id.eq(user_id))
        .select((team_members::team_id, team_members::team_role))
        .load(conn)?;
    typed_roles(rows)
}

/// How a user stands, through team inboxes, to a request addressed to
/// `addressed_team` and written by `author`: the facts the access model
/// judges endorsing, returning and assigning on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TeamStanding {
    /// Manages the addressed team, or a team the author belongs to.
    pub manages: bool,
    /// Coordinates the addressed team.
    pub coordinates: bool,
}

pub fn team_standing(
    conn: &mut DbConn,
    user_id: &str,
    addressed_team: Option<&str>,
    author: Option<&str>,
) -> Result<TeamStanding, StorageError> {
    let mine = memberships(conn, user_id)?;
    let role_in = |team: &str, role: TeamRole| mine.iter().any(|(t, r)| t == team && *r == role);
    let coordinates = addressed_team.is_some_and(|t| role_in(t, TeamRole::Coordinator));
    let mut manages = addressed_team.is_some_and(|t| role_in(t, TeamRole::Manager));
    if !manages && mine.iter().any(|(_, r)| *r == TeamRole::Manager) {
        if let Some(author) = author {
            manages = memberships(conn, author)?.iter().any(|(t, _)| role_in(t, TeamRole::Manager));
        }
    }
    Ok(TeamStanding { manages, coordinates })
}

/// The managers of the addressed team and of the author's teams: the people
/// who may be asked to endorse (the access model has the last word).
pub fn managers_for(
    conn: &mut DbConn,
    addressed_team: Option<&str>,
    author: Option<&str>,
) -> Result<Vec<String>, StorageError> {
    let mut team_ids: Vec<String> = addressed_team.map(str::to_owned).into_iter().collect();
    if let Some(author) = author {
        team_ids.extend(memberships(conn, author)?.into_iter().map(|(t, _)| t));
    }
    let mut managers: Vec<String> = team_members::table
        .filter(team_members::team_id.eq_any(team_ids))
        .filter(team_members::team_role.eq(TeamRole::Manager.as_str()))
        .select(team_members::user_id)
        .load(conn)?;
    managers.sort();
    managers.dedup();
    Ok(managers)
}
