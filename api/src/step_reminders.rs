//! The job that reminds the assessment team of its own statutory steps
//! (`ehc_domain::statutory::alert_for`): a week before the final plan, the
//! review's report or decision, the amended plan (and the other decisions)
//! are due, the officers on the case are told; once a step is breached they
//! are told again and the council's administrators with them. Each alert is
//! raised once per step and due date, in the transaction that queues its
//! notices, so several instances never send one twice.

use ehc_domain::events::EventType;
use ehc_domain::messages::CaseEvent;
use ehc_domain::roles::Role;
use ehc_domain::statutory::{alert_for, timeline, StepAlert};
use ehc_storage::casework::step_alerts;
use ehc_storage::identity::memberships;
use ehc_storage::DbConn;

use crate::error::ApiError;
use crate::state::AppState;
use crate::workflow::case_events;

const NO_ACTOR: &str = "";

/// One pass over every case whose clock runs. How many alerts it raised.
pub async fn run_once(state: &AppState) -> Result<usize, ApiError> {
    let today = state.now().date();
    let cases = state.tx(|conn| Ok(step_alerts::running_case_ids(conn)?)).await?;
    let mut raised = 0;
    // One short transaction per case: a long pass never holds locks.
    for case_id in cases {
        let st = state.clone();
        raised += state.tx(move |conn| raise_due(conn, &st, &case_id, today)).await?;
    }
    Ok(raised)
}

fn raise_due(conn: &mut DbConn, state: &AppState, case_id: &str, today: chrono::NaiveDate) -> Result<usize, ApiError> {
    let case = ehc_storage::casework::cases::case_by_id(conn, case_id)?;
    let facts = crate::case_facts::load(conn, &case)?;
    let mut raised = 0;
    for step in timeline(&facts, today) {
        let Some(alert) = alert_for(&step, today) else { continue };
        if !step_alerts::raise(conn, &case.id, step.step.code(), alert.code(), step.due_on, today)? {
            continue;
        }
        let (event, notice, mut told) = match alert {
            StepAlert::DueSoon => (
                EventType::DeadlineAtRisk,
                CaseEvent::StepDueSoon(step.step),
                crate::workflow::case_events::officers_of(conn, &case)?,
            ),
            StepAlert::Breached => {
                let mut told = crate::workflow::case_events::officers_of(conn, &case)?;
                told.extend(memberships::active_with_role(conn, &case.local_authority_id, Role::Administrator)?);
                (EventType::DeadlineBreached, CaseEvent::StepBreached(step.step), told)
            }
        };
        told.sort();
        told.dedup();
        case_events::notify(conn, state, &case, notice, told, NO_ACTOR)?;
        let now = state.now();
        crate::partners::events::record(conn, now, event, &case, None, Some(step.step.code()))?;
        crate::audit::record_system(
            conn,
            now,
            &format!("step_{}", alert.code()),
            Some(&case.id),
            Some(step.step.code()),
        )?;
        raised += 1;
    }
    Ok(raised)
}
