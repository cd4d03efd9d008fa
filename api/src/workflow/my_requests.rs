//! What is waiting for you across all your cases, in every council you work
//! for: requests to answer, team requests to assign, advice to endorse (seed
//! 002: one login covers every case). Each row names its council. Storage gathers the candidates; the access model says what, if
//! anything, each asks of you. Case references and dates only.

use chrono::NaiveDate;
use ehc_domain::access::{self, Facts, Standing};
use ehc_domain::advice::AdviceStatus;
use ehc_domain::roles::{AccountStatus, Role, TeamRole};
use ehc_storage::casework::requests::{self, Outstanding, OutstandingRow};

use crate::auth::{AuthUser, Caller};
use crate::error::ApiError;
use crate::state::AppState;
use crate::views::identity::NamedRef;
use crate::views::requests::MyAction;

/// The councils the caller works for, with the role each gave them.
type Councils = Vec<(String, String, Role)>;

/// One page of the caller's outstanding actions after position `after`
/// (due date, request id), at most `limit`, and whether more follow.
/// Storage gives candidates in position order; the access model drops those
/// that ask nothing of the caller, so batches are read until the page is
/// full or the candidates run out.
pub async fn outstanding(
    state: &AppState,
    caller: Caller,
    after: Option<(NaiveDate, String)>,
    limit: usize,
) -> Result<(Vec<MyAction>, bool), ApiError> {
    let today = state.now().date();
    // Reads only: the session check and the caller's actions.
    state
        .read_tx(move |conn| {
            // The session check is this transaction's first statement.
            let (me, all) = caller.confirm_with_memberships(conn)?;
            // A row of a council whose membership ended is not theirs any more.
            let councils: Councils = all
                .into_iter()
                .filter(|m| m.membership.status == AccountStatus::Active)
                .map(|m| (m.membership.local_authority_id, m.local_authority_name, m.membership.role))
                .collect();
            let batch = limit as i64 + 1;
            let mut position = after;
            let mut items = Vec::with_capacity(limit + 1);
            loop {
                let found = requests::outstanding_for(conn, &me.user_id, position.as_ref(), batch)?;
                let scanned = found.rows.len() as i64;
                position = found.rows.last().map(|row| (row.request.due_on, row.request.id.clone()));
                let Outstanding { rows, memberships, managed_members } = found;
                for row in rows {
                    if let Some(action) = asked(&me, &councils, &memberships, &managed_members, row, today) {
                        items.push(action);
                    }
                }
                if items.len() > limit || scanned < batch {
                    break;
                }
            }
            let more = items.len() > limit;
            items.truncate(limit);
            Ok((items, more))
        })
        .await
}

/// What the row asks of the caller, if anything.
fn asked(
    me: &AuthUser,
    councils: &Councils,
    memberships: &[(String, TeamRole)],
    managed_members: &[String],
    row: OutstandingRow,
    today: NaiveDate,
) -> Option<MyAction> {
    let role_in = |team: &Option<String>, role: TeamRole| {
        team.as_ref().is_some_and(|t| memberships.iter().any(|(m, r)| m == t && *r == role))
    };
    let (council_id, council_name, role) =
        councils.iter().find(|(id, _, _)| *id == row.case_local_authority_id).cloned()?;
    let r = row.request;
    let author = r.author();
    let standing = Standing {
        author: author == Some(me.user_id.as_str()),
        edited: row.edited_by_user,
        manages: role_in(&r.addressee_team_id, TeamRole::Manager)
            || author.is_some_and(|a| managed_members.iter().any(|m| m == a)),
        coordinates: role_in(&r.addressee_team_id, TeamRole::Coordinator),
    };
    let status = row.advice_status.unwrap_or(AdviceStatus::Draft);
    let unassigned_team_request = r.addressee_team_id.is_some() && r.assignee_user_id.is_none();
    let action = access::asked_of_you(Facts::on_advice(role, standing, status), unassigned_team_request)?;
    Some(MyAction {
        areas: r.areas(),
        overdue: r.due_on < today,
        request_id: r.id,
        case_id: r.case_id,
        case_reference: row.case_reference,
        local_authority: NamedRef { id: council_id, name: council_name },
        specialism: r.specialism,
        requested_on: r.requested_on,
        due_on: r.due_on,
        advice_status: row.advice_status,
        action,
    })
}
