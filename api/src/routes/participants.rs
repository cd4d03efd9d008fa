//! Who takes part in a case. Access to a case is by participation only.

use actix_web::{delete, get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use ehc_domain::cases::ParticipantKind;
use ehc_domain::email::normalise_email;
use ehc_domain::roles::Role;
use ehc_storage::casework::participants::{self, Participant, Who};
use ehc_storage::casework::teams;
use ehc_storage::error::OptionalExt;
use ehc_storage::identity::users;
use ehc_storage::DbConn;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::audit;
use crate::auth::AuthUser;
use crate::casework::{require_officer, visible_case};
use crate::error::{ApiError, ApiResult, Problem};
use crate::json::ValidatedJson;
use crate::state::AppState;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteParticipant {
    pub email: String,
    #[validate(length(min = 1, max = 200))]
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

#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipantView {
    pub id: String,
    /// professional, team_inbox, parent_carer, young_person or officer.
    pub kind: String,
    pub user_id: Option<String>,
    pub team_id: Option<String>,
    pub name: Option<String>,
    /// Invited, not yet registered.
    pub pending: bool,
    pub added_at: DateTime<Utc>,
}

pub fn view((p, user_name, team_name): (Participant, Option<String>, Option<String>)) -> ParticipantView {
    ParticipantView {
        pending: p.pending_email.is_some(),
        name: user_name.or(team_name),
        id: p.id,
        kind: p.kind,
        user_id: p.user_id,
        team_id: p.team_id,
        added_at: p.added_at.and_utc(),
    }
}

fn kind_for_role(role: &str) -> &'static str {
    ParticipantKind::for_role(Role::parse(role)).as_str()
}

/// Adds a user of the authority to a case (used by requests for advice too).
pub fn add_user(
    conn: &mut DbConn,
    me: &AuthUser,
    case_id: &str,
    user_id: &str,
    now: chrono::NaiveDateTime,
) -> Result<Participant, ApiError> {
    let user = users::user_in_local_authority(conn, &me.local_authority_id, user_id)
        .optional()?
        .ok_or_else(|| ApiError::validation("/user_id", "unknown", "is not a user of your local authority"))?;
    Ok(participants::add_participant(conn, case_id, Who::User(&user.id), kind_for_role(&user.role), &me.user_id, now)?)
}

/// Add a professional, a team inbox, a parent/carer or the young person (officers).
#[utoipa::path(tag = "cases", operation_id = "addParticipant", security(("bearer" = [])), request_body = AddParticipant, params(("id" = String, Path)), responses(
    (status = 201, body = ParticipantView),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
    (status = 503, body = Problem, content_type = "application/problem+json", description = "The invitation e-mail could not be sent")))]
#[post("/cases/{id}/participants")]
pub async fn add_participant(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
    body: ValidatedJson<AddParticipant>,
) -> ApiResult<HttpResponse> {
    let case_id = path.into_inner();
    let body = body.0;
    let chosen = [body.user_id.is_some(), body.team_id.is_some(), body.invite.is_some()].iter().filter(|b| **b).count();
    let now = state.now();
    let check_me = me.clone();
    let check_case = case_id.clone();
    state.tx(move |conn| visible_case(conn, &check_me, &check_case).map(|_| ())).await?;
    require_officer(&me)?;
    if chosen != 1 {
        return Err(ApiError::validation("", "one_of", "give exactly one of user_id, team_id or invite"));
    }
    if let Some(invite) = body.invite {
        // Invite through the normal invitation path, then hold their place.
        let email = normalise_email(&invite.email).map_err(|m| ApiError::validation("/invite/email", "invalid", m))?;
        let role = invite.role;
        let request = crate::routes::invitations::CreateInvitation {
            email: email.clone(),
            name: invite.name,
            role,
            organisation_id: None,
            job_title: None,
            specialism: invite.specialism,
        };
        crate::routes::invitations::invite(&state, &me, request).await?;
        let kind = kind_for_role(role.as_str());
        let row = state
            .tx(move |conn| {
                let p = participants::add_participant(conn, &case_id, Who::Invitee(&email), kind, &me.user_id, now)?;
                audit::record(conn, &me, "participant.add", Some(&case_id), Some(&p.id))?;
                Ok(view((p, None, None)))
            })
            .await?;
        return Ok(HttpResponse::Created().json(row));
    }
    let row = state
        .tx(move |conn| {
            let p = match (body.user_id, body.team_id) {
                (Some(user_id), _) => add_user(conn, &me, &case_id, &user_id.to_string(), now)?,
                (_, Some(team_id)) => {
                    let team = teams::team_in_local_authority(conn, &me.local_authority_id, &team_id.to_string())
                        .optional()?
                        .ok_or_else(|| {
                            ApiError::validation("/team_id", "unknown", "is not a team of your local authority")
                        })?;
                    participants::add_participant(conn, &case_id, Who::Team(&team.id), "team_inbox", &me.user_id, now)?
                }
                _ => return Err(ApiError::internal("participant without a subject")),
            };
            audit::record(conn, &me, "participant.add", Some(&case_id), Some(&p.id))?;
            let names = participants::current_with_names(conn, &case_id)?;
            names.into_iter().find(|(q, _, _)| q.id == p.id).map(view).ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(HttpResponse::Created().json(row))
}

/// Who takes part in the case.
#[utoipa::path(tag = "cases", operation_id = "listParticipants", security(("bearer" = [])), params(("id" = String, Path)), responses(
    (status = 200, body = Vec<ParticipantView>),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/cases/{id}/participants")]
pub async fn list_participants(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let case_id = path.into_inner();
    let rows = state
        .tx(move |conn| {
            visible_case(conn, &me, &case_id)?;
            let rows = participants::current_with_names(conn, &case_id)?.into_iter().map(view).collect::<Vec<_>>();
            audit::record(conn, &me, "participant.list", Some(&case_id), None)?;
            Ok(rows)
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows))
}

/// Remove someone from a case (officers): they lose access at once.
#[utoipa::path(tag = "cases", operation_id = "removeParticipant", security(("bearer" = [])), params(("id" = String, Path), ("participant_id" = String, Path)), responses(
    (status = 204, description = "Removed"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json")))]
#[delete("/cases/{id}/participants/{participant_id}")]
pub async fn remove_participant(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (case_id, participant_id) = path.into_inner();
    let now = state.now();
    state
        .tx(move |conn| {
            visible_case(conn, &me, &case_id)?;
            require_officer(&me)?;
            participants::remove_participant(conn, &case_id, &participant_id, now)?;
            audit::record(conn, &me, "participant.remove", Some(&case_id), Some(&participant_id))
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
