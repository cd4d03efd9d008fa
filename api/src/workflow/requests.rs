//! Requests for advice (seed 002): issued by the assessment team to a
//! professional or a team inbox, with a statutory due date; assigned by a
//! team inbox's coordinator; withdrawn when no longer needed.

use chrono::NaiveDate;
use ehc_domain::access::{Action, Facts};
use ehc_domain::advice::{check_addressee, check_request, AdviceArea, RequestStatus};
use ehc_domain::cases::ParticipantKind;
use ehc_domain::events::EventType;
use ehc_domain::messages::CaseEvent;
use ehc_domain::roles::Specialism;
use ehc_domain::statutory::advice_request_due;
use ehc_storage::casework::participants::{self, Who};
use ehc_storage::casework::requests::{self, AdviceRequest};
use ehc_storage::casework::{advice, alerts, teams};
use ehc_storage::error::OptionalExt;
use ehc_storage::DbConn;

use crate::audit;
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::partners::events;
use crate::state::AppState;
use crate::views::requests::if_match_holds;
use crate::views::requests::{request_view, AdviceRequestView};
use crate::workflow::access::{reaches, require, require_on, standing_of, visible_case, visible_request};
use crate::workflow::case_events;
use crate::workflow::participants::{add_user, unknown_user};

/// What an officer asks for; checked here, not in the handler.
pub struct NewRequest {
    pub specialism: Specialism,
    pub areas: Vec<AdviceArea>,
    pub addressee_user_id: Option<String>,
    pub addressee_team_id: Option<String>,
    pub cc: Vec<String>,
    pub notes: Option<String>,
    pub requested_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub due_in_working_days: Option<u32>,
    pub requires_endorsement: bool,
}

/// The case's request table as `me` sees it, with reminders and escalations.
pub fn views_of_case(conn: &mut DbConn, me: &AuthUser, case_id: &str) -> Result<Vec<AdviceRequestView>, ApiError> {
    let my_teams = crate::workflow::access::team_ids_of(conn, me)?;
    let mut in_person = None;
    let mut rows = Vec::new();
    for row in requests::requests_of_case(conn, case_id)? {
        if reaches(conn, me, &row.request, &mut in_person)? {
            rows.push(row);
        }
    }
    let ids: Vec<String> = rows.iter().map(|r| r.request.id.clone()).collect();
    let raised = alerts::alerts_of(conn, &ids)?;
    Ok(rows.into_iter().map(|r| request_view(r, &my_teams, &me.user_id, &raised)).collect())
}

const STALE: ApiError =
    ApiError::PreconditionFailed("The request changed since you read it: read it again (its etag) and retry.");

fn one_view(conn: &mut DbConn, me: &AuthUser, case_id: &str, request_id: &str) -> Result<AdviceRequestView, ApiError> {
    views_of_case(conn, me, case_id)?.into_iter().find(|v| v.id == request_id).ok_or(ApiError::NotFound)
}

pub async fn create(
    state: &AppState,
    me: AuthUser,
    case_id: String,
    new: NewRequest,
) -> Result<AdviceRequestView, ApiError> {
    let now = state.now();
    let requested_on = new.requested_on.unwrap_or(now.date());
    let due = advice_request_due(requested_on, now.date(), new.due_on, new.due_in_working_days, &state.bank_holidays);
    let to_user = new.addressee_user_id.is_some();
    let mut errors = check_request(new.specialism, &new.areas, to_user, new.addressee_team_id.is_some());
    errors.extend(due.as_ref().err().cloned().unwrap_or_default());
    let st = state.clone();
    state
        .tx(move |conn| {
            let case = visible_case(conn, &me, &case_id)?;
            require(&me, Action::IssueRequest)?;
            let due_on = match due {
                Ok(due_on) if errors.is_empty() => due_on,
                _ => return Err(ApiError::Validation(errors)),
            };
            let addressee_user = match &new.addressee_user_id {
                Some(u) => {
                    let p = add_user(conn, &me, &case.id, u, now)?.ok_or_else(|| unknown_user("/addressee_user_id"))?;
                    if let Some(wrong) = check_addressee(&new.areas, p.kind) {
                        return Err(ApiError::Validation(vec![wrong]));
                    }
                    p.user_id
                }
                None => None,
            };
            let addressee_team = match &new.addressee_team_id {
                Some(t) => {
                    let team = teams::team_in_local_authority(conn, &me.local_authority_id, t).optional()?.ok_or_else(
                        || {
                            ApiError::validation(
                                "/addressee_team_id",
                                "unknown",
                                "is not a team of your local authority",
                            )
                        },
                    )?;
                    participants::add_participant(
                        conn,
                        &case.id,
                        Who::Team(&team.id),
                        ParticipantKind::TeamInbox,
                        &me.user_id,
                        now,
                    )?;
                    Some(team.id)
                }
                None => None,
            };
            let mut cc = Vec::new();
            for (i, user) in new.cc.iter().enumerate() {
                let p = add_user(conn, &me, &case.id, user, now)?.ok_or_else(|| unknown_user(&format!("/cc/{i}")))?;
                cc.push(p.user_id.unwrap_or_default());
            }
            let request = AdviceRequest {
                id: ehc_storage::new_id(),
                case_id: case.id.clone(),
                specialism: new.specialism,
                areas: serde_json::to_string(&new.areas).map_err(ApiError::internal)?,
                addressee_user_id: addressee_user.clone(),
                addressee_team_id: addressee_team,
                assignee_user_id: None,
                cc: serde_json::to_string(&cc).map_err(ApiError::internal)?,
                notes: new.notes,
                requested_on,
                due_on,
                completed_on: None,
                status: RequestStatus::Open,
                requires_endorsement: new.requires_endorsement,
                created_by: me.user_id.clone(),
                created_at: now,
            };
            requests::insert_request(conn, &request)?;
            advice::ensure_advice(conn, &request.id, addressee_user.as_deref(), now)?;
            let told = match (&request.addressee_user_id, &request.addressee_team_id) {
                (Some(user), _) => vec![user.clone()],
                (None, Some(team)) => case_events::team_members_of(conn, team)?,
                _ => Vec::new(),
            };
            case_events::notify(conn, &st, &case, CaseEvent::RequestIssued, told, &me.user_id)?;
            events::record(conn, now, EventType::RequestIssued, &case, Some(&request), None)?;
            let shown = one_view(conn, &me, &case.id, &request.id)?;
            audit::record(conn, &me, "advice_request.create", Some(&case.id), Some(&request.id))?;
            Ok(shown)
        })
        .await
}

pub async fn list(state: &AppState, me: AuthUser, case_id: String) -> Result<Vec<AdviceRequestView>, ApiError> {
    state
        .tx(move |conn| {
            visible_case(conn, &me, &case_id)?;
            let rows = views_of_case(conn, &me, &case_id)?;
            audit::record(conn, &me, "advice_request.list", Some(&case_id), None)?;
            Ok(rows)
        })
        .await
}

/// A team inbox's request assigned to one of its members (the coordinator).
pub async fn assign(
    state: &AppState,
    me: AuthUser,
    request_id: String,
    assignee: String,
    if_match: Option<String>,
) -> Result<AdviceRequestView, ApiError> {
    let now = state.now();
    let state = state.clone();
    state
        .clone()
        .tx(move |conn| {
            let (request, case) = visible_request(conn, &me, &request_id)?;
            let standing = standing_of(conn, &me.user_id, &request, None)?;
            let advice = advice::advice_of(conn, &request.id)?.ok_or(ApiError::NotFound)?;
            require_on(Facts::on_advice(me.role, standing, advice.status), Action::Assign)?;
            if !if_match_holds(&request, if_match.as_deref()) {
                return Err(STALE);
            }
            if request.status != RequestStatus::Open {
                return Err(ApiError::Conflict(format!("The request is {}.", request.status)));
            }
            let team = request.addressee_team_id.clone().unwrap_or_default();
            if !teams::members(conn, &team)?.iter().any(|(u, _)| *u == assignee) {
                return Err(ApiError::validation("/user_id", "not_member", "is not a member of the addressed team"));
            }
            // The draft follows the request (teams need that when someone
            // leaves or is off sick); the hand-over is audited and the
            // previous author told. Whoever changed it stays an editor, so
            // they cannot endorse it later.
            let previous = request.author().map(str::to_owned).filter(|p| *p != assignee);
            requests::assign(conn, &request.id, &assignee)?;
            advice::set_author(conn, &request.id, &assignee)?;
            participants::add_participant(
                conn,
                &case.id,
                Who::User(&assignee),
                ParticipantKind::Professional,
                &me.user_id,
                now,
            )?;
            audit::record(conn, &me, "advice_request.assign", Some(&case.id), Some(&request.id))?;
            events::record(conn, now, EventType::RequestAssigned, &case, Some(&request), None)?;
            case_events::notify(conn, &state, &case, CaseEvent::RequestAssigned, vec![assignee.clone()], &me.user_id)?;
            if let Some(previous) = previous {
                if advice.revision > 1 {
                    audit::record(conn, &me, "advice.draft_handed_over", Some(&case.id), Some(&request.id))?;
                }
                case_events::notify(conn, &state, &case, CaseEvent::RequestReassigned, vec![previous], &me.user_id)?;
            }
            one_view(conn, &me, &case.id, &request.id)
        })
        .await
}

pub async fn withdraw(
    state: &AppState,
    me: AuthUser,
    request_id: String,
    if_match: Option<String>,
) -> Result<AdviceRequestView, ApiError> {
    state
        .tx(move |conn| {
            let (request, case) = visible_request(conn, &me, &request_id)?;
            require(&me, Action::WithdrawRequest)?;
            if !if_match_holds(&request, if_match.as_deref()) {
                return Err(STALE);
            }
            if !request.status.may_withdraw() {
                return Err(ApiError::Conflict("Completed requests cannot be withdrawn.".to_owned()));
            }
            requests::set_status(conn, &request.id, RequestStatus::Withdrawn, None)?;
            events::record(conn, me.request_at, EventType::RequestWithdrawn, &case, Some(&request), None)?;
            audit::record(conn, &me, "advice_request.withdraw", Some(&case.id), Some(&request.id))?;
            one_view(conn, &me, &case.id, &request.id)
        })
        .await
}
