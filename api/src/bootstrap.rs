//! Creating the first administrator of a local authority, before anyone can
//! log in to invite them (`ehc-hub create-admin`).

use chrono::Duration;
use ehc_domain::email::normalise_email;
use ehc_domain::otp_policy::INVITATION_TTL_DAYS;
use ehc_storage::error::OptionalExt;
use ehc_storage::identity::invitations::{self, NewInvitation};
use ehc_storage::identity::{organisations, users};
use ehc_storage::new_id;

use crate::error::ApiError;
use crate::security::secrets::{hash_token, random_token};
use crate::state::AppState;

/// Invites an administrator, creating the local authority if it is new.
/// Returns the invitation link.
pub async fn invite_first_admin(state: &AppState, email: &str, la_name: &str, name: &str) -> Result<String, ApiError> {
    let email = normalise_email(email).map_err(|m| ApiError::validation("/email", "invalid", m))?;
    let la_name = la_name.trim().to_owned();
    if la_name.is_empty() {
        return Err(ApiError::validation("/local_authority", "required", "is required"));
    }
    let token = random_token();
    let token_hash = hash_token(&token);
    let name = name.to_owned();
    let now = state.now();
    state
        .tx(move |conn| {
            if users::user_by_email(conn, &email).optional()?.is_some() {
                return Err(ApiError::Conflict("This address already has an account.".to_owned()));
            }
            let (la, org) = organisations::find_or_create_local_authority(conn, &la_name, now)?;
            invitations::replace_invitation(
                conn,
                &NewInvitation {
                    id: &new_id(),
                    local_authority_id: &la.id,
                    organisation_id: &org.id,
                    email: &email,
                    name: &name,
                    role: "administrator",
                    job_title: None,
                    specialism: None,
                    token_hash: &token_hash,
                    invited_by: None,
                    created_at: now,
                    expires_at: now + Duration::days(INVITATION_TTL_DAYS),
                },
            )?;
            Ok(())
        })
        .await?;
    Ok(crate::workflow::invitations::invitation_link(state, &token))
}
