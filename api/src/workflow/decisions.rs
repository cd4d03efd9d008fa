//! Decisions that move a case on (its stage follows `Stage::after`) and the
//! recorded exceptions that lift a time limit (reg 8(2), reg 10(4)(c)-(d)).

use chrono::NaiveDate;
use ehc_domain::access::Action;
use ehc_domain::events::EventType;
use ehc_domain::field_error::FieldError;
use ehc_domain::messages::CaseEvent;
use ehc_domain::statutory::{DecisionKind, Exception, Stage};
use ehc_storage::casework::decisions::{self as store, CaseDecision, CaseException};
use ehc_storage::casework::requests;
use ehc_storage::error::OptionalExt;

use crate::audit;
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::partners::events;
use crate::state::AppState;
use crate::views::cases::{decision_view, DecisionView, ExceptionView};
use crate::workflow::access::{require, visible_case};
use crate::workflow::case_events;

pub async fn record(
    state: &AppState,
    me: AuthUser,
    case_id: String,
    kind: DecisionKind,
    outcome: Option<String>,
    decided_on: NaiveDate,
) -> Result<DecisionView, ApiError> {
    let st = state.clone();
    state
        .tx(move |conn| {
            let case = visible_case(conn, &me, &case_id)?;
            require(&me, Action::RecordDecision)?;
            if kind == DecisionKind::PlanCeased {
                // Ceasing carries its reason and the notice of the right to
                // appeal (reg 31), which a bare decision would skip.
                return Err(ApiError::validation(
                    "/kind",
                    "own_operation",
                    "cease a plan with POST /cases/{id}/cease, which records the reason and sends the notice",
                ));
            }
            let (row, next) = record_in(conn, &st, &me, &case, kind, outcome, decided_on)?;
            Ok(decision_view(row, Some(next)))
        })
        .await
}

/// What is wrong with a decision's date, at `pointer`: it may be neither
/// in the future nor before the request for assessment was received.
pub fn date_errors(
    pointer: &str,
    on: NaiveDate,
    case: &ehc_storage::casework::cases::Case,
    today: NaiveDate,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if on > today {
        errors.push(FieldError::new(pointer, "in_future", "cannot be in the future"));
    }
    if on < case.request_received_on {
        errors.push(FieldError::new(pointer, "before_request", "cannot be before the request was received"));
    }
    errors
}

/// Records a decision on a case the caller may decide on, in the caller's
/// transaction (issuing a plan records its decision this way): the stage
/// moves, everyone on the case is told, the event and audit entry written.
pub fn record_in(
    conn: &mut ehc_storage::DbConn,
    st: &AppState,
    me: &AuthUser,
    case: &ehc_storage::casework::cases::Case,
    kind: DecisionKind,
    outcome: Option<String>,
    decided_on: NaiveDate,
) -> Result<(CaseDecision, Stage), ApiError> {
    let notice = move |next| CaseEvent::DecisionRecorded(kind, next);
    record_noticed(conn, st, me, case, (kind, outcome, decided_on), notice)
}

/// `record_in`, telling those on the case with the notice `notice` makes of
/// the stage the case moves to (a cease sends its notice of appeal rights).
pub fn record_noticed(
    conn: &mut ehc_storage::DbConn,
    st: &AppState,
    me: &AuthUser,
    case: &ehc_storage::casework::cases::Case,
    (kind, outcome, decided_on): (DecisionKind, Option<String>, NaiveDate),
    notice: impl FnOnce(Stage) -> CaseEvent,
) -> Result<(CaseDecision, Stage), ApiError> {
    let now = st.now();
    let decision = kind.decision(outcome.as_deref()).map_err(|e| ApiError::Validation(vec![e]))?;
    let errors = date_errors("/decided_on", decided_on, case, now.date());
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let current = case.stage;
    let next = current
        .after(decision)
        .map_err(|r| ApiError::Conflict(format!("This decision does not fit a case at stage {}.", r.stage.as_str())))?;
    let row = CaseDecision {
        id: ehc_storage::new_id(),
        case_id: case.id.clone(),
        kind,
        outcome,
        decided_on,
        recorded_by: me.user_id.clone(),
        recorded_at: now,
    };
    if !store::record_decision(conn, &row, current, next)? {
        return Err(ApiError::Conflict("The case moved on while this was recorded. Reload and try again.".to_owned()));
    }
    let everyone = case_events::participants_of(conn, case)?;
    case_events::notify(conn, st, case, notice(next), everyone, &me.user_id)?;
    events::record(conn, now, EventType::DecisionRecorded, case, None, Some(&row.id))?;
    audit::record(conn, me, "decision.record", Some(&case.id), Some(&row.id))?;
    Ok((row, next))
}

pub async fn list(state: &AppState, me: AuthUser, case_id: String) -> Result<Vec<DecisionView>, ApiError> {
    state
        .tx(move |conn| {
            visible_case(conn, &me, &case_id)?;
            let rows = store::decisions_of_case(conn, &case_id)?;
            // The stage each decision left the case at, replayed in the order
            // they were recorded; listed by the day they were made.
            let mut recorded: Vec<&CaseDecision> = rows.iter().collect();
            recorded.sort_by(|a, b| (a.recorded_at, &a.id).cmp(&(b.recorded_at, &b.id)));
            let decided: Vec<_> = recorded.iter().map(|d| d.kind.decision(d.outcome.as_deref()).ok()).collect();
            let known: Vec<_> = decided.iter().flatten().copied().collect();
            let mut stages = Stage::replay(&known).into_iter();
            let stage_of: Vec<(String, Option<Stage>)> = recorded
                .iter()
                .zip(&decided)
                .map(|(d, decision)| (d.id.clone(), decision.and_then(|_| stages.next().flatten())))
                .collect();
            let rows: Vec<DecisionView> = rows
                .into_iter()
                .map(|d| {
                    let stage = stage_of.iter().find(|(id, _)| *id == d.id).and_then(|(_, s)| *s);
                    decision_view(d, stage)
                })
                .collect();
            audit::record(conn, &me, "decision.list", Some(&case_id), None)?;
            Ok(rows)
        })
        .await
}

/// An exception an officer records, with its reason.
pub struct NewException {
    pub exception: String,
    pub advice_request_id: Option<String>,
    pub reason: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

/// Closure exceptions (reg 10(4)(a)-(b)) follow from the closure calendars;
/// every other one is recorded here.
pub async fn record_exception(
    state: &AppState,
    me: AuthUser,
    case_id: String,
    new: NewException,
) -> Result<ExceptionView, ApiError> {
    let now = state.now();
    state
        .tx(move |conn| {
            let case = visible_case(conn, &me, &case_id)?;
            require(&me, Action::RecordDecision)?;
            let mut errors = Vec::new();
            let exception = Exception::parse(&new.exception).filter(|e| !e.from_calendars());
            if exception.is_none() {
                errors.push(FieldError::new("/exception", "invalid", "is not an exception that can be recorded"));
            }
            if let (Some(id), Some(e)) = (&new.advice_request_id, exception) {
                if !e.applies_to_advice() {
                    errors.push(FieldError::new(
                        "/advice_request_id",
                        "not_applicable",
                        "only advice exceptions (reg 8(2)) name a request",
                    ));
                } else if requests::request_by_id(conn, id).optional()?.filter(|r| r.case_id == case.id).is_none() {
                    errors.push(FieldError::new(
                        "/advice_request_id",
                        "unknown",
                        "is not a request for advice on this case",
                    ));
                }
            }
            if new.ends_on.is_some_and(|end| end < new.starts_on) {
                errors.push(FieldError::new("/ends_on", "before_start", "cannot be before starts_on"));
            }
            let Some(exception) = exception.filter(|_| errors.is_empty()) else {
                return Err(ApiError::Validation(errors));
            };
            let row = CaseException {
                id: ehc_storage::new_id(),
                case_id: case.id,
                advice_request_id: new.advice_request_id,
                exception,
                reason: new.reason.trim().to_owned(),
                starts_on: new.starts_on,
                ends_on: new.ends_on,
                recorded_by: me.user_id.clone(),
                recorded_at: now,
            };
            store::insert_exception(conn, &row)?;
            audit::record(conn, &me, "exception.record", Some(&row.case_id), Some(&row.id))?;
            Ok(ExceptionView {
                regulation: exception.regulation().to_owned(),
                id: row.id,
                exception: row.exception,
                advice_request_id: row.advice_request_id,
                reason: row.reason,
                starts_on: row.starts_on,
                ends_on: row.ends_on,
            })
        })
        .await
}
