//! Telling people what changed on a case: notifications are written in the
//! caller's transaction (so a change and its notice commit together) and
//! delivered later by the dispatcher (workers.rs).

use ehc_domain::messages::{case_event_email, CaseEvent};
use ehc_storage::casework::cases::Case;
use ehc_storage::casework::participants;
use ehc_storage::casework::teams::{self, TEAM_MANAGER};
use ehc_storage::notifications::{self, NewNotification};
use ehc_storage::DbConn;

use crate::error::ApiError;
use crate::state::AppState;

/// Queues one notice per recipient (deduplicated, never to whoever acted).
pub fn notify(
    conn: &mut DbConn,
    state: &AppState,
    case: &Case,
    event: CaseEvent,
    recipients: Vec<String>,
    actor: &str,
) -> Result<(), ApiError> {
    let now = state.now();
    let link = format!("{}/cases/{}", state.public_url, case.id);
    let text = case_event_email(&state.service_name, event, &case.reference, &link);
    let mut recipients = recipients;
    recipients.sort();
    recipients.dedup();
    let rows: Vec<NewNotification> = recipients
        .into_iter()
        .filter(|r| r != actor)
        .map(|recipient_user_id| NewNotification {
            id: ehc_storage::new_id(),
            event: event.code().to_owned(),
            case_id: Some(case.id.clone()),
            recipient_user_id,
            subject: text.subject.clone().unwrap_or_default(),
            body: text.body.clone(),
            created_at: now,
            next_attempt_at: now,
        })
        .collect();
    Ok(notifications::enqueue(conn, &rows)?)
}

/// Everyone on the case.
pub fn participants_of(conn: &mut DbConn, case: &Case) -> Result<Vec<String>, ApiError> {
    Ok(participants::user_ids_of_case(conn, &case.id)?)
}

/// The members of a team inbox.
pub fn team_members_of(conn: &mut DbConn, team_id: &str) -> Result<Vec<String>, ApiError> {
    Ok(teams::members(conn, team_id)?.into_iter().map(|(u, _)| u).collect())
}

/// Who endorses an author's advice: managers of the addressed team and of
/// the author's teams.
pub fn managers_for(
    conn: &mut DbConn,
    addressed_team: Option<&str>,
    author: Option<&str>,
) -> Result<Vec<String>, ApiError> {
    let mut team_ids: Vec<String> = addressed_team.map(str::to_owned).into_iter().collect();
    if let Some(author) = author {
        team_ids.extend(teams::memberships(conn, author)?.into_iter().map(|(t, _)| t));
    }
    let mut managers = Vec::new();
    for team in team_ids {
        managers.extend(teams::members(conn, &team)?.into_iter().filter(|(_, r)| r == TEAM_MANAGER).map(|(u, _)| u));
    }
    Ok(managers)
}
