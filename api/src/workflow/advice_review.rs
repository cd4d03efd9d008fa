//! What happens to submitted advice after its author: the endorser endorses
//! it (publishing it) or returns it; a team inbox's coordinator may return
//! published advice; the assessment team releases it. Returning and
//! releasing both hand it back to the author to change.

use chrono::NaiveDateTime;
use ehc_domain::access::Action;
use ehc_domain::advice::{AdviceStatus, RequestStatus};
use ehc_domain::events::EventType;
use ehc_domain::messages::CaseEvent;
use ehc_storage::casework::advice::{self as store, Advice, AdviceChange};
use ehc_storage::casework::cases::Case;
use ehc_storage::casework::requests::{self, AdviceRequest};
use ehc_storage::DbConn;

use crate::audit;
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::partners::events;
use crate::state::AppState;
use crate::views::advice::Shown;
use crate::workflow::access::{facts_on, require_on, visible_request};
use crate::workflow::advice::{advice_of, after_action, publish, refusal, transition};
use crate::workflow::case_events;

/// The request, its case and advice, once the model allows `action`.
fn allowed(
    conn: &mut DbConn,
    me: &AuthUser,
    request_id: &str,
    action: Action,
) -> Result<(AdviceRequest, Case, Advice, ehc_domain::access::Facts), ApiError> {
    let (request, case) = visible_request(conn, me, request_id)?;
    let advice = advice_of(conn, &request)?;
    let facts = facts_on(conn, me, &request, &advice, action)?;
    require_on(facts, action)?;
    Ok((request, case, advice, facts))
}

pub async fn endorse(state: &AppState, me: AuthUser, request_id: String) -> Result<Shown, ApiError> {
    let now = state.now();
    let st = state.clone();
    state
        .tx(move |conn| {
            let (request, case, advice, _) = allowed(conn, &me, &request_id, Action::Endorse)?;
            let next = advice.status.after_endorse().map_err(refusal)?;
            store::publish_latest(conn, &request.id, &me.user_id, now)?;
            let change =
                AdviceChange { content: &advice.content, status: next, reason: None, by: &me.user_id, at: now };
            transition(conn, &advice, &change)?;
            publish(conn, &request, now)?;
            let everyone = case_events::participants_of(conn, &case)?;
            case_events::notify(conn, &st, &case, CaseEvent::AdvicePublished, everyone, &me.user_id)?;
            events::record(conn, now, EventType::AdviceEndorsed, &case, Some(&request), None)?;
            events::record(conn, now, EventType::AdvicePublished, &case, Some(&request), None)?;
            audit::record(conn, &me, "advice.endorse", Some(&case.id), Some(&request.id))?;
            after_action(conn, &request)
        })
        .await
}

/// Advice going back to its author, with the reason and who is told.
struct BackToAuthor<'a> {
    request: &'a AdviceRequest,
    case: &'a Case,
    advice: &'a Advice,
    next: AdviceStatus,
    reason: &'a str,
    event: CaseEvent,
    action: &'static str,
}

/// Unlocks the advice for its author, reopens the request, tells the author.
fn back_to_author(
    conn: &mut DbConn,
    state: &AppState,
    me: &AuthUser,
    back: BackToAuthor<'_>,
    now: NaiveDateTime,
) -> Result<Shown, ApiError> {
    let BackToAuthor { request, case, advice, next, reason, event, action } = back;
    let change =
        AdviceChange { content: &advice.content, status: next, reason: Some(reason), by: &me.user_id, at: now };
    transition(conn, advice, &change)?;
    requests::set_status(conn, &request.id, RequestStatus::Open, None)?;
    let author = request.author().map(str::to_owned).into_iter().collect();
    case_events::notify(conn, state, case, event, author, &me.user_id)?;
    let told = if event == CaseEvent::AdviceReleased { EventType::AdviceReleased } else { EventType::AdviceReturned };
    events::record(conn, now, told, case, Some(request), None)?;
    audit::record(conn, me, action, Some(&case.id), Some(&request.id))?;
    after_action(conn, request)
}

pub async fn return_to_author(
    state: &AppState,
    me: AuthUser,
    request_id: String,
    reason: String,
) -> Result<Shown, ApiError> {
    let now = state.now();
    let st = state.clone();
    state
        .tx(move |conn| {
            let (request, case, advice, facts) = allowed(conn, &me, &request_id, Action::ReturnAdvice)?;
            let next = advice.status.after_return(facts.standing.coordinates).map_err(refusal)?;
            let back = BackToAuthor {
                request: &request,
                case: &case,
                advice: &advice,
                next,
                reason: &reason,
                event: CaseEvent::AdviceReturned,
                action: "advice.return",
            };
            back_to_author(conn, &st, &me, back, now)
        })
        .await
}

pub async fn release(state: &AppState, me: AuthUser, request_id: String, reason: String) -> Result<Shown, ApiError> {
    let now = state.now();
    let st = state.clone();
    state
        .tx(move |conn| {
            let (request, case, advice, _) = allowed(conn, &me, &request_id, Action::ReleaseAdvice)?;
            let next = advice.status.after_release().map_err(refusal)?;
            let back = BackToAuthor {
                request: &request,
                case: &case,
                advice: &advice,
                next,
                reason: &reason,
                event: CaseEvent::AdviceReleased,
                action: "advice.release",
            };
            back_to_author(conn, &st, &me, back, now)
        })
        .await
}
