//! The advice quality checks (`ehc_domain::advice::quality`) applied to a
//! request's advice: what the case tells them, the council's severities, and
//! the settings staff change.

use ehc_domain::access::{self, Action};
use ehc_domain::advice::quality::{check_advice, Check, Context, Finding, Severity, CHECKS};
use ehc_domain::advice::AdviceContent;
use ehc_storage::casework::advice_checks as store;
use ehc_storage::casework::cases::Case;
use ehc_storage::casework::participants;
use ehc_storage::casework::requests::AdviceRequest;
use ehc_storage::DbConn;

use crate::audit;
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::state::AppState;
use crate::views::advice::{content_of, CheckSetting};
use crate::workflow::access::{facts_on, require, visible_request};
use crate::workflow::advice::advice_of;

/// The findings for `content`, as the case and its council see it.
pub fn findings_for(
    conn: &mut DbConn,
    request: &AdviceRequest,
    case: &Case,
    content: &AdviceContent,
) -> Result<Vec<Finding>, ApiError> {
    let participant_names =
        participants::current_with_names(conn, &case.id)?.into_iter().filter_map(|(_, user, _)| user).collect();
    let context = Context {
        child_names: vec![case.given_name.clone(), case.family_name.clone()],
        child_date_of_birth: Some(case.date_of_birth),
        participant_names,
        looked_after: case.looked_after,
        areas_asked: request.areas(),
    };
    let settings = store::settings_of(conn, &case.local_authority_id)?;
    Ok(check_advice(content, &context, &settings))
}

/// The findings on the working copy, for whoever may read it.
pub async fn of_working_copy(state: &AppState, me: AuthUser, request_id: String) -> Result<Vec<Finding>, ApiError> {
    state
        .tx(move |conn| {
            let (request, case) = visible_request(conn, &me, &request_id)?;
            let advice = advice_of(conn, &request)?;
            let facts = facts_on(conn, &me, &request, &advice, Action::ReadWorkingCopy)?;
            access::decide(Action::ReadWorkingCopy, facts).map_err(|_| ApiError::NotFound)?;
            let findings = findings_for(conn, &request, &case, &content_of(&advice.content)?)?;
            audit::record(conn, &me, "advice.checks.read", Some(&case.id), Some(&request.id))?;
            Ok(findings)
        })
        .await
}

fn listed(conn: &mut DbConn, la_id: &str) -> Result<Vec<CheckSetting>, ApiError> {
    let chosen = store::settings_of(conn, la_id)?;
    Ok(CHECKS
        .into_iter()
        .map(|check| CheckSetting {
            check,
            severity: chosen.iter().find(|(c, _)| *c == check).map_or(check.default_severity(), |(_, s)| *s),
            default_severity: check.default_severity(),
            message: check.message(),
        })
        .collect())
}

pub async fn settings(state: &AppState, me: AuthUser) -> Result<Vec<CheckSetting>, ApiError> {
    require(&me, Action::ManageAdviceChecks)?;
    state.tx(move |conn| listed(conn, &me.local_authority_id)).await
}

pub async fn set(
    state: &AppState,
    me: AuthUser,
    check: Check,
    severity: Severity,
) -> Result<Vec<CheckSetting>, ApiError> {
    require(&me, Action::ManageAdviceChecks)?;
    let now = state.now();
    state
        .tx(move |conn| {
            store::set_severity(conn, &me.local_authority_id, check, severity, &me.user_id, now)?;
            audit::record(conn, &me, "advice_checks.set", None, Some(check.code()))?;
            listed(conn, &me.local_authority_id)
        })
        .await
}
