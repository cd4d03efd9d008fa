//! Requests for advice (seed 002): issued by the assessment team to a
//! professional or a team inbox, with a statutory due date.

use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use ehc_domain::advice::{check_addressee, check_request, AdviceArea};
use ehc_domain::cases::advice_due_on;
use ehc_domain::cases::ParticipantKind;
use ehc_domain::field_error::FieldError;
use ehc_domain::roles::Specialism;
use ehc_domain::statutory::add_working_days;
use ehc_storage::casework::advice;
use ehc_storage::casework::participants::{self, Who};
use ehc_storage::casework::requests::{self, AdviceRequest, RequestRow, COMPLETED, OPEN, WITHDRAWN};
use ehc_storage::casework::teams;
use ehc_storage::error::OptionalExt;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::audit;
use crate::auth::AuthUser;
use crate::case_events;
use crate::casework::{coordinates, require_officer, visible_case, visible_request};
use crate::error::{ApiError, ApiResult, Problem};
use crate::json::ValidatedJson;
use crate::routes::participants::add_user;
use crate::state::AppState;
use ehc_domain::messages::CaseEvent;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"specialism": "social_care", "areas": ["social_care"], "addressee_team_id": "01936b2e-1c1f-7cc2-9d1e-7f1f3c1a2b3c",
    "cc": [], "notes": "Please include the PEP.", "requires_endorsement": true}))]
pub struct CreateAdviceRequest {
    pub specialism: Specialism,
    /// The advice areas asked.
    pub areas: Vec<AdviceArea>,
    /// A practitioner, or else...
    pub addressee_user_id: Option<uuid::Uuid>,
    /// ...a team inbox, whose coordinator assigns a practitioner.
    pub addressee_team_id: Option<uuid::Uuid>,
    /// Users copied in (they join the case).
    #[serde(default)]
    pub cc: Vec<uuid::Uuid>,
    #[validate(length(max = 5000))]
    pub notes: Option<String>,
    /// Default today.
    pub requested_on: Option<NaiveDate>,
    /// Default `requested_on` + 6 weeks (reg 8(1)).
    pub due_on: Option<NaiveDate>,
    /// A local service standard counted in working days instead (Monday to
    /// Friday, not bank holidays in England and Wales), e.g. 10 for a DSCO's
    /// two weeks (seed 000). Give this or `due_on`, not both.
    #[validate(range(min = 1, max = 60, message = "must be between 1 and 60 working days"))]
    pub due_in_working_days: Option<u32>,
    /// Advice goes to the practitioner's team manager before it is published.
    #[serde(default)]
    pub requires_endorsement: bool,
}

/// A row of the request table a professional sees for a case (seed 002).
#[derive(Debug, Serialize, ToSchema)]
pub struct AdviceRequestView {
    pub id: String,
    pub case_id: String,
    /// Who it is addressed to: a person or a team inbox.
    pub team_member: Option<String>,
    pub team: Option<String>,
    pub assignee: Option<String>,
    pub job_title: Option<String>,
    pub specialism: String,
    pub areas: Vec<AdviceArea>,
    pub cc: Vec<String>,
    pub notes: Option<String>,
    pub requested_on: NaiveDate,
    pub due_on: NaiveDate,
    pub completed_on: Option<NaiveDate>,
    /// open, completed or withdrawn.
    pub status: String,
    /// draft, awaiting_endorsement, returned, submitted or released.
    pub advice_status: Option<String>,
    pub requires_endorsement: bool,
    /// The row is addressed to you or to a team you belong to.
    pub addressed_to_me: bool,
    pub created_at: DateTime<Utc>,
    /// Reminders and escalations raised on this request, oldest first.
    pub alerts: Vec<AlertView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AlertView {
    /// reminder_due_in_7_days, reminder_due_today, escalated_to_team_manager,
    /// escalated_to_service_manager or escalated_to_head_of_service.
    pub kind: String,
    pub raised_on: NaiveDate,
    /// How many people were told.
    pub recipients: i32,
}

/// Fills in each view's reminders and escalations.
pub fn with_alerts(
    conn: &mut ehc_storage::DbConn,
    mut views: Vec<AdviceRequestView>,
) -> Result<Vec<AdviceRequestView>, ApiError> {
    let ids: Vec<String> = views.iter().map(|v| v.id.clone()).collect();
    for alert in ehc_storage::casework::alerts::alerts_of(conn, &ids)? {
        if let Some(v) = views.iter_mut().find(|v| v.id == alert.request_id) {
            v.alerts.push(AlertView { kind: alert.kind, raised_on: alert.raised_on, recipients: alert.recipients });
        }
    }
    // Raised on one day, they read in the order of the escalation ladder.
    for v in &mut views {
        v.alerts.sort_by_key(|a| (a.raised_on, ehc_domain::alerts::AlertKind::parse(&a.kind)));
    }
    Ok(views)
}

pub fn parse_areas(json: &str) -> Vec<AdviceArea> {
    serde_json::from_str(json).unwrap_or_default()
}

pub fn view(row: RequestRow, my_teams: &[String], me: &str) -> AdviceRequestView {
    let r = row.request;
    let addressed_to_me = r.addressee_user_id.as_deref() == Some(me)
        || r.assignee_user_id.as_deref() == Some(me)
        || r.addressee_team_id.as_ref().is_some_and(|t| my_teams.contains(t));
    AdviceRequestView {
        areas: parse_areas(&r.areas),
        cc: serde_json::from_str(&r.cc).unwrap_or_default(),
        id: r.id,
        case_id: r.case_id,
        team_member: row.addressee_name,
        team: row.team_name,
        assignee: row.assignee_name,
        job_title: row.addressee_job_title,
        specialism: r.specialism,
        notes: r.notes,
        requested_on: r.requested_on,
        due_on: r.due_on,
        completed_on: r.completed_on,
        status: r.status,
        advice_status: row.advice_status,
        requires_endorsement: r.requires_endorsement,
        addressed_to_me,
        created_at: r.created_at.and_utc(),
        alerts: Vec::new(),
    }
}

fn one_view(
    conn: &mut ehc_storage::DbConn,
    me: &AuthUser,
    case_id: &str,
    request_id: &str,
) -> Result<AdviceRequestView, ApiError> {
    let my_teams: Vec<String> = teams::memberships(conn, &me.user_id)?.into_iter().map(|(t, _)| t).collect();
    let one = requests::requests_of_case(conn, case_id)?
        .into_iter()
        .find(|r| r.request.id == request_id)
        .map(|r| view(r, &my_teams, &me.user_id))
        .ok_or(ApiError::NotFound)?;
    with_alerts(conn, vec![one])?.pop().ok_or(ApiError::NotFound)
}

/// Ask a professional or a team inbox for advice on a case (officers).
#[utoipa::path(tag = "advice requests", operation_id = "createAdviceRequest", security(("bearer" = [])), request_body = CreateAdviceRequest, params(("id" = String, Path)), responses(
    (status = 201, body = AdviceRequestView),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/cases/{id}/advice-requests")]
pub async fn create_advice_request(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
    body: ValidatedJson<CreateAdviceRequest>,
) -> ApiResult<HttpResponse> {
    let case_id = path.into_inner();
    let body = body.0;
    let now = state.now();
    let requested_on = body.requested_on.unwrap_or(now.date());
    let mut errors = Vec::new();
    let due_on = match (body.due_on, body.due_in_working_days) {
        (Some(_), Some(_)) => {
            errors.push(FieldError::new(
                "/due_in_working_days",
                "one_of",
                "give due_on or due_in_working_days, not both",
            ));
            advice_due_on(requested_on)
        }
        (Some(due), None) => due,
        (None, Some(days)) => add_working_days(requested_on, days, &state.bank_holidays),
        (None, None) => advice_due_on(requested_on),
    };
    errors.extend(check_request(
        body.specialism,
        &body.areas,
        body.addressee_user_id.is_some(),
        body.addressee_team_id.is_some(),
    ));
    if due_on < requested_on {
        errors.push(FieldError::new("/due_on", "before_request", "cannot be before the request date"));
    }
    if requested_on > now.date() {
        errors.push(FieldError::new("/requested_on", "in_future", "cannot be in the future"));
    }
    let view_me = me.clone();
    let st = state.get_ref().clone();
    let request = state
        .tx(move |conn| {
            let case = visible_case(conn, &me, &case_id)?;
            require_officer(&me)?;
            if !errors.is_empty() {
                return Err(ApiError::Validation(errors));
            }
            let addressee_user = match body.addressee_user_id {
                Some(u) => {
                    let p = add_user(conn, &me, &case.id, &u.to_string(), now).map_err(|_| {
                        ApiError::validation("/addressee_user_id", "unknown", "is not a user of your local authority")
                    })?;
                    let kind = ParticipantKind::parse(&p.kind).unwrap_or(ParticipantKind::Professional);
                    if let Some(wrong) = check_addressee(&body.areas, kind) {
                        return Err(ApiError::Validation(vec![wrong]));
                    }
                    p.user_id
                }
                None => None,
            };
            let addressee_team = match body.addressee_team_id {
                Some(t) => {
                    let team = teams::team_in_local_authority(conn, &me.local_authority_id, &t.to_string())
                        .optional()?
                        .ok_or_else(|| {
                            ApiError::validation(
                                "/addressee_team_id",
                                "unknown",
                                "is not a team of your local authority",
                            )
                        })?;
                    participants::add_participant(conn, &case.id, Who::Team(&team.id), "team_inbox", &me.user_id, now)?;
                    Some(team.id)
                }
                None => None,
            };
            let mut cc = Vec::new();
            for (i, user) in body.cc.iter().enumerate() {
                let p = add_user(conn, &me, &case.id, &user.to_string(), now).map_err(|_| {
                    ApiError::validation(&format!("/cc/{i}"), "unknown", "is not a user of your local authority")
                })?;
                cc.push(p.user_id.unwrap_or_default());
            }
            let request = AdviceRequest {
                id: ehc_storage::new_id(),
                case_id: case.id.clone(),
                specialism: body.specialism.as_str().to_owned(),
                areas: serde_json::to_string(&body.areas).map_err(ApiError::internal)?,
                addressee_user_id: addressee_user.clone(),
                addressee_team_id: addressee_team,
                assignee_user_id: None,
                cc: serde_json::to_string(&cc).map_err(ApiError::internal)?,
                notes: body.notes,
                requested_on,
                due_on,
                completed_on: None,
                status: OPEN.to_owned(),
                requires_endorsement: body.requires_endorsement,
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
            let shown = one_view(conn, &view_me, &case.id, &request.id)?;
            audit::record(conn, &me, "advice_request.create", Some(&case.id), Some(&request.id))?;
            Ok(shown)
        })
        .await?;
    Ok(HttpResponse::Created().json(request))
}

/// The requests for advice on a case: who, specialism, dates, status.
#[utoipa::path(tag = "advice requests", operation_id = "listAdviceRequests", security(("bearer" = [])), params(("id" = String, Path)), responses(
    (status = 200, body = Vec<AdviceRequestView>),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/cases/{id}/advice-requests")]
pub async fn list_advice_requests(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let case_id = path.into_inner();
    let rows = state
        .tx(move |conn| {
            visible_case(conn, &me, &case_id)?;
            let my_teams: Vec<String> = teams::memberships(conn, &me.user_id)?.into_iter().map(|(t, _)| t).collect();
            let rows = requests::requests_of_case(conn, &case_id)?
                .into_iter()
                .map(|r| view(r, &my_teams, &me.user_id))
                .collect::<Vec<_>>();
            let rows = with_alerts(conn, rows)?;
            audit::record(conn, &me, "advice_request.list", Some(&case_id), None)?;
            Ok(rows)
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"user_id": "01936b2e-1c1f-7cc2-9d1e-7f1f3c1a2b3c"}))]
pub struct Assign {
    /// A member of the addressed team.
    pub user_id: uuid::Uuid,
}

/// Assign a team inbox's request to a practitioner (the team's coordinator).
#[utoipa::path(tag = "advice requests", operation_id = "assignAdviceRequest", security(("bearer" = [])), request_body = Assign, params(("id" = String, Path)), responses(
    (status = 200, body = AdviceRequestView),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/advice-requests/{id}/assign")]
pub async fn assign(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
    body: ValidatedJson<Assign>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let assignee = body.0.user_id.to_string();
    let now = state.now();
    let view = state
        .tx(move |conn| {
            let (request, case) = visible_request(conn, &me, &id)?;
            if !coordinates(conn, &me, &request)? {
                return Err(ApiError::Forbidden("Only the coordinator of the addressed team assigns its requests."));
            }
            if request.status != OPEN {
                return Err(ApiError::Conflict(format!("The request is {}.", request.status)));
            }
            let team = request.addressee_team_id.clone().unwrap_or_default();
            if !teams::members(conn, &team)?.iter().any(|(u, _)| *u == assignee) {
                return Err(ApiError::validation("/user_id", "not_member", "is not a member of the addressed team"));
            }
            requests::assign(conn, &request.id, &assignee)?;
            advice::set_author(conn, &request.id, &assignee)?;
            participants::add_participant(conn, &case.id, Who::User(&assignee), "professional", &me.user_id, now)?;
            audit::record(conn, &me, "advice_request.assign", Some(&case.id), Some(&request.id))?;
            one_view(conn, &me, &case.id, &request.id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Withdraw a request that is no longer needed (officers).
#[utoipa::path(tag = "advice requests", operation_id = "withdrawAdviceRequest", security(("bearer" = [])), params(("id" = String, Path)), responses(
    (status = 200, body = AdviceRequestView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "Already completed")))]
#[post("/advice-requests/{id}/withdraw")]
pub async fn withdraw(state: web::Data<AppState>, me: AuthUser, path: web::Path<String>) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let view = state
        .tx(move |conn| {
            let (request, case) = visible_request(conn, &me, &id)?;
            require_officer(&me)?;
            if request.status == COMPLETED {
                return Err(ApiError::Conflict("Completed requests cannot be withdrawn.".to_owned()));
            }
            requests::set_status(conn, &request.id, WITHDRAWN, None)?;
            audit::record(conn, &me, "advice_request.withdraw", Some(&case.id), Some(&request.id))?;
            one_view(conn, &me, &case.id, &request.id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}
