//! What is waiting for you across all your cases: requests to answer, team
//! requests to assign, advice to endorse (seed 002: one login covers every
//! case). Storage gathers the candidates; the access model says what, if
//! anything, each asks of you. Case references and dates only.

use ehc_domain::access::{self, Facts, Standing};
use ehc_domain::advice::AdviceStatus;
use ehc_domain::roles::TeamRole;
use ehc_storage::casework::requests;

use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::state::AppState;
use crate::views::requests::MyAction;

pub async fn outstanding(state: &AppState, me: AuthUser) -> Result<Vec<MyAction>, ApiError> {
    let today = state.now().date();
    let user = me.user_id.clone();
    let found = state.tx(move |conn| Ok(requests::outstanding_for(conn, &user)?)).await?;
    let requests::Outstanding { rows, memberships, managed_members } = found;
    let role_in = |team: &Option<String>, role: TeamRole| {
        team.as_ref().is_some_and(|t| memberships.iter().any(|(m, r)| m == t && *r == role))
    };
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
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
        let Some(action) = access::asked_of_you(Facts::on_advice(me.role, standing, status), unassigned_team_request)
        else {
            continue;
        };
        items.push(MyAction {
            areas: r.areas(),
            overdue: r.due_on < today,
            request_id: r.id,
            case_id: r.case_id,
            case_reference: row.case_reference,
            specialism: r.specialism,
            requested_on: r.requested_on,
            due_on: r.due_on,
            advice_status: row.advice_status,
            action,
        });
    }
    Ok(items)
}
