use chrono::NaiveDateTime;
use diesel::prelude::*;
use ehc_domain::cases::ParticipantKind;

use crate::schema::{case_participants, cases, teams, users};
use crate::{new_id, DbConn, StorageError};

#[derive(Debug, Clone, Queryable)]
pub struct Participant {
    pub id: String,
    pub case_id: String,
    pub user_id: Option<String>,
    pub team_id: Option<String>,
    pub pending_email: Option<String>,
    #[diesel(deserialize_as = String)]
    pub kind: ParticipantKind,
    pub added_by: String,
    pub added_at: NaiveDateTime,
    pub removed_at: Option<NaiveDateTime>,
}

pub enum Who<'a> {
    User(&'a str),
    Team(&'a str),
    Invitee(&'a str),
}

/// Adds a participant unless they already take part; returns the row.
pub fn add_participant(
    conn: &mut DbConn,
    case_id: &str,
    who: Who<'_>,
    kind: ParticipantKind,
    added_by: &str,
    now: NaiveDateTime,
) -> Result<Participant, StorageError> {
    let existing = current(conn, case_id)?.into_iter().find(|p| match &who {
        Who::User(u) => p.user_id.as_deref() == Some(*u),
        Who::Team(t) => p.team_id.as_deref() == Some(*t),
        Who::Invitee(e) => p.pending_email.as_deref() == Some(*e),
    });
    if let Some(p) = existing {
        return Ok(p);
    }
    let (user_id, team_id, pending_email) = match who {
        Who::User(u) => (Some(u), None, None),
        Who::Team(t) => (None, Some(t), None),
        Who::Invitee(e) => (None, None, Some(e)),
    };
    let id = new_id();
    diesel::insert_into(case_participants::table)
        .values((
            case_participants::id.eq(&id),
            case_participants::case_id.eq(case_id),
            case_participants::user_id.eq(user_id),
            case_participants::team_id.eq(team_id),
            case_participants::pending_email.eq(pending_email),
            case_participants::kind.eq(kind.as_str()),
            case_participants::added_by.eq(added_by),
            case_participants::added_at.eq(now),
        ))
        .execute(conn)?;
    Ok(case_participants::table.find(id).first(conn)?)
}

/// Current participants with a display name (user's or team's), in order added.
/// A participant with the user's name or the team's name.
pub type NamedParticipant = (Participant, Option<String>, Option<String>);

pub fn current_with_names(conn: &mut DbConn, case_id: &str) -> Result<Vec<NamedParticipant>, StorageError> {
    Ok(case_participants::table
        .left_join(users::table.on(case_participants::user_id.eq(users::id.nullable())))
        .left_join(teams::table.on(case_participants::team_id.eq(teams::id.nullable())))
        .filter(case_participants::case_id.eq(case_id))
        .filter(case_participants::removed_at.is_null())
        .order(case_participants::id.asc())
        .select((case_participants::all_columns, users::name.nullable(), teams::name.nullable()))
        .load(conn)?)
}

pub fn current(conn: &mut DbConn, case_id: &str) -> Result<Vec<Participant>, StorageError> {
    Ok(case_participants::table
        .filter(case_participants::case_id.eq(case_id))
        .filter(case_participants::removed_at.is_null())
        .load(conn)?)
}

pub fn remove_participant(
    conn: &mut DbConn,
    case_id: &str,
    participant_id: &str,
    now: NaiveDateTime,
) -> Result<(), StorageError> {
    let n = diesel::update(
        case_participants::table
            .filter(case_participants::id.eq(participant_id))
            .filter(case_participants::case_id.eq(case_id))
            .filter(case_participants::removed_at.is_null()),
    )
    .set(case_participants::removed_at.eq(Some(now)))
    .execute(conn)?;
    if n == 1 {
        Ok(())
    } else {
        Err(StorageError::NotFound)
    }
}

/// When an invitee registers, their pending places on cases become theirs.
/// Gives a newly registered user the places held for their address on the
/// cases of the council whose invitation they accepted, and no other.
pub fn claim_pending(
    conn: &mut DbConn,
    email: &str,
    user_id: &str,
    local_authority_id: &str,
) -> Result<usize, StorageError> {
    let councils_cases = cases::table.filter(cases::local_authority_id.eq(local_authority_id)).select(cases::id);
    Ok(diesel::update(
        case_participants::table
            .filter(case_participants::pending_email.eq(email))
            .filter(case_participants::removed_at.is_null())
            .filter(case_participants::case_id.eq_any(councils_cases)),
    )
    .set((case_participants::user_id.eq(Some(user_id)), case_participants::pending_email.eq(None::<String>)))
    .execute(conn)?)
}

/// Ends the places held for an address on the council's cases (its
/// invitation was revoked).
pub fn end_pending(
    conn: &mut DbConn,
    email: &str,
    local_authority_id: &str,
    now: NaiveDateTime,
) -> Result<usize, StorageError> {
    let councils_cases = cases::table.filter(cases::local_authority_id.eq(local_authority_id)).select(cases::id);
    Ok(diesel::update(
        case_participants::table
            .filter(case_participants::pending_email.eq(email))
            .filter(case_participants::removed_at.is_null())
            .filter(case_participants::case_id.eq_any(councils_cases)),
    )
    .set(case_participants::removed_at.eq(Some(now)))
    .execute(conn)?)
}

/// Every user taking part in a case: directly, or as a member of a
/// participating team inbox.
/// Whether `user_id` takes part in the case in their own name.
pub fn takes_part_in_person(conn: &mut DbConn, case_id: &str, user_id: &str) -> Result<bool, StorageError> {
    let n: i64 = case_participants::table
        .filter(case_participants::case_id.eq(case_id))
        .filter(case_participants::user_id.eq(user_id))
        .filter(case_participants::removed_at.is_null())
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn user_ids_of_case(conn: &mut DbConn, case_id: &str) -> Result<Vec<String>, StorageError> {
    use crate::schema::team_members;
    let rows = current(conn, case_id)?;
    let mut ids: Vec<String> = rows.iter().filter_map(|p| p.user_id.clone()).collect();
    let teams: Vec<String> = rows.iter().filter_map(|p| p.team_id.clone()).collect();
    if !teams.is_empty() {
        let members: Vec<String> =
            team_members::table.filter(team_members::team_id.eq_any(teams)).select(team_members::user_id).load(conn)?;
        ids.extend(members);
    }
    ids.sort();
    ids.dedup();
    Ok(ids)
}
