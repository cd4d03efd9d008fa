//! One account across councils: the memberships a person holds, accepting a
//! council's invitation after logging in, and choosing which council the
//! session acts for. A session acts for one council at a time, so every
//! rule of the access model keeps reading one role and one authority.

use ehc_domain::roles::AccountStatus;
use ehc_storage::casework::participants;
use ehc_storage::identity::invitations;
use ehc_storage::identity::memberships::{self, NamedMembership, NewMembership};
use ehc_storage::identity::users;
use ehc_storage::DbConn;

use crate::audit;
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::state::AppState;
use crate::views::identity::{MembershipInvitationView, MembershipView, NamedRef};

/// The caller's memberships and the invitations waiting for them.
pub fn listed(
    conn: &mut DbConn,
    me: &AuthUser,
    email: &str,
    now: chrono::NaiveDateTime,
) -> Result<(Vec<MembershipView>, Vec<MembershipInvitationView>), ApiError> {
    let held = memberships::of_user(conn, &me.user_id)?;
    let councils: Vec<String> = held.iter().map(|m| m.membership.local_authority_id.clone()).collect();
    let views = held.into_iter().map(|m| view(m, &me.local_authority_id)).collect();
    let waiting = invitations::pending_for_email(conn, email, now)?
        .into_iter()
        .filter(|(i, _)| !councils.contains(&i.local_authority_id))
        .map(|(i, name)| MembershipInvitationView {
            id: i.id,
            local_authority: NamedRef { id: i.local_authority_id, name },
            role: i.role,
            expires_at: i.expires_at.and_utc(),
        })
        .collect();
    Ok((views, waiting))
}

fn view(named: NamedMembership, current_council: &str) -> MembershipView {
    let m = named.membership;
    MembershipView {
        current: m.local_authority_id == current_council,
        local_authority: NamedRef { id: m.local_authority_id, name: named.local_authority_name },
        organisation: NamedRef { id: m.organisation_id, name: named.organisation_name },
        role: m.role,
        status: m.status,
    }
}

/// Accepts a council's invitation with the account the caller already has:
/// a membership of that council, and the places held for them on its cases.
pub async fn accept(state: &AppState, me: AuthUser, invitation_id: String) -> Result<(), ApiError> {
    let now = state.now();
    state
        .tx(move |conn| {
            let user = users::user_by_id(conn, &me.user_id)?;
            let (invitation, _) = invitations::pending_for_email(conn, &user.email, now)?
                .into_iter()
                .find(|(i, _)| i.id == invitation_id)
                .ok_or(ApiError::NotFound)?;
            if memberships::in_council(conn, &user.id, &invitation.local_authority_id)?.is_some() {
                return Err(ApiError::Conflict("You already work with this council.".to_owned()));
            }
            if !invitations::accept_invitation(conn, &invitation.id, now)? {
                return Err(ApiError::Conflict("This invitation was already used.".to_owned()));
            }
            memberships::insert_membership(
                conn,
                &NewMembership {
                    user_id: &user.id,
                    local_authority_id: &invitation.local_authority_id,
                    organisation_id: &invitation.organisation_id,
                    role: invitation.role,
                    job_title: invitation.job_title.as_deref(),
                    specialism: invitation.specialism.as_deref(),
                    now,
                },
            )?;
            participants::claim_pending(conn, &user.email, &user.id, &invitation.local_authority_id)?;
            audit::record(conn, &me, "membership.accept", None, Some(&invitation.id))
        })
        .await
}

/// Makes the session act for another council the caller is an active member of.
pub async fn switch(state: &AppState, me: AuthUser, local_authority_id: String) -> Result<(), ApiError> {
    state
        .tx(move |conn| {
            let membership = memberships::in_council(conn, &me.user_id, &local_authority_id)?
                .filter(|m| m.status == AccountStatus::Active)
                .ok_or_else(|| {
                    ApiError::validation("/local_authority_id", "not_member", "is not a council you work for")
                })?;
            memberships::set_session_council(conn, &me.session_id, &membership.local_authority_id)?;
            Ok(())
        })
        .await
}
