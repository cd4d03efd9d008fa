//! Who takes part in a case (access to a case is by participation): an
//! officer adds and removes people, and a request for advice adds its
//! addressee and the people copied in.

use chrono::NaiveDateTime;
use ehc_domain::access::Action;
use ehc_domain::cases::ParticipantKind;
use ehc_domain::email::normalise_email;
use ehc_domain::roles::{Role, Specialism};
use ehc_storage::casework::participants::{self, Participant, Who};
use ehc_storage::casework::teams;
use ehc_storage::error::OptionalExt;
use ehc_storage::identity::users;
use ehc_storage::DbConn;

use crate::audit;
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::state::AppState;
use crate::views::cases::{participant_view, ParticipantView};
use crate::workflow::access::{require, visible_case};
use crate::workflow::invitations::{invite, CreateInvitation};

/// Adds a user of the caller's authority to a case; `None` when there is no
/// such user there (the caller names the field). Database errors stay errors.
pub fn add_user(
    conn: &mut DbConn,
    me: &AuthUser,
    case_id: &str,
    user_id: &str,
    now: NaiveDateTime,
) -> Result<Option<Participant>, ApiError> {
    let Some(user) = users::user_in_local_authority(conn, &me.local_authority_id, user_id).optional()? else {
        return Ok(None);
    };
    let kind = ParticipantKind::for_role(Some(user.role));
    Ok(Some(participants::add_participant(conn, case_id, Who::User(&user.id), kind, &me.user_id, now)?))
}

/// The error for a user id that names nobody of the caller's authority.
pub fn unknown_user(pointer: &str) -> ApiError {
    ApiError::validation(pointer, "unknown", "is not a user of your local authority")
}

/// Who is added: exactly one of a user, a team inbox or someone to invite.
pub enum Joining {
    User(String),
    Team(String),
    Invitee { email: String, name: String, role: Role, specialism: Option<Specialism> },
}

/// Adds a participant (officers). Someone without an account is invited
/// through the normal invitation path and their place held until they register.
pub async fn add(
    state: &AppState,
    me: AuthUser,
    case_id: String,
    joining: Joining,
) -> Result<ParticipantView, ApiError> {
    let now = state.now();
    let check_me = me.clone();
    let check_case = case_id.clone();
    state.tx(move |conn| visible_case(conn, &check_me, &check_case).map(|_| ())).await?;
    require(&me, Action::ManageParticipants)?;
    if let Joining::Invitee { email, name, role, specialism } = joining {
        let email = normalise_email(&email).map_err(|m| ApiError::validation("/invite/email", "invalid", m))?;
        let invitation =
            CreateInvitation { email: email.clone(), name, role, organisation_id: None, job_title: None, specialism };
        invite(state, &me, invitation).await?;
        let kind = ParticipantKind::for_role(Some(role));
        return state
            .tx(move |conn| {
                let p = participants::add_participant(conn, &case_id, Who::Invitee(&email), kind, &me.user_id, now)?;
                audit::record(conn, &me, "participant.add", Some(&case_id), Some(&p.id))?;
                Ok(participant_view((p, None, None)))
            })
            .await;
    }
    state
        .tx(move |conn| {
            let p = match joining {
                Joining::User(user_id) => {
                    add_user(conn, &me, &case_id, &user_id, now)?.ok_or_else(|| unknown_user("/user_id"))?
                }
                Joining::Team(team_id) => {
                    let team =
                        teams::team_in_local_authority(conn, &me.local_authority_id, &team_id).optional()?.ok_or_else(
                            || ApiError::validation("/team_id", "unknown", "is not a team of your local authority"),
                        )?;
                    let who = Who::Team(&team.id);
                    participants::add_participant(conn, &case_id, who, ParticipantKind::TeamInbox, &me.user_id, now)?
                }
                Joining::Invitee { .. } => return Err(ApiError::internal("an invitee is added above")),
            };
            audit::record(conn, &me, "participant.add", Some(&case_id), Some(&p.id))?;
            let names = participants::current_with_names(conn, &case_id)?;
            names.into_iter().find(|(q, _, _)| q.id == p.id).map(participant_view).ok_or(ApiError::NotFound)
        })
        .await
}

pub async fn list(state: &AppState, me: AuthUser, case_id: String) -> Result<Vec<ParticipantView>, ApiError> {
    state
        .tx(move |conn| {
            visible_case(conn, &me, &case_id)?;
            let rows: Vec<ParticipantView> =
                participants::current_with_names(conn, &case_id)?.into_iter().map(participant_view).collect();
            audit::record(conn, &me, "participant.list", Some(&case_id), None)?;
            Ok(rows)
        })
        .await
}

/// Removes someone from a case (officers): they lose access at once.
pub async fn remove(
    state: &AppState,
    me: AuthUser,
    case_id: String,
    participant_id: String,
    if_match: Option<String>,
) -> Result<(), ApiError> {
    let now = state.now();
    state
        .tx(move |conn| {
            visible_case(conn, &me, &case_id)?;
            require(&me, Action::ManageParticipants)?;
            let current = crate::views::cases::fixed_etag('p', &participant_id);
            let stale = !crate::views::if_match_holds(if_match.as_deref(), &current);
            participants::remove_participant(conn, &case_id, &participant_id, now)?;
            // Checked once the participant is known to be there (404 first);
            // a refusal rolls the removal back.
            if stale {
                return Err(ApiError::PreconditionFailed("If-Match does not name this participant."));
            }
            audit::record(conn, &me, "participant.remove", Some(&case_id), Some(&participant_id))
        })
        .await
}
