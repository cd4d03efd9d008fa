//! The logged-in user's own profile and second factor.

use actix_web::{get, patch, post, put, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::identity::{account, memberships};
use crate::json::ValidatedJson;
use crate::problems::{BadRequest, Conflict, Invalid, NotFound, TooManyRequests, Unauthorized, Unavailable};
use crate::state::AppState;
use crate::views::identity::MfaStep;
use crate::views::identity::{Me, SecondFactorChanged};
use ehc_domain::second_factor::SecondFactor;

/// The caller's own account.
///
/// Name, role and organisation in the council this session acts for, the councils they belong to,
/// pending invitations from other councils, and the (masked) second factor.
#[utoipa::path(tag = "me", operation_id = "getMe", security(("bearer" = [])), responses(
    (status = 200, body = Me, description = "OK"),
    Unauthorized))]
#[get("/me")]
pub async fn get_me(state: web::Data<AppState>, me: AuthUser) -> ApiResult<HttpResponse> {
    let view = account::profile(&state, me).await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Sam Patel", "job_title": "SENCo"}))]
pub struct EditProfile {
    /// Your name, as every council shows it.
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    /// Your job title in the council the session acts for; `null` clears it.
    #[serde(default, deserialize_with = "crate::json::present")]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub job_title: Option<Option<String>>,
}

/// Change your name or job title.
///
/// Only the fields given change; the job title is per council. Audited.
#[utoipa::path(tag = "me", operation_id = "editMe", security(("bearer" = [])), request_body = EditProfile, responses(
    (status = 200, body = Me, description = "Your profile"),
    BadRequest,
    Unauthorized,
    Invalid))]
#[patch("/me")]
pub async fn edit_me(
    state: web::Data<AppState>,
    me: AuthUser,
    body: ValidatedJson<EditProfile>,
) -> ApiResult<HttpResponse> {
    let EditProfile { name, job_title } = body.0;
    Ok(HttpResponse::Ok().json(account::edit_profile(&state, me, name, job_title).await?))
}

/// Start changing the second step.
///
/// Sends a fresh code to the current phone (authenticator users read one from their app); answers
/// the step token for `changeSecondFactor`.
#[utoipa::path(tag = "me", operation_id = "startSecondFactorChange", security(("bearer" = [])), responses(
    (status = 200, body = MfaStep, description = "OK"),
    Unauthorized,
    TooManyRequests,
    Unavailable))]
#[post("/me/second-factor/challenge")]
pub async fn start_factor_change(state: web::Data<AppState>, me: AuthUser) -> ApiResult<HttpResponse> {
    let step = account::start_factor_change(&state, me).await?;
    Ok(HttpResponse::Ok().json(step))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"mfa_token": "eyJ…", "code": "492039", "channel": "voice", "phone": "01709 382121"}))]
pub struct ChangeSecondFactor {
    /// From `POST /api/v1/me/second-factor/challenge`.
    pub mfa_token: String,
    /// A fresh code from the current second factor.
    #[validate(length(min = 1, max = 32))]
    #[schema(min_length = 1, max_length = 32)]
    pub code: String,
    pub channel: SecondFactor,
    pub phone: Option<String>,
}

/// Change the second step.
///
/// Proven by a fresh code from the current one (`startSecondFactorChange`). You are told by e-mail;
/// audited.
#[utoipa::path(tag = "me", operation_id = "changeSecondFactor", security(("bearer" = [])), request_body = ChangeSecondFactor, responses(
    (status = 200, body = SecondFactorChanged, description = "OK"),
    BadRequest,
    Unauthorized,
    Invalid,
    TooManyRequests))]
#[put("/me/second-factor")]
pub async fn change_second_factor(
    state: web::Data<AppState>,
    me: AuthUser,
    body: ValidatedJson<ChangeSecondFactor>,
) -> ApiResult<HttpResponse> {
    let b = body.0;
    let changed = account::change_second_factor(&state, me, b.mfa_token, b.code, b.channel, b.phone).await?;
    Ok(HttpResponse::Ok().json(changed))
}

/// Join another council with the account you have.
///
/// You become a member of that council (its role, its organisation) and take the places it holds
/// for you on its cases.
#[utoipa::path(tag = "me", operation_id = "acceptMembershipInvitation", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "An invitation listed in `invitations` of `GET /api/v1/me`")), responses(
    (status = 204, description = "Accepted: the council is listed in your memberships"),
    Unauthorized,
    NotFound,
    Conflict))]
#[post("/me/invitations/{id}/accept")]
pub async fn accept_membership_invitation(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    memberships::accept(&state, me, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"local_authority_id": "0193a5c2-7d1e-7c3a-9f4b-2e8d6a1b0c9f"}))]
pub struct ChooseCouncil {
    /// One of your active memberships.
    #[schema(format = Uuid)]
    pub local_authority_id: String,
}

/// Choose the council this session acts for.
///
/// Its cases and its role for the caller apply from the next request. `myRequests` lists work in
/// every council, each row naming its council.
#[utoipa::path(tag = "me", operation_id = "chooseCouncil", security(("bearer" = [])), request_body = ChooseCouncil, responses(
    (status = 200, body = Me, description = "Your profile as the chosen council knows you"),
    BadRequest,
    Unauthorized,
    Invalid))]
#[put("/me/council")]
pub async fn choose_council(
    state: web::Data<AppState>,
    me: AuthUser,
    body: ValidatedJson<ChooseCouncil>,
) -> ApiResult<HttpResponse> {
    let chosen = body.0.local_authority_id;
    let view = account::profile_in(&state, me, chosen).await?;
    Ok(HttpResponse::Ok().json(view))
}
