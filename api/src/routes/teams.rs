//! Team inboxes: requests can be addressed to a team, whose coordinator
//! assigns a practitioner and whose manager endorses advice (seed 000).

use actix_web::{get, post, put, web, HttpResponse};
use ehc_domain::roles::TeamRole;
use ehc_storage::casework::teams::{self, Team};
use ehc_storage::error::OptionalExt;
use ehc_storage::identity::{organisations, users};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::json::ValidatedJson;
use crate::problems::{BadRequest, Conflict, Forbidden, Invalid, NotFound, Unauthorized};
use crate::state::AppState;
use crate::workflow::access::require;
use ehc_domain::access::Action;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"organisation_id": "01936b2e-1c1f-7cc2-9d1e-7f1f3c1a2b3c", "name": "Children's Social Care DSCO"}))]
pub struct CreateTeam {
    pub organisation_id: uuid::Uuid,
    #[validate(length(min = 1, max = 200))]
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TeamMemberView {
    pub user_id: String,
    /// member, coordinator or manager.
    pub team_role: TeamRole,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TeamView {
    pub id: String,
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

fn require_staff(me: &AuthUser) -> Result<(), ApiError> {
    require(me, Action::ManageTeams)
}

/// Create a team inbox in an organisation of your authority.
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
    require_staff(&me)?;
    let now = state.now();
    let team = state
        .tx(move |conn| {
            let org = organisations::organisation_in_local_authority(
                conn,
                &me.local_authority_id,
                &body.0.organisation_id.to_string(),
            )
            .optional()?
            .ok_or_else(|| {
                ApiError::validation("/organisation_id", "unknown", "is not an organisation of your local authority")
            })?;
            Ok(teams::create_team(conn, &me.local_authority_id, &org.id, body.0.name.trim(), now)?)
        })
        .await?;
    Ok(HttpResponse::Created().json(view(team, Vec::new())))
}

/// Teams of your authority, with their members.
#[utoipa::path(tag = "teams", operation_id = "listTeams", security(("bearer" = [])), responses(
    (status = 200, body = Vec<TeamView>, description = "OK"),
    Unauthorized,
    Forbidden))]
#[get("/teams")]
pub async fn list_teams(state: web::Data<AppState>, me: AuthUser) -> ApiResult<HttpResponse> {
    require_staff(&me)?;
    let out = state
        .tx(move |conn| {
            let mut out = Vec::new();
            for team in teams::teams_of_local_authority(conn, &me.local_authority_id)? {
                let members = teams::members(conn, &team.id)?;
                out.push(view(team, members));
            }
            Ok(out)
        })
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"team_role": "coordinator"}))]
pub struct SetMember {
    /// member, coordinator or manager.
    pub team_role: TeamRole,
}

/// Add a user to a team, or change their role in it.
#[utoipa::path(tag = "teams", operation_id = "setTeamMember", security(("bearer" = [])), request_body = SetMember,
    params(("id" = String, Path), ("user_id" = String, Path)), responses(
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
    require_staff(&me)?;
    let role = body.0.team_role;
    let (team_id, user_id) = path.into_inner();
    let team = state
        .tx(move |conn| {
            let team = teams::team_in_local_authority(conn, &me.local_authority_id, &team_id)?;
            users::user_in_local_authority(conn, &me.local_authority_id, &user_id)?;
            teams::set_member(conn, &team.id, &user_id, role)?;
            let members = teams::members(conn, &team.id)?;
            Ok(view(team, members))
        })
        .await?;
    Ok(HttpResponse::Ok().json(team))
}
