//! What is waiting for you across all your cases, in every council you work
//! for: requests to answer, team requests to assign, advice to endorse (seed
//! 002: one login covers every case). Each row names its council. Storage gathers the candidates; the access model says what, if
//! anything, each asks of you. Case references and dates only.

use ehc_domain::access::{self, Facts, Standing};
use ehc_domain::advice::AdviceStatus;
use ehc_domain::roles::{AccountStatus, Role, TeamRole};
use ehc_storage::casework::requests;
use ehc_storage::identity::memberships;

use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::state::AppState;
use crate::views::identity::NamedRef;
use crate::views::requests::MyAction;

pub async fn outstanding(state: &AppState, me: AuthUser) -> Result<Vec<MyAction>, ApiError> {
    let today = state.now().date();
    let user = me.user_id.clone();
    // Every council the caller works for, with the role each gave them: a
    // row of a council whose membership ended is not theirs any more.
    let (found, councils) = state
        .tx(move |conn| {
            let councils: Vec<(String, String, Role)> = memberships::of_user(conn, &user)?
                .into_iter()
                .filter(|m| m.membership.status == AccountStatus::Active)
                .map(|m| (m.membership.local_authority_id, m.local_authority_name, m.membership.role))
                .collect();
            Ok((requests::outstanding_for(conn, &user)?, councils))
        })
        .await?;
    let requests::Outstanding { rows, memberships, managed_members } = found;
    let role_in = |team: &Option<String>, role: TeamRole| {
        team.as_ref().is_some_and(|t| memberships.iter().any(|(m, r)| m == t && *r == role))
    };
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let Some((council_id, council_name, role)) =
            councils.iter().find(|(id, _, _)| *id == row.case_local_authority_id).cloned()
        else {
            continue;
        };
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
        let Some(action) = access::asked_of_you(Facts::on_advice(role, standing, status), unassigned_team_request)
        else {
            continue;
        };
        items.push(MyAction {
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
        });
    }
    Ok(items)
}
