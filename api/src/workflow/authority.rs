//! The local authority's own records, kept by its staff: organisations,
//! team inboxes and their members, the closure calendars that decide
//! reg 10(4)(a)/(b), and who is told when an organisation's advice is late.

use chrono::NaiveDate;
use ehc_domain::access::Action;
use ehc_domain::field_error::FieldError;
use ehc_domain::messages;
use ehc_domain::roles::AccountStatus;
use ehc_domain::roles::{OrganisationKind, TeamRole};
use ehc_domain::statutory::Setting;
use ehc_storage::casework::alerts::{self, EscalationPolicy};
use ehc_storage::casework::closures::{self, ClosurePeriod};
use ehc_storage::casework::teams::{self, Team};
use ehc_storage::error::OptionalExt;
use ehc_storage::identity::organisations::{self, Organisation};
use ehc_storage::identity::{memberships, sessions, users};
use ehc_storage::{DbConn, StorageError};

use crate::audit;
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::state::AppState;
use crate::workflow::access::require;
use crate::workflow::case_events::{queue, Notice};

pub async fn organisations_page(
    state: &AppState,
    me: AuthUser,
    after: Option<String>,
    limit: i64,
) -> Result<Vec<Organisation>, ApiError> {
    require(&me, Action::ManageOrganisations)?;
    state
        .tx(move |conn| {
            Ok(organisations::list_organisations(conn, &me.local_authority_id, after.as_deref(), limit + 1)?)
        })
        .await
}

/// Registers an organisation, or finds the one of that name.
pub async fn register_organisation(
    state: &AppState,
    me: AuthUser,
    name: String,
    kind: OrganisationKind,
) -> Result<Organisation, ApiError> {
    require(&me, Action::ManageOrganisations)?;
    let now = state.now();
    state
        .tx(move |conn| {
            let la = &me.local_authority_id;
            Ok(organisations::find_or_create_organisation(conn, la, name.trim(), kind, now)?)
        })
        .await
}

/// A team with its members and their roles.
pub type TeamWithMembers = (Team, Vec<(String, TeamRole)>);

pub async fn create_team(
    state: &AppState,
    me: AuthUser,
    organisation_id: String,
    name: String,
) -> Result<Team, ApiError> {
    require(&me, Action::ManageTeams)?;
    let now = state.now();
    state
        .tx(move |conn| {
            let org = organisations::organisation_in_local_authority(conn, &me.local_authority_id, &organisation_id)
                .optional()?
                .ok_or_else(|| {
                    ApiError::validation(
                        "/organisation_id",
                        "unknown",
                        "is not an organisation of your local authority",
                    )
                })?;
            Ok(teams::create_team(conn, &me.local_authority_id, &org.id, name.trim(), now)?)
        })
        .await
}

pub async fn teams(state: &AppState, me: AuthUser) -> Result<Vec<TeamWithMembers>, ApiError> {
    require(&me, Action::ManageTeams)?;
    state
        .tx(move |conn| {
            let mut out = Vec::new();
            for team in teams::teams_of_local_authority(conn, &me.local_authority_id)? {
                let members = teams::members(conn, &team.id)?;
                out.push((team, members));
            }
            Ok(out)
        })
        .await
}

/// Adds a user of the authority to one of its teams, or changes their role.
pub async fn set_team_member(
    state: &AppState,
    me: AuthUser,
    team_id: String,
    user_id: String,
    role: TeamRole,
) -> Result<TeamWithMembers, ApiError> {
    require(&me, Action::ManageTeams)?;
    if user_id == me.user_id {
        require(&me, Action::SetOwnTeamRole)?;
    }
    let st = state.clone();
    state
        .tx(move |conn| {
            let team = teams::team_in_local_authority(conn, &me.local_authority_id, &team_id)?;
            users::user_in_local_authority(conn, &me.local_authority_id, &user_id)?;
            teams::set_member(conn, &team.id, &user_id, role)?;
            // Team roles decide who reads and endorses advice: every change is recorded.
            audit::record(conn, &me, "team.member.set", None, Some(&team.id))?;
            let members = teams::members(conn, &team.id)?;
            let managers: Vec<String> =
                members.iter().filter(|(_, r)| *r == TeamRole::Manager).map(|(u, _)| u.clone()).collect();
            let text = messages::team_role_changed_email(&st.service_name, &team.name, &st.public_url);
            queue(conn, &st, Notice { event: "team.member.set", case_id: None, text }, managers, &me.user_id)?;
            Ok((team, members))
        })
        .await
}

/// A closure to add to the calendar.
pub struct NewClosure {
    pub setting: Setting,
    pub first_closed_on: NaiveDate,
    pub reopens_on: NaiveDate,
    pub description: String,
}

pub async fn add_closure(state: &AppState, me: AuthUser, new: NewClosure) -> Result<ClosurePeriod, ApiError> {
    require(&me, Action::ManageClosures)?;
    if new.reopens_on <= new.first_closed_on {
        return Err(ApiError::validation("/reopens_on", "before_closure", "must be after first_closed_on"));
    }
    let period = ClosurePeriod {
        id: ehc_storage::new_id(),
        local_authority_id: me.local_authority_id.clone(),
        setting: new.setting,
        first_closed_on: new.first_closed_on,
        reopens_on: new.reopens_on,
        description: new.description.trim().to_owned(),
        created_by: me.user_id.clone(),
        created_at: state.now(),
    };
    let stored = period.clone();
    state.tx(move |conn| Ok(closures::insert(conn, &stored)?)).await?;
    Ok(period)
}

pub async fn closures(state: &AppState, me: AuthUser) -> Result<Vec<ClosurePeriod>, ApiError> {
    require(&me, Action::ReadClosures)?;
    state.tx(move |conn| Ok(closures::of_local_authority(conn, &me.local_authority_id)?)).await
}

pub async fn remove_closure(state: &AppState, me: AuthUser, id: String) -> Result<(), ApiError> {
    require(&me, Action::ManageClosures)?;
    state.tx(move |conn| Ok(closures::delete(conn, &me.local_authority_id, &id)?)).await
}

/// The organisation (id) and its policy, if one was set.
pub type Escalation = (String, Option<EscalationPolicy>);

pub async fn escalation(state: &AppState, me: AuthUser, organisation_id: String) -> Result<Escalation, ApiError> {
    require(&me, Action::ManageEscalation)?;
    state
        .tx(move |conn| {
            let org = organisations::organisation_in_local_authority(conn, &me.local_authority_id, &organisation_id)?;
            let policy = alerts::policy_of(conn, &org.id)?;
            Ok((org.id, policy))
        })
        .await
}

/// Who is told, and when, about the organisation's late requests.
pub struct NewEscalation {
    pub service_manager_user_id: Option<String>,
    pub service_manager_after_days: i32,
    pub head_of_service_user_id: Option<String>,
}

/// A named manager must be an active user of the same local authority.
fn check_user(
    conn: &mut DbConn,
    me: &AuthUser,
    pointer: &str,
    id: Option<String>,
    errors: &mut Vec<FieldError>,
) -> Result<Option<String>, ApiError> {
    let Some(id) = id else { return Ok(None) };
    match users::user_in_local_authority(conn, &me.local_authority_id, &id) {
        Ok(u) if u.status == AccountStatus::Active => Ok(Some(id)),
        Ok(_) | Err(StorageError::NotFound) => {
            errors.push(FieldError::new(pointer, "unknown", "is not an active user of your local authority"));
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn set_escalation(
    state: &AppState,
    me: AuthUser,
    organisation_id: String,
    new: NewEscalation,
) -> Result<Escalation, ApiError> {
    require(&me, Action::ManageEscalation)?;
    let now = state.now();
    state
        .tx(move |conn| {
            let org = organisations::organisation_in_local_authority(conn, &me.local_authority_id, &organisation_id)?;
            let mut errors = Vec::new();
            let service_manager =
                check_user(conn, &me, "/service_manager_user_id", new.service_manager_user_id, &mut errors)?;
            let head_of_service =
                check_user(conn, &me, "/head_of_service_user_id", new.head_of_service_user_id, &mut errors)?;
            if !errors.is_empty() {
                return Err(ApiError::Validation(errors));
            }
            let policy = EscalationPolicy {
                organisation_id: org.id.clone(),
                service_manager_user_id: service_manager,
                service_manager_after_days: new.service_manager_after_days,
                head_of_service_user_id: head_of_service,
                updated_by: me.user_id.clone(),
                updated_at: now,
            };
            alerts::save_policy(conn, &policy)?;
            Ok((org.id, Some(policy)))
        })
        .await
}

/// A page of the authority's users with their organisations' names and how
/// many passkeys each has.
pub async fn users_page(
    state: &AppState,
    me: AuthUser,
    after: Option<String>,
    limit: i64,
) -> Result<Vec<(users::User, String, i64)>, ApiError> {
    require(&me, Action::ManageUsers)?;
    state
        .tx(move |conn| {
            let rows = users::users_of_local_authority(conn, &me.local_authority_id, after.as_deref(), limit + 1)?;
            let ids: Vec<String> = rows.iter().map(|(u, _)| u.id.clone()).collect();
            let counts = ehc_storage::identity::passkeys::usable_counts(conn, &ids)?;
            Ok(rows
                .into_iter()
                .map(|(u, org)| {
                    let n = counts.iter().find(|(id, _)| *id == u.id).map_or(0, |(_, n)| *n);
                    (u, org, n)
                })
                .collect())
        })
        .await
}

/// Disables a user's membership of the authority: its cases are closed to
/// them at once; an account with no other council is disabled outright.
pub async fn disable_user(state: &AppState, me: AuthUser, user_id: String) -> Result<(), ApiError> {
    require(&me, Action::ManageUsers)?;
    if user_id == me.user_id {
        return Err(ApiError::Conflict("You cannot disable your own account.".to_owned()));
    }
    let now = state.now();
    state
        .tx(move |conn| {
            let user = users::user_in_local_authority(conn, &me.local_authority_id, &user_id)?;
            // Only this council's membership ends; an account that works for
            // no other council is disabled with its sessions.
            memberships::disable(conn, &user.id, &me.local_authority_id, now)?;
            if !memberships::any_active(conn, &user.id)? {
                users::disable_user(conn, &user.id, now)?;
                sessions::revoke_all_sessions_of_user(conn, &user.id, "user_disabled", now)?;
            }
            audit::record(conn, &me, "membership.disable", None, Some(&user.id))?;
            Ok(())
        })
        .await
}

/// Enables a disabled user's membership of the authority again (and the
/// account, if disabling had closed it). Their old sessions stay ended.
pub async fn enable_user(state: &AppState, me: AuthUser, user_id: String) -> Result<(), ApiError> {
    require(&me, Action::ManageUsers)?;
    state
        .tx(move |conn| {
            let user = users::user_in_local_authority(conn, &me.local_authority_id, &user_id)?;
            memberships::enable(conn, &user.id, &me.local_authority_id)?;
            if users::user_by_id(conn, &user.id)?.status == AccountStatus::Disabled {
                users::set_status(conn, &user.id, AccountStatus::Active)?;
            }
            audit::record(conn, &me, "membership.enable", None, Some(&user.id))?;
            Ok(())
        })
        .await
}
