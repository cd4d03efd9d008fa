//! Invitations: the only way an account comes to exist (seed 002). Sent by
//! the invitations endpoint and when an officer adds someone without an
//! account to a case.

use chrono::{DateTime, Duration, Utc};
use ehc_domain::access::Action;
use ehc_domain::email::normalise_email;
use ehc_domain::field_error::FieldError;
use ehc_domain::messages;
use ehc_domain::otp_policy::INVITATION_TTL_DAYS;
use ehc_domain::roles::{Role, Specialism};
use ehc_storage::error::OptionalExt;
use ehc_storage::identity::invitations::{self as store, Invitation, NewInvitation};
use ehc_storage::identity::{organisations, users};
use ehc_storage::{new_id, DbConn};
use serde::{Deserialize, Serialize};
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
    pub email: String,
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    pub name: String,
    pub role: Role,
    /// An organisation of this local authority; the authority itself if absent.
    pub organisation_id: Option<uuid::Uuid>,
    #[validate(length(max = 200, message = "must be at most 200 characters"))]
    pub job_title: Option<String>,
    /// Required for professionals.
    pub specialism: Option<Specialism>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationView {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    pub organisation_id: String,
    pub job_title: Option<String>,
    pub specialism: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl From<Invitation> for InvitationView {
    fn from(i: Invitation) -> Self {
        InvitationView {
            id: i.id,
            email: i.email,
            name: i.name,
            role: i.role,
            organisation_id: i.organisation_id,
            job_title: i.job_title,
            specialism: i.specialism,
            created_at: i.created_at.and_utc(),
            expires_at: i.expires_at.and_utc(),
        }
    }
}

/// Validates, stores (replacing an earlier invitation) and e-mails one.
pub async fn invite(state: &AppState, me: &AuthUser, body: CreateInvitation) -> Result<InvitationView, ApiError> {
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
    let (invitation, la_name) = state
        .tx(move |conn| {
            if users::user_by_email(conn, &email).optional()?.is_some() {
                return Err(ApiError::Conflict("This address already has an account.".to_owned()));
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
            Ok((store::invitation_in_local_authority(conn, &me.local_authority_id, &id)?, la.name))
        })
        .await?;
    send_invitation_email(state, &invitation.email, &la_name, &token).await?;
    Ok(InvitationView::from(invitation))
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
