//! Administrators manage the accounts of their local authority.

use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use ehc_storage::identity::sessions;
use ehc_storage::identity::users::{self, User};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::paging::{page, Page, PageQuery};
use crate::problems::{BadRequest, Conflict, Forbidden, NotFound, Unauthorized};
use crate::state::AppState;
use crate::workflow::access::require;
use ehc_domain::access::Action;

#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    pub job_title: Option<String>,
    pub specialism: Option<String>,
    pub organisation_id: String,
    pub organisation_name: String,
    /// `active`, `pending_totp` or `disabled`.
    pub status: String,
    pub second_factor: String,
    pub created_at: DateTime<Utc>,
}

fn view((u, organisation_name): (User, String)) -> UserView {
    UserView {
        id: u.id,
        email: u.email,
        name: u.name,
        role: u.role,
        job_title: u.job_title,
        specialism: u.specialism,
        organisation_id: u.organisation_id,
        organisation_name,
        status: u.status,
        second_factor: u.mfa_channel,
        created_at: u.created_at.and_utc(),
    }
}

/// The users of your local authority (administrators).
#[utoipa::path(tag = "users", operation_id = "listUsers", security(("bearer" = [])), params(PageQuery), responses(
    (status = 200, body = Page<UserView>, description = "OK"),
    BadRequest,
    Unauthorized,
    Forbidden))]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    me: AuthUser,
    query: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    require(&me, Action::ManageUsers)?;
    let (limit, after) = (query.limit()?, query.after_id()?);
    let rows = state
        .tx(move |conn| Ok(users::users_of_local_authority(conn, &me.local_authority_id, after.as_deref(), limit + 1)?))
        .await?;
    Ok(HttpResponse::Ok().json(page(rows, limit, |(u, _)| u.id.clone(), view)))
}

/// Disable a user of your local authority: their sessions end at once.
#[utoipa::path(tag = "users", operation_id = "disableUser", security(("bearer" = [])), params(("id" = String, Path)), responses(
    (status = 204, description = "Disabled"),
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict))]
#[post("/users/{id}/disable")]
pub async fn disable_user(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    require(&me, Action::ManageUsers)?;
    let id = path.into_inner();
    if id == me.user_id {
        return Err(ApiError::Conflict("You cannot disable your own account.".to_owned()));
    }
    let now = state.now();
    state
        .tx(move |conn| {
            let user = users::user_in_local_authority(conn, &me.local_authority_id, &id)?;
            users::disable_user(conn, &user.id, now)?;
            sessions::revoke_all_sessions_of_user(conn, &user.id, "user_disabled", now)?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
