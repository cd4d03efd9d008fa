//! Telling people what changed on a case: notifications are written in the
//! caller's transaction (so a change and its notice commit together) and
//! delivered later by the dispatcher (workers.rs).

use ehc_domain::messages::{case_event_email, CaseEvent, MessageText};
use ehc_storage::casework::advice::Advice;
use ehc_storage::casework::cases::Case;
use ehc_storage::casework::participants;
use ehc_storage::casework::requests::AdviceRequest;
use ehc_storage::casework::teams;
use ehc_storage::notifications::{self, NewNotification};
use ehc_storage::DbConn;

use ehc_domain::access::{self, Action, Facts};
use ehc_domain::roles::Role;

use crate::error::ApiError;
use crate::state::AppState;
use crate::workflow::access::standing_of;

/// Queues one notice per recipient (deduplicated, never to whoever acted).
pub fn notify(
    conn: &mut DbConn,
    state: &AppState,
    case: &Case,
    event: CaseEvent,
    recipients: Vec<String>,
    actor: &str,
) -> Result<(), ApiError> {
    let link = format!("{}/cases/{}", state.public_url, case.id);
    let text = case_event_email(&state.service_name, event, &case.reference, &link);
    queue(conn, state, Notice { event: event.code(), case_id: Some(&case.id), text }, recipients, actor)
}

/// One message to queue: its event code, the case it is about (if any),
/// and the text.
pub struct Notice<'a> {
    pub event: &'a str,
    pub case_id: Option<&'a str>,
    pub text: MessageText,
}

/// Queues `notice` for each recipient but the actor, in the caller's
/// transaction, for the dispatcher to deliver.
pub fn queue(
    conn: &mut DbConn,
    state: &AppState,
    notice: Notice<'_>,
    recipients: Vec<String>,
    actor: &str,
) -> Result<(), ApiError> {
    let now = state.now();
    let mut recipients = recipients;
    recipients.sort();
    recipients.dedup();
    // Partner systems are told by the feed and webhooks, never by e-mail.
    let systems = ehc_storage::partners::api_clients::among(conn, &recipients)?;
    recipients.retain(|r| !systems.contains(r));
    let rows: Vec<NewNotification> = recipients
        .into_iter()
        .filter(|r| r != actor)
        .map(|recipient_user_id| NewNotification {
            id: ehc_storage::new_id(),
            event: notice.event.to_owned(),
            case_id: notice.case_id.map(str::to_owned),
            recipient_user_id,
            subject: notice.text.subject.clone().unwrap_or_default(),
            body: notice.text.body.clone(),
            created_at: now,
            next_attempt_at: now,
        })
        .collect();
    Ok(notifications::enqueue(conn, &rows)?)
}

/// The officers on the case; a case opened by a partner system has no
/// caseworker, so then the council's officers.
pub fn officers_of(conn: &mut DbConn, case: &Case) -> Result<Vec<String>, ApiError> {
    let on_case: Vec<String> = ehc_storage::casework::participants::current(conn, &case.id)?
        .into_iter()
        .filter(|p| p.kind == ehc_domain::cases::ParticipantKind::Officer)
        .filter_map(|p| p.user_id)
        .collect();
    if !on_case.is_empty() {
        return Ok(on_case);
    }
    Ok(ehc_storage::identity::memberships::active_with_role(conn, &case.local_authority_id, Role::AssessmentOfficer)?)
}

/// Everyone on the case.
pub fn participants_of(conn: &mut DbConn, case: &Case) -> Result<Vec<String>, ApiError> {
    Ok(participants::user_ids_of_case(conn, &case.id)?)
}

/// The members of a team inbox.
pub fn team_members_of(conn: &mut DbConn, team_id: &str) -> Result<Vec<String>, ApiError> {
    Ok(teams::members(conn, team_id)?.into_iter().map(|(u, _)| u).collect())
}

/// Who is asked to endorse: the managers of the addressed team and of the
/// author's teams whom the access model lets endorse this advice (never its
/// author or whoever submitted it).
pub fn endorsers_of(conn: &mut DbConn, request: &AdviceRequest, advice: &Advice) -> Result<Vec<String>, ApiError> {
    let candidates = teams::managers_for(conn, request.addressee_team_id.as_deref(), request.author())?;
    let mut endorsers = Vec::new();
    for user in candidates {
        let standing = standing_of(conn, &user, request, Some(advice))?;
        // The role does not bear on endorsing; the standing does.
        let facts = Facts::on_advice(Role::TeamManager, standing, advice.status);
        if access::decide(Action::Endorse, facts).is_ok() {
            endorsers.push(user);
        }
    }
    Ok(endorsers)
}
