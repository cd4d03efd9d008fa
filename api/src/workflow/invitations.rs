//! Invitations: the only way an account comes to exist (seed 002). Sent by
//! the invitations endpoint and when an officer adds someone without an
//! account to a case.

use chrono::Duration;
use ehc_domain::access::Action;
use ehc_domain::email::normalise_email;
use ehc_domain::field_error::FieldError;
use ehc_domain::messages;
use ehc_domain::otp_policy::INVITATION_TTL_DAYS;
use ehc_domain::roles::{Role, Specialism};
use ehc_storage::casework::participants;
use ehc_storage::error::OptionalExt;
use ehc_storage::identity::invitations::{self as store, Invitation, NewInvitation};
use ehc_storage::identity::{memberships, organisations, users};
use ehc_storage::{new_id, DbConn};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::messaging::{Channel, OutgoingMessage};
use crate::security::secrets::{hash_token, random_token};
use crate::state::AppState;
use crate::workflow::access::require;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "sam.senco@oakfield.sch.uk", "name": "Sam Patel", "role": "professional",
    "job_title": "SENCo", "specialism": "education"}))]
pub struct CreateInvitation {
    /// Becomes the login of the account.
    #[schema(value_type = crate::views::EmailAddress)]
    pub email: String,
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    pub role: Role,
    /// An organisation of this local authority; the authority itself if absent.
    pub organisation_id: Option<uuid::Uuid>,
    #[validate(length(max = 200, message = "must be at most 200 characters"))]
    #[schema(max_length = 200)]
    pub job_title: Option<String>,
    /// Required for professionals.
    pub specialism: Option<Specialism>,
}

/// Validates, stores (replacing an earlier invitation) and e-mails one.
pub async fn invite(state: &AppState, me: &AuthUser, body: CreateInvitation) -> Result<Invitation, ApiError> {
    require(me, Action::Invite(body.role))?;
    let mut errors = Vec::new();
    let email = normalise_email(&body.email).map_err(|m| errors.push(FieldError::new("/email", "invalid", m))).ok();
    match (body.role.requires_specialism(), body.specialism) {
        (true, None) => errors.push(FieldError::new("/specialism", "required", "is required for professionals")),
        (false, Some(_)) if !matches!(body.role, Role::Coordinator | Role::TeamManager) => {
            errors.push(FieldError::new(
                "/specialism",
                "not_applicable",
                "applies only to professionals, coordinators and team managers",
            ))
        }
        _ => {}
    }
    let Some(email) = email.filter(|_| errors.is_empty()) else { return Err(ApiError::Validation(errors)) };

    let token = random_token();
    let token_hash = hash_token(&token);
    let now = state.now();
    let me = me.clone();
    let (invitation, la_name, has_account) = state
        .tx(move |conn| {
            // An account of another council is invited to a membership of
            // this one, and the officer is answered exactly as for a new
            // address: whether, and where, the person works elsewhere is not
            // this council's to know.
            let existing = users::user_by_email(conn, &email).optional()?;
            if let Some(user) = &existing {
                if memberships::in_council(conn, &user.id, &me.local_authority_id)?.is_some() {
                    return Err(ApiError::Conflict(
                        "This address already belongs to a member of your authority.".to_owned(),
                    ));
                }
            }
            let organisation_id = resolve_organisation(conn, &me, body.organisation_id)?;
            let id = new_id();
            store::replace_invitation(
                conn,
                &NewInvitation {
                    id: &id,
                    local_authority_id: &me.local_authority_id,
                    organisation_id: &organisation_id,
                    email: &email,
                    name: body.name.trim(),
                    role: body.role.as_str(),
                    job_title: body.job_title.as_deref(),
                    specialism: body.specialism.map(|s| s.as_str()),
                    token_hash: &token_hash,
                    invited_by: Some(&me.user_id),
                    created_at: now,
                    expires_at: now + Duration::days(INVITATION_TTL_DAYS),
                },
            )?;
            let la = organisations::local_authority(conn, &me.local_authority_id)?;
            Ok((store::invitation_in_local_authority(conn, &me.local_authority_id, &id)?, la.name, existing.is_some()))
        })
        .await?;
    if has_account {
        send_membership_email(state, &invitation.email, &la_name).await?;
    } else {
        send_invitation_email(state, &invitation.email, &la_name, &token).await?;
    }
    Ok(invitation)
}

fn resolve_organisation(conn: &mut DbConn, me: &AuthUser, requested: Option<uuid::Uuid>) -> Result<String, ApiError> {
    match requested {
        None => Ok(organisations::local_authority_organisation(conn, &me.local_authority_id)?.id),
        Some(id) => organisations::organisation_in_local_authority(conn, &me.local_authority_id, &id.to_string())
            .optional()?
            .map(|o| o.id)
            .ok_or_else(|| {
                ApiError::validation("/organisation_id", "unknown", "is not an organisation of your local authority")
            }),
    }
}

pub fn invitation_link(state: &AppState, token: &str) -> String {
    format!("{}/invitations/accept?token={token}", state.public_url)
}

pub async fn send_invitation_email(state: &AppState, to: &str, la_name: &str, token: &str) -> Result<(), ApiError> {
    let text =
        messages::invitation_email(&state.service_name, la_name, &invitation_link(state, token), INVITATION_TTL_DAYS);
    state
        .messenger
        .send(OutgoingMessage { channel: Channel::Email, to: to.to_owned(), subject: text.subject, body: text.body })
        .await
        .map_err(|e| ApiError::Unavailable(e.to_string()))
}

/// Someone with an account is asked to log in and accept (no link to
/// register: they already have a login).
async fn send_membership_email(state: &AppState, to: &str, la_name: &str) -> Result<(), ApiError> {
    let text =
        messages::membership_invitation_email(&state.service_name, la_name, &state.public_url, INVITATION_TTL_DAYS);
    state
        .messenger
        .send(OutgoingMessage { channel: Channel::Email, to: to.to_owned(), subject: text.subject, body: text.body })
        .await
        .map_err(|e| ApiError::Unavailable(e.to_string()))
}

/// An invitation that can still be accepted.
pub fn usable_invitation(conn: &mut DbConn, token: &str, now: chrono::NaiveDateTime) -> Result<Invitation, ApiError> {
    let invitation = store::invitation_by_token_hash(conn, &hash_token(token))?;
    if invitation.accepted_at.is_some() {
        return Err(ApiError::Conflict("This invitation was already used. Log in instead.".to_owned()));
    }
    if invitation.revoked_at.is_some() || invitation.expires_at <= now {
        return Err(ApiError::Conflict(
            "This invitation has expired or was replaced. Ask the assessment team for a new one.".to_owned(),
        ));
    }
    Ok(invitation)
}

/// A page of the authority's pending invitations.
pub async fn pending(
    state: &AppState,
    me: AuthUser,
    after: Option<String>,
    limit: i64,
) -> Result<Vec<Invitation>, ApiError> {
    require(&me, Action::ManageInvitations)?;
    let now = state.now();
    state
        .tx(move |conn| Ok(store::pending_invitations(conn, &me.local_authority_id, now, after.as_deref(), limit + 1)?))
        .await
}

/// Revokes a pending invitation: its link stops working.
pub async fn revoke(state: &AppState, me: AuthUser, id: String) -> Result<(), ApiError> {
    require(&me, Action::ManageInvitations)?;
    let now = state.now();
    state
        .tx(move |conn| {
            let invitation = store::invitation_in_local_authority(conn, &me.local_authority_id, &id)?;
            if invitation.accepted_at.is_some() {
                return Err(ApiError::Conflict("This invitation was already accepted.".to_owned()));
            }
            if invitation.revoked_at.is_none() {
                store::revoke_invitation(conn, &id, now)?;
                // The places it held on the council's cases end with it.
                participants::end_pending(conn, &invitation.email, &me.local_authority_id, now)?;
            }
            Ok(())
        })
        .await
}

/// A usable invitation and the name of the organisation it is for, so the
/// sign-up page can greet the invitee.
pub async fn inspect(state: &AppState, token: String) -> Result<(Invitation, String), ApiError> {
    let now = state.now();
    state
        .tx(move |conn| {
            let invitation = usable_invitation(conn, &token, now)?;
            let organisation = organisations::organisation_in_local_authority(
                conn,
                &invitation.local_authority_id,
                &invitation.organisation_id,
            )?;
            Ok((invitation, organisation.name))
        })
        .await
}
