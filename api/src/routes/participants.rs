//! Who takes part in a case. Access to a case is by participation only.

use actix_web::http::header::LOCATION;
use actix_web::{delete, get, post, web, HttpResponse};
use ehc_domain::roles::Role;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::json::ValidatedJson;
use crate::paging::{page_of, Page, PageQuery};
use crate::problems::{BadRequest, Conflict, Forbidden, Invalid, NotFound, Unauthorized, Unavailable};
use crate::state::AppState;
use crate::views::cases::ParticipantView;
use crate::workflow::participants::{self, Joining};

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteParticipant {
    #[schema(value_type = crate::views::EmailAddress)]
    pub email: String,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// parent_carer, young_person or professional.
    pub role: Role,
    pub specialism: Option<ehc_domain::roles::Specialism>,
}

/// Exactly one of `user_id`, `team_id` or `invite`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"user_id": "01936b2e-1c1f-7cc2-9d1e-7f1f3c1a2b3c"}))]
pub struct AddParticipant {
    pub user_id: Option<uuid::Uuid>,
    pub team_id: Option<uuid::Uuid>,
    /// Someone without an account: they are invited, and take part once registered.
    #[validate(nested)]
    pub invite: Option<InviteParticipant>,
}

/// Add someone to the case.
///
/// Assessment officers add a user or team inbox of the council, or invite a parent, carer or young
/// person by e-mail. The place is held until the invitee registers.
#[utoipa::path(tag = "cases", operation_id = "addParticipant", security(("bearer" = [])), request_body = AddParticipant, params(("id" = uuid::Uuid, Path, description = "The case's id")), responses(
    (status = 201, body = ParticipantView, description = "Created"),
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    Invalid,
    Unavailable))]
#[post("/cases/{id}/participants")]
pub async fn add_participant(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
    body: ValidatedJson<AddParticipant>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    let joining = match (body.user_id, body.team_id, body.invite) {
        (Some(user), None, None) => Joining::User(user.to_string()),
        (None, Some(team), None) => Joining::Team(team.to_string()),
        (None, None, Some(i)) => {
            Joining::Invitee { email: i.email, name: i.name, role: i.role, specialism: i.specialism }
        }
        _ => return Err(ApiError::validation("", "one_of", "give exactly one of user_id, team_id or invite")),
    };
    let case_id = path.into_inner();
    let row = participants::add(&state, me, case_id.clone(), joining).await?;
    let location = format!("/api/v1/cases/{case_id}/participants/{}", row.id);
    Ok(HttpResponse::Created().insert_header((LOCATION, location)).json(row))
}

/// Who takes part in the case.
///
/// Professionals, team inboxes, parents and carers, and the young person, with their role on the
/// case. Paged with `limit` and `cursor`.
#[utoipa::path(tag = "cases", operation_id = "listParticipants", security(("bearer" = [])), params(("id" = uuid::Uuid, Path, description = "The case's id"), PageQuery), responses(
    (status = 200, body = Page<ParticipantView>, description = "OK"),
    Unauthorized,
    NotFound))]
#[get("/cases/{id}/participants")]
pub async fn list_participants(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let rows = participants::list(&state, me, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(page_of(rows, &query, |p| p.id.clone())?))
}

/// Remove someone from the case.
///
/// Assessment officers. They lose access at once.
#[utoipa::path(tag = "cases", operation_id = "removeParticipant", security(("bearer" = [])), params(("id" = uuid::Uuid, Path, description = "The case's id"), ("participant_id" = uuid::Uuid, Path, description = "The participant's place on the case (its id in the participants list)"),
    ("If-Match" = Option<String>, Header, description = "The participant's `etag` (or `*`): 412 if it names another")), responses(
    (status = 204, description = "Removed"),
    Unauthorized,
    Forbidden,
    NotFound,
    crate::problems::Stale))]
#[delete("/cases/{id}/participants/{participant_id}")]
pub async fn remove_participant(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    me: AuthUser,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (case_id, participant_id) = path.into_inner();
    let if_match =
        req.headers().get(actix_web::http::header::IF_MATCH).map(|v| v.to_str().unwrap_or_default().to_owned());
    participants::remove(&state, me, case_id, participant_id, if_match).await?;
    Ok(HttpResponse::NoContent().finish())
}
