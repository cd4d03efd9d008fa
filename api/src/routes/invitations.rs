//! Invitations: the only way an account comes to exist (seed 002).

use actix_web::http::header::LOCATION;
use actix_web::{delete, get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use ehc_domain::roles::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::json::ValidatedJson;
use crate::paging::{page, Page, PageQuery};
use crate::problems::{BadRequest, Conflict, Forbidden, Invalid, NotFound, Unauthorized, Unavailable};
use crate::state::AppState;
use crate::views::identity::InvitationView;
use crate::workflow::invitations::{self, invite, CreateInvitation};

/// Invite someone to the hub.
///
/// Sends an e-mail with a single-use link valid for 14 days; inviting the same address again
/// replaces the earlier link. An address that already has an account is answered alike and its
/// owner is asked to join this council.
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
    let location = format!("/api/v1/invitations/{}", invitation.id);
    Ok(HttpResponse::Created().insert_header((LOCATION, location)).json(InvitationView::from(invitation)))
}

/// Pending invitations of the caller's council.
///
/// Administrators and the assessment team. Paged with `limit` and `cursor`.
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
    let (limit, after) = (query.limit()?, query.after_id()?);
    let rows = invitations::pending(&state, me, after, limit).await?;
    Ok(HttpResponse::Ok().json(page(rows, limit, |i| i.id.clone(), InvitationView::from)))
}

/// Revoke a pending invitation.
///
/// Its link stops working and the places it held on cases end.
#[utoipa::path(tag = "invitations", operation_id = "revokeInvitation", security(("bearer" = [])), params(("id" = uuid::Uuid, Path, description = "The invitation's id")), responses(
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
    invitations::revoke(&state, me, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"token": "pX3…from the invitation link"}))]
pub struct InvitationToken {
    /// The `token` of the invitation link.
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationPreview {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub organisation: String,
    pub expires_at: DateTime<Utc>,
}

/// What an invitation link is for.
///
/// So the sign-up page can greet the invitee. The token travels in the body, not the URL, to keep
/// it out of logs.
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
    let (invitation, organisation) = invitations::inspect(&state, body.0.token).await?;
    let preview = InvitationPreview {
        email: invitation.email,
        name: invitation.name,
        role: invitation.role,
        organisation,
        expires_at: invitation.expires_at.and_utc(),
    };
    Ok(HttpResponse::Ok().json(preview))
}
