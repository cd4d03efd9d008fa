//! Administrators manage the accounts of their local authority.

use actix_web::{get, post, put, web, HttpResponse};
use chrono::{DateTime, Utc};
use ehc_domain::roles::{AccountStatus, Role, Specialism};
use ehc_domain::second_factor::SecondFactor;
use ehc_storage::identity::users::User;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::json::ValidatedJson;
use crate::paging::{page, Page, PageQuery};
use crate::problems::{BadRequest, Conflict, Forbidden, NotFound, Unauthorized};
use crate::state::AppState;
use crate::workflow::{authority, factor_policy};

#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    #[schema(format = Uuid)]
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub job_title: Option<String>,
    pub specialism: Option<Specialism>,
    #[schema(format = Uuid)]
    pub organisation_id: String,
    pub organisation_name: String,
    pub status: AccountStatus,
    /// The account's own factor (never its secret).
    pub second_factor: SecondFactor,
    /// How many usable passkeys the account has besides.
    pub passkeys: i64,
    pub created_at: DateTime<Utc>,
}

fn view((u, organisation_name, passkeys): (User, String, i64)) -> UserView {
    UserView {
        id: u.id,
        email: u.email,
        name: u.name,
        role: u.role,
        job_title: u.job_title,
        specialism: u.specialism.as_deref().and_then(Specialism::parse),
        organisation_id: u.organisation_id,
        organisation_name,
        status: u.status,
        second_factor: u.mfa_channel,
        passkeys,
        created_at: u.created_at.and_utc(),
    }
}

/// The users of the caller's council.
///
/// Administrators. Paged with `limit` and `cursor`.
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
    let (limit, after) = (query.limit()?, query.after_id()?);
    let rows = authority::users_page(&state, me, after, limit).await?;
    Ok(HttpResponse::Ok().json(page(rows, limit, |(u, _, _)| u.id.clone(), view)))
}

/// Disable a user of the council.
///
/// Administrators. Their sessions end at once and they cannot log in; nobody disables themselves.
#[utoipa::path(tag = "users", operation_id = "disableUser", security(("bearer" = [])), params(("id" = uuid::Uuid, Path, description = "The user's id")), responses(
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
    authority::disable_user(&state, me, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Enable a disabled user again.
///
/// Administrators. They log in anew with their password and second step.
#[utoipa::path(tag = "users", operation_id = "enableUser", security(("bearer" = [])), params(("id" = uuid::Uuid, Path, description = "The user's id")), responses(
    (status = 204, description = "Enabled"),
    Unauthorized,
    Forbidden,
    NotFound))]
#[post("/users/{id}/enable")]
pub async fn enable_user(state: web::Data<AppState>, me: AuthUser, path: web::Path<String>) -> ApiResult<HttpResponse> {
    authority::enable_user(&state, me, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Your council's rule for its staff's second step.
#[derive(Debug, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct FactorPolicy {
    /// Administrators and officers must log in with a passkey or an
    /// authenticator app; a session opened by SMS or voice may only add one.
    pub strong_for_staff: bool,
}

/// The council's rule for its staff's second step.
///
/// Whether staff must use a passkey or an authenticator app rather than SMS or voice.
/// Administrators.
#[utoipa::path(tag = "users", operation_id = "getFactorPolicy", security(("bearer" = [])), responses(
    (status = 200, body = FactorPolicy, description = "OK"),
    Unauthorized,
    Forbidden))]
#[get("/factor-policy")]
pub async fn get_factor_policy(state: web::Data<AppState>, me: AuthUser) -> ApiResult<HttpResponse> {
    let strong_for_staff = factor_policy::read(&state, me).await?;
    Ok(HttpResponse::Ok().json(FactorPolicy { strong_for_staff }))
}

/// Set the council's rule for its staff's second step.
///
/// Staff who log in with a weaker factor may then only change their second factor until they meet
/// the rule. Administrators; audited.
#[utoipa::path(tag = "users", operation_id = "setFactorPolicy", security(("bearer" = [])), request_body = FactorPolicy, responses(
    (status = 200, body = FactorPolicy, description = "OK"),
    BadRequest,
    Unauthorized,
    Forbidden))]
#[put("/factor-policy")]
pub async fn set_factor_policy(
    state: web::Data<AppState>,
    me: AuthUser,
    body: ValidatedJson<FactorPolicy>,
) -> ApiResult<HttpResponse> {
    let strong_for_staff = factor_policy::set(&state, me, body.0.strong_for_staff).await?;
    Ok(HttpResponse::Ok().json(FactorPolicy { strong_for_staff }))
}
