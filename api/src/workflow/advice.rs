//! Advice: a draft its author saves, submits (locked), and may change again
//! only when the assessment team releases it. Every submission is kept.
//! Who reads what is the access model's: the working copy for its author
//! (and the endorser while it waits for them), the latest published version
//! for everyone else on the case.

use chrono::NaiveDateTime;
use ehc_domain::access::{self, Action};
use ehc_domain::advice::quality::{self, Check};
use ehc_domain::advice::{validate_for_submit, AdviceContent, AdviceStatus, Refusal, RequestStatus};
use ehc_domain::events::EventType;
use ehc_domain::messages::CaseEvent;
use ehc_storage::casework::advice::{self as store, Advice, AdviceChange, AdviceVersion};
use ehc_storage::casework::cases::Case;
use ehc_storage::casework::requests::{self, AdviceRequest};
use ehc_storage::DbConn;

use crate::audit;
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::partners::events;
use crate::state::AppState;
use crate::views::advice::{content_of, Shown};
use crate::workflow::access::{facts_on, require_on, visible_request};
use crate::workflow::{advice_checks, case_events};

pub fn refusal(r: Refusal) -> ApiError {
    ApiError::Conflict(r.message().to_owned())
}

/// The request's advice; every request has one from its creation.
pub fn advice_of(conn: &mut DbConn, request: &AdviceRequest) -> Result<Advice, ApiError> {
    store::advice_of(conn, &request.id)?.ok_or(ApiError::NotFound)
}

/// What this caller may read of the advice.
pub fn shown_to(conn: &mut DbConn, me: &AuthUser, request: &AdviceRequest) -> Result<Shown, ApiError> {
    let advice = advice_of(conn, request)?;
    if access::decide(Action::ReadWorkingCopy, facts_on(conn, me, request, &advice, Action::ReadWorkingCopy)?).is_ok() {
        return working(conn, request, advice);
    }
    let published = store::versions(conn, &request.id, true)?.pop().ok_or(ApiError::NotFound)?;
    Ok(Shown::Published(published, advice))
}

/// The working copy as an action just left it, for whoever took the action
/// (they were entitled to it when they acted).
pub fn after_action(conn: &mut DbConn, request: &AdviceRequest) -> Result<Shown, ApiError> {
    let advice = advice_of(conn, request)?;
    working(conn, request, advice)
}

/// The working copy with the quality checks' findings on it.
fn working(conn: &mut DbConn, request: &AdviceRequest, advice: Advice) -> Result<Shown, ApiError> {
    let case = ehc_storage::casework::cases::case_by_id(conn, &request.case_id)?;
    let findings = advice_checks::findings_for(conn, request, &case, &content_of(&advice.content)?)?;
    Ok(Shown::Working(advice, findings))
}

pub async fn read(state: &AppState, me: AuthUser, request_id: String) -> Result<Shown, ApiError> {
    state
        .tx(move |conn| {
            let (request, case) = visible_request(conn, &me, &request_id)?;
            let shown = shown_to(conn, &me, &request)?;
            audit::record(conn, &me, "advice.read", Some(&case.id), Some(&request.id))?;
            Ok(shown)
        })
        .await
}

/// The author's open, editable-by-them advice, or why not.
fn authored(conn: &mut DbConn, me: &AuthUser, id: &str) -> Result<(AdviceRequest, Case, Advice), ApiError> {
    let (request, case) = visible_request(conn, me, id)?;
    let advice = advice_of(conn, &request)?;
    require_on(facts_on(conn, me, &request, &advice, Action::WriteAdvice)?, Action::WriteAdvice)?;
    if request.status != RequestStatus::Open {
        return Err(ApiError::Conflict(request.status.closed_message().to_owned()));
    }
    Ok((request, case, advice))
}

/// Moves the working copy on, unless someone changed it since it was read:
/// then the whole transaction (version, request status) rolls back.
pub fn transition(conn: &mut DbConn, advice: &Advice, change: &AdviceChange<'_>) -> Result<(), ApiError> {
    if store::update_advice(conn, &advice.request_id, advice.revision, change)? {
        Ok(())
    } else {
        Err(ApiError::Conflict("The advice changed while this was being done. Reload and try again.".to_owned()))
    }
}

/// Published advice completes its request.
pub fn publish(conn: &mut DbConn, request: &AdviceRequest, now: NaiveDateTime) -> Result<(), ApiError> {
    requests::set_status(conn, &request.id, RequestStatus::Completed, Some(now.date()))?;
    Ok(())
}

const STALE: &str = "Someone changed this advice since you read it. Reload, then save again.";

/// Saves the draft (partial content is fine) if the caller read revision
/// `read_revision` last; locked advice is refused.
pub async fn save(
    state: &AppState,
    me: AuthUser,
    request_id: String,
    content: AdviceContent,
    read_revision: Option<i32>,
) -> Result<Shown, ApiError> {
    let now = state.now();
    let json = serde_json::to_string(&content).map_err(ApiError::internal)?;
    state
        .tx(move |conn| {
            let (request, case, advice) = authored(conn, &me, &request_id)?;
            if !advice.status.editable() {
                return Err(refusal(Refusal::Locked));
            }
            if read_revision != Some(advice.revision) {
                return Err(ApiError::PreconditionFailed(STALE));
            }
            let change = AdviceChange {
                content: &json,
                status: advice.status,
                reason: advice.status_reason.as_deref(),
                by: &me.user_id,
                at: now,
            };
            if !store::update_advice(conn, &request.id, advice.revision, &change)? {
                return Err(ApiError::PreconditionFailed(STALE));
            }
            store::record_editor(conn, &request.id, &me.user_id)?;
            let saved = shown_to(conn, &me, &request)?;
            audit::record(conn, &me, "advice.save", Some(&case.id), Some(&request.id))?;
            Ok(saved)
        })
        .await
}

/// Submits the advice: checked in full, then locked; published at once, or
/// sent for endorsement when the request asks.
pub async fn submit(
    state: &AppState,
    me: AuthUser,
    request_id: String,
    acknowledged: Vec<Check>,
) -> Result<Shown, ApiError> {
    let now = state.now();
    let st = state.clone();
    state
        .tx(move |conn| {
            let (request, case, advice) = authored(conn, &me, &request_id)?;
            let next = advice.status.after_submit(request.requires_endorsement).map_err(refusal)?;
            let content = content_of(&advice.content)?;
            let mut errors = validate_for_submit(&content, &request.areas(), case.looked_after, now.date());
            let findings = advice_checks::findings_for(conn, &request, &case, &content)?;
            let (refused, acknowledged) = quality::gate(&findings, &acknowledged);
            // A field already refused (missing, say) is not refused twice.
            let refused: Vec<_> =
                refused.into_iter().filter(|r| !errors.iter().any(|e| e.pointer == r.pointer)).collect();
            errors.extend(refused);
            if !errors.is_empty() {
                return Err(ApiError::Validation(errors));
            }
            let acknowledged = serde_json::to_string(&acknowledged).map_err(ApiError::internal)?;
            let published = next == AdviceStatus::Submitted;
            store::add_version(conn, &request.id, &advice.content, &me.user_id, published, &acknowledged, now)?;
            let change =
                AdviceChange { content: &advice.content, status: next, reason: None, by: &me.user_id, at: now };
            transition(conn, &advice, &change)?;
            if published {
                publish(conn, &request, now)?;
                let everyone = case_events::participants_of(conn, &case)?;
                case_events::notify(conn, &st, &case, CaseEvent::AdvicePublished, everyone, &me.user_id)?;
                events::record(conn, now, EventType::AdvicePublished, &case, Some(&request), None)?;
            } else {
                events::record(conn, now, EventType::AdviceSubmitted, &case, Some(&request), None)?;
                let submitted = advice_of(conn, &request)?;
                let endorsers = case_events::endorsers_of(conn, &request, &submitted)?;
                case_events::notify(conn, &st, &case, CaseEvent::EndorsementAsked, endorsers, &me.user_id)?;
            }
            let submitted = shown_to(conn, &me, &request)?;
            audit::record(conn, &me, "advice.submit", Some(&case.id), Some(&request.id))?;
            Ok(submitted)
        })
        .await
}

/// The submitted versions this caller may read, oldest first: all of them
/// for whoever may read the working copy, the published ones for the rest.
pub fn versions_shown_to(
    conn: &mut DbConn,
    me: &AuthUser,
    request: &AdviceRequest,
) -> Result<Vec<AdviceVersion>, ApiError> {
    let advice = advice_of(conn, request)?;
    let all = access::decide(
        Action::ReadUnpublishedVersions,
        facts_on(conn, me, request, &advice, Action::ReadUnpublishedVersions)?,
    )
    .is_ok();
    Ok(store::versions(conn, &request.id, !all)?)
}

pub async fn versions(state: &AppState, me: AuthUser, request_id: String) -> Result<Vec<AdviceVersion>, ApiError> {
    state
        .tx(move |conn| {
            let (request, case) = visible_request(conn, &me, &request_id)?;
            let versions = versions_shown_to(conn, &me, &request)?;
            audit::record(conn, &me, "advice.versions.read", Some(&case.id), Some(&request.id))?;
            Ok(versions)
        })
        .await
}
