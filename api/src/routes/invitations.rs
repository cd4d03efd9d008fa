//! Invitations: the only way an account comes to exist (seed 002).

use actix_web::{delete, get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use ehc_storage::identity::invitations::{self as store};
use ehc_storage::identity::organisations;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::json::ValidatedJson;
use crate::paging::{page, Page, PageQuery};
use crate::problems::{BadRequest, Conflict, Forbidden, Invalid, NotFound, Unauthorized, Unavailable};
use crate::state::AppState;
use crate::workflow::access::require;
use crate::workflow::invitations::{invite, usable_invitation, CreateInvitation, InvitationView};
use ehc_domain::access::Action;

/// Invite someone to the hub. Sends an e-mail with a single-use link valid
/// for 14 days; inviting the same address again replaces the earlier link.
#[utoipa::path(tag = "invitations", operation_id = "createInvitation", security(("bearer" = [])), request_body = CreateInvitation, responses(
    (status = 201, body = InvitationView, description = "Invitation sent"),
    BadRequest,
    Unauthorized,
    Forbidden,
    Conflict,
    Invalid,
    Unavailable))]
#[post("/invitations")]
pub async fn create_invitation(
    state: web::Data<AppState>,
    me: AuthUser,
    body: ValidatedJson<CreateInvitation>,
) -> ApiResult<HttpResponse> {
    let invitation = invite(&state, &me, body.0).await?;
    Ok(HttpResponse::Created().json(invitation))
}

/// Pending invitations of your local authority.
#[utoipa::path(tag = "invitations", operation_id = "listInvitations", security(("bearer" = [])), params(PageQuery), responses(
    (status = 200, body = Page<InvitationView>, description = "OK"),
    BadRequest,
    Unauthorized,
    Forbidden))]
#[get("/invitations")]
pub async fn list_invitations(
    state: web::Data<AppState>,
    me: AuthUser,
    query: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    require(&me, Action::ManageInvitations)?;
    let (limit, after) = (query.limit()?, query.after_id()?);
    let now = state.now();
    let rows = state
        .tx(move |conn| Ok(store::pending_invitations(conn, &me.local_authority_id, now, after.as_deref(), limit + 1)?))
        .await?;
    Ok(HttpResponse::Ok().json(page(rows, limit, |i| i.id.clone(), InvitationView::from)))
}

/// Revoke a pending invitation: its link stops working.
#[utoipa::path(tag = "invitations", operation_id = "revokeInvitation", security(("bearer" = [])), params(("id" = String, Path)), responses(
    (status = 204, description = "Revoked"),
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict))]
#[delete("/invitations/{id}")]
pub async fn revoke_invitation(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    require(&me, Action::ManageInvitations)?;
    let id = path.into_inner();
    let now = state.now();
    state
        .tx(move |conn| {
            let invitation = store::invitation_in_local_authority(conn, &me.local_authority_id, &id)?;
            if invitation.accepted_at.is_some() {
                return Err(ApiError::Conflict("This invitation was already accepted.".to_owned()));
            }
            if invitation.revoked_at.is_none() {
                store::revoke_invitation(conn, &id, now)?;
            }
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"token": "pX3…from the invitation link"}))]
pub struct InvitationToken {
    /// The `token` of the invitation link.
    #[validate(length(min = 1, max = 200))]
    pub token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationPreview {
    pub email: String,
    pub name: String,
    pub role: String,
    pub organisation: String,
    pub expires_at: DateTime<Utc>,
}

/// What an invitation link is for, so the sign-up page can greet the invitee.
/// The token travels in the body, not the URL, to keep it out of logs.
#[utoipa::path(tag = "invitations", operation_id = "inspectInvitation", security(()), request_body = InvitationToken, responses(
    (status = 200, body = InvitationPreview, description = "OK"),
    BadRequest,
    NotFound,
    Conflict,
    Invalid))]
#[post("/invitations/inspect")]
pub async fn inspect_invitation(
    state: web::Data<AppState>,
    body: ValidatedJson<InvitationToken>,
) -> ApiResult<HttpResponse> {
    let now = state.now();
    let preview = state
        .tx(move |conn| {
            let invitation = usable_invitation(conn, &body.0.token, now)?;
            let organisation = organisations::organisation_in_local_authority(
                conn,
                &invitation.local_authority_id,
                &invitation.organisation_id,
            )?;
            Ok(InvitationPreview {
                email: invitation.email,
                name: invitation.name,
                role: invitation.role,
                organisation: organisation.name,
                expires_at: invitation.expires_at.and_utc(),
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(preview))
}
