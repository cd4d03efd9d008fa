//! Who takes part in a case. Access to a case is by participation only.

use actix_web::{delete, get, post, web, HttpResponse};
use ehc_domain::cases::ParticipantKind;
use ehc_domain::email::normalise_email;
use ehc_domain::roles::Role;
use ehc_storage::casework::participants::{self, Who};
use ehc_storage::casework::teams;
use ehc_storage::error::OptionalExt;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::audit;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::json::ValidatedJson;
use crate::problems::{BadRequest, Forbidden, Invalid, NotFound, Unauthorized, Unavailable};
use crate::state::AppState;
use crate::views::cases::{participant_view, ParticipantView};
use crate::workflow::access::{require, visible_case};
use crate::workflow::participants::{add_user, unknown_user};
use ehc_domain::access::Action;

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

/// Add a professional, a team inbox, a parent/carer or the young person (officers).
#[utoipa::path(tag = "cases", operation_id = "addParticipant", security(("bearer" = [])), request_body = AddParticipant, params(("id" = String, Path)), responses(
    (status = 201, body = ParticipantView, description = "Created"),
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    Invalid,
    Unavailable))]
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
    require(&me, Action::ManageParticipants)?;
    if chosen != 1 {
        return Err(ApiError::validation("", "one_of", "give exactly one of user_id, team_id or invite"));
    }
    if let Some(invite) = body.invite {
        // Invite through the normal invitation path, then hold their place.
        let email = normalise_email(&invite.email).map_err(|m| ApiError::validation("/invite/email", "invalid", m))?;
        let role = invite.role;
        let request = crate::workflow::invitations::CreateInvitation {
            email: email.clone(),
            name: invite.name,
            role,
            organisation_id: None,
            job_title: None,
            specialism: invite.specialism,
        };
        crate::workflow::invitations::invite(&state, &me, request).await?;
        let kind = ParticipantKind::for_role(Some(role));
        let row = state
            .tx(move |conn| {
                let p = participants::add_participant(conn, &case_id, Who::Invitee(&email), kind, &me.user_id, now)?;
                audit::record(conn, &me, "participant.add", Some(&case_id), Some(&p.id))?;
                Ok(participant_view((p, None, None)))
            })
            .await?;
        return Ok(HttpResponse::Created().json(row));
    }
    let row = state
        .tx(move |conn| {
            let p = match (body.user_id, body.team_id) {
                (Some(user_id), _) => {
                    add_user(conn, &me, &case_id, &user_id.to_string(), now)?.ok_or_else(|| unknown_user("/user_id"))?
                }
                (_, Some(team_id)) => {
                    let team = teams::team_in_local_authority(conn, &me.local_authority_id, &team_id.to_string())
                        .optional()?
                        .ok_or_else(|| {
                            ApiError::validation("/team_id", "unknown", "is not a team of your local authority")
                        })?;
                    participants::add_participant(
                        conn,
                        &case_id,
                        Who::Team(&team.id),
                        ParticipantKind::TeamInbox,
                        &me.user_id,
                        now,
                    )?
                }
                _ => return Err(ApiError::internal("participant without a subject")),
            };
            audit::record(conn, &me, "participant.add", Some(&case_id), Some(&p.id))?;
            let names = participants::current_with_names(conn, &case_id)?;
            names.into_iter().find(|(q, _, _)| q.id == p.id).map(participant_view).ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(HttpResponse::Created().json(row))
}

/// Who takes part in the case.
#[utoipa::path(tag = "cases", operation_id = "listParticipants", security(("bearer" = [])), params(("id" = String, Path)), responses(
    (status = 200, body = Vec<ParticipantView>, description = "OK"),
    Unauthorized,
    NotFound))]
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
            let rows =
                participants::current_with_names(conn, &case_id)?.into_iter().map(participant_view).collect::<Vec<_>>();
            audit::record(conn, &me, "participant.list", Some(&case_id), None)?;
            Ok(rows)
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows))
}

/// Remove someone from a case (officers): they lose access at once.
#[utoipa::path(tag = "cases", operation_id = "removeParticipant", security(("bearer" = [])), params(("id" = String, Path), ("participant_id" = String, Path)), responses(
    (status = 204, description = "Removed"),
    Unauthorized,
    Forbidden,
    NotFound))]
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
            require(&me, Action::ManageParticipants)?;
            participants::remove_participant(conn, &case_id, &participant_id, now)?;
            audit::record(conn, &me, "participant.remove", Some(&case_id), Some(&participant_id))
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
