//! Team inboxes: requests can be addressed to a team, whose coordinator
//! assigns a practitioner and whose manager endorses advice (seed 000).

use actix_web::http::header::LOCATION;
use actix_web::{get, post, put, web, HttpResponse};
use ehc_domain::roles::TeamRole;
use ehc_storage::casework::teams::Team;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::json::ValidatedJson;
use crate::paging::{page_of, Page, PageQuery};
use crate::problems::{BadRequest, Conflict, Forbidden, Invalid, NotFound, Unauthorized};
use crate::state::AppState;
use crate::workflow::authority;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"organisation_id": "01936b2e-1c1f-7cc2-9d1e-7f1f3c1a2b3c", "name": "Children's Social Care DSCO"}))]
pub struct CreateTeam {
    pub organisation_id: uuid::Uuid,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TeamMemberView {
    #[schema(format = Uuid)]
    pub user_id: String,
    /// member, coordinator or manager.
    pub team_role: TeamRole,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TeamView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub organisation_id: String,
    pub name: String,
    pub members: Vec<TeamMemberView>,
}

fn view(team: Team, members: Vec<(String, TeamRole)>) -> TeamView {
    TeamView {
        id: team.id,
        organisation_id: team.organisation_id,
        name: team.name,
        members: members.into_iter().map(|(user_id, team_role)| TeamMemberView { user_id, team_role }).collect(),
    }
}

/// Create a team inbox.
///
/// In an organisation of the council. Administrators and the assessment team.
#[utoipa::path(tag = "teams", operation_id = "createTeam", security(("bearer" = [])), request_body = CreateTeam, responses(
    (status = 201, body = TeamView, description = "Created"),
    BadRequest,
    Unauthorized,
    Forbidden,
    Conflict,
    Invalid))]
#[post("/teams")]
pub async fn create_team(
    state: web::Data<AppState>,
    me: AuthUser,
    body: ValidatedJson<CreateTeam>,
) -> ApiResult<HttpResponse> {
    let b = body.0;
    let team = authority::create_team(&state, me, b.organisation_id.to_string(), b.name).await?;
    // Teams have no page of their own: they are found in the list.
    Ok(HttpResponse::Created().insert_header((LOCATION, "/api/v1/teams")).json(view(team, Vec::new())))
}

/// Team inboxes of the caller's council, with their members.
///
/// Staff of the council. Paged with `limit` and `cursor`.
#[utoipa::path(tag = "teams", operation_id = "listTeams", security(("bearer" = [])), params(PageQuery), responses(
    (status = 200, body = Page<TeamView>, description = "OK"),
    Unauthorized,
    Forbidden))]
#[get("/teams")]
pub async fn list_teams(
    state: web::Data<AppState>,
    me: AuthUser,
    query: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let out: Vec<TeamView> =
        authority::teams(&state, me).await?.into_iter().map(|(team, members)| view(team, members)).collect();
    Ok(HttpResponse::Ok().json(page_of(out, &query, |t| t.id.clone())?))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"team_role": "coordinator"}))]
pub struct SetMember {
    /// member, coordinator or manager.
    pub team_role: TeamRole,
}

/// Add a user to a team, or change their role in it.
///
/// Roles: `member`, `coordinator` (assigns the team's requests), `manager` (endorses its advice).
/// Nobody changes their own role; the team's managers are told of every change; audited.
#[utoipa::path(tag = "teams", operation_id = "setTeamMember", security(("bearer" = [])), request_body = SetMember,
    params(("id" = uuid::Uuid, Path, description = "The team's id"), ("user_id" = uuid::Uuid, Path, description = "The user's id")), responses(
    (status = 200, body = TeamView, description = "OK"),
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    Invalid))]
#[put("/teams/{id}/members/{user_id}")]
pub async fn set_team_member(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<(String, String)>,
    body: ValidatedJson<SetMember>,
) -> ApiResult<HttpResponse> {
    let (team_id, user_id) = path.into_inner();
    let (team, members) = authority::set_team_member(&state, me, team_id, user_id, body.0.team_role).await?;
    let team = view(team, members);
    Ok(HttpResponse::Ok().json(team))
}
