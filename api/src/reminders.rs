//! The reminder and escalation job: for every open request for advice near
//! or past its due date, raises what the clock says is due (domain/alerts.rs)
//! and tells the right people, each alert once. Safe on several instances:
//! raising an alert and queueing its notices is one transaction, and the
//! alert's unique key lets only one of them commit it.

use ehc_domain::alerts::{
    alerts_due, AlertKind, OutstandingRequest, DEFAULT_SERVICE_MANAGER_AFTER_DAYS, REMINDER_DAYS_BEFORE,
};
use ehc_domain::messages::CaseEvent;
use ehc_domain::roles::Role;
use ehc_domain::statutory::Exception;
use ehc_storage::casework::alerts::{self, RequestAlert};
use ehc_storage::casework::cases::Case;
use ehc_storage::casework::requests::AdviceRequest;
use ehc_storage::identity::memberships;
use ehc_storage::DbConn;

use crate::error::ApiError;
use crate::state::AppState;
use crate::workflow::case_events;

/// The hub acts on its own: nobody is left out as "the actor".
const NO_ACTOR: &str = "";

/// One pass over everything due today (by the hub's clock). Returns how many
/// alerts this pass raised.
pub async fn run_once(state: &AppState) -> Result<usize, ApiError> {
    let today = state.now().date();
    let due_by = today + chrono::Duration::days(REMINDER_DAYS_BEFORE);
    let candidates = state.tx(move |conn| Ok(alerts::open_due_by(conn, due_by)?)).await?;
    let mut raised = 0;
    // One short transaction per request: a long pass never holds locks.
    for (request, case) in candidates {
        let st = state.clone();
        raised += state.tx(move |conn| raise_due(conn, &st, &request, &case, today)).await?;
    }
    Ok(raised)
}

fn raise_due(
    conn: &mut DbConn,
    state: &AppState,
    request: &AdviceRequest,
    case: &Case,
    today: chrono::NaiveDate,
) -> Result<usize, ApiError> {
    let organisation = alerts::addressee_organisation(conn, request)?;
    let policy = match &organisation {
        Some(org) => alerts::policy_of(conn, org)?,
        None => None,
    };
    let no_statutory_limit = !request.specialism.advice_time_limited()
        || alerts::has_advice_exception(conn, request, &Exception::advice_codes())?;
    let outstanding = OutstandingRequest {
        requested_on: request.requested_on,
        due_on: request.due_on,
        statutory_exception: no_statutory_limit,
    };
    let after_days = policy.as_ref().map_or(DEFAULT_SERVICE_MANAGER_AFTER_DAYS, |p| p.service_manager_after_days);
    let already = alerts::raised_kinds(conn, &request.id)?;
    let mut raised = 0;
    for kind in alerts_due(&outstanding, after_days, today) {
        if already.contains(&kind) {
            continue;
        }
        let (event, recipients) = match kind {
            AlertKind::DueInSevenDays => (CaseEvent::RequestDueSoon, writers_of(conn, request)?),
            AlertKind::DueToday => (CaseEvent::RequestDueToday, writers_of(conn, request)?),
            AlertKind::TeamManager => (
                CaseEvent::RequestEscalated,
                ehc_storage::casework::teams::managers_for(
                    conn,
                    request.addressee_team_id.as_deref(),
                    request.author(),
                )?,
            ),
            AlertKind::ServiceManager => (
                CaseEvent::RequestEscalated,
                policy.as_ref().and_then(|p| p.service_manager_user_id.clone()).into_iter().collect(),
            ),
            AlertKind::HeadOfService => (
                CaseEvent::RequestEscalated,
                policy.as_ref().and_then(|p| p.head_of_service_user_id.clone()).into_iter().collect(),
            ),
        };
        let mut recipients = recipients;
        recipients.sort();
        recipients.dedup();
        let alert = RequestAlert {
            id: ehc_storage::new_id(),
            request_id: request.id.clone(),
            kind,
            raised_on: today,
            recipients: i32::try_from(recipients.len()).unwrap_or(i32::MAX),
            created_at: state.now(),
        };
        if alerts::raise(conn, &alert)? {
            if let Some(event) = ehc_domain::events::EventType::for_alert(kind) {
                crate::partners::events::record(conn, alert.created_at, event, case, Some(request), None)?;
            }
            if recipients.is_empty() && event == CaseEvent::RequestEscalated {
                tracing::warn!(
                    alert = kind.code(),
                    "an escalation had nobody to tell; the council's administrators are told instead"
                );
                let administrators =
                    memberships::active_with_role(conn, &case.local_authority_id, Role::Administrator)?;
                case_events::notify(conn, state, case, CaseEvent::EscalationUnanswered, administrators, NO_ACTOR)?;
            }
            case_events::notify(conn, state, case, event, recipients, NO_ACTOR)?;
            crate::audit::record_system(conn, alert.created_at, kind.code(), Some(&case.id), Some(&request.id))?;
            raised += 1;
        }
    }
    Ok(raised)
}

/// Whoever is to write the advice: the author, or an unassigned team inbox's members.
fn writers_of(conn: &mut DbConn, request: &AdviceRequest) -> Result<Vec<String>, ApiError> {
    match (request.author(), &request.addressee_team_id) {
        (Some(author), _) => Ok(vec![author.to_owned()]),
        (None, Some(team)) => case_events::team_members_of(conn, team),
        (None, None) => Ok(Vec::new()),
    }
}
