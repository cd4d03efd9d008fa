//! Requests for advice (seed 002): issued by the assessment team to a
//! professional or a team inbox, with a statutory due date.

use actix_web::{get, post, web, HttpResponse};
use chrono::NaiveDate;
use ehc_domain::advice::AdviceArea;
use ehc_domain::roles::Specialism;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::json::ValidatedJson;
use crate::paging::{page_of, Page, PageQuery};
use crate::problems::{BadRequest, Conflict, Forbidden, Invalid, NotFound, Unauthorized};
use crate::state::AppState;
use crate::views::requests::AdviceRequestView;
use crate::workflow::requests::{self, NewRequest};

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
    #[schema(max_length = 5000)]
    pub notes: Option<String>,
    /// Default today.
    pub requested_on: Option<NaiveDate>,
    /// Default `requested_on` + 6 weeks (reg 8(1)).
    pub due_on: Option<NaiveDate>,
    /// A local service standard counted in working days instead (Monday to
    /// Friday, not bank holidays in England and Wales), e.g. 10 for a DSCO's
    /// two weeks (seed 000). Give this or `due_on`, not both.
    #[validate(range(min = 1, max = 60, message = "must be between 1 and 60 working days"))]
    #[schema(minimum = 1, maximum = 60)]
    pub due_in_working_days: Option<u32>,
    /// Advice goes to the practitioner's team manager before it is published.
    #[serde(default)]
    pub requires_endorsement: bool,
}

/// Ask a professional or a team inbox for advice.
///
/// Assessment officers. The due date is six weeks from the request (reg 8(1) of SI 2014/1530)
/// unless the officer names one; the addressee is told by e-mail.
#[utoipa::path(tag = "advice requests", operation_id = "createAdviceRequest", security(("bearer" = [])), request_body = CreateAdviceRequest, params(("id" = uuid::Uuid, Path, description = "The case's id")), responses(
    (status = 201, body = AdviceRequestView, description = "Issued; the addressee is told"),
    BadRequest, Unauthorized, Forbidden, NotFound, Invalid))]
#[post("/cases/{id}/advice-requests")]
pub async fn create_advice_request(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
    body: ValidatedJson<CreateAdviceRequest>,
) -> ApiResult<HttpResponse> {
    let b = body.0;
    let new = NewRequest {
        specialism: b.specialism,
        areas: b.areas,
        addressee_user_id: b.addressee_user_id.map(|u| u.to_string()),
        addressee_team_id: b.addressee_team_id.map(|t| t.to_string()),
        cc: b.cc.iter().map(|u| u.to_string()).collect(),
        notes: b.notes,
        requested_on: b.requested_on,
        due_on: b.due_on,
        due_in_working_days: b.due_in_working_days,
        requires_endorsement: b.requires_endorsement,
    };
    Ok(HttpResponse::Created().json(requests::create(&state, me, path.into_inner(), new).await?))
}

/// The requests for advice on a case.
///
/// Who was asked, their specialism, dates and status. Someone on the case only through a team inbox
/// sees only that team's requests. Paged with `limit` and `cursor`.
#[utoipa::path(tag = "advice requests", operation_id = "listAdviceRequests", security(("bearer" = [])), params(("id" = uuid::Uuid, Path, description = "The case's id"), PageQuery), responses(
    (status = 200, body = Page<AdviceRequestView>, description = "The case's request table"),
    Unauthorized, NotFound))]
#[get("/cases/{id}/advice-requests")]
pub async fn list_advice_requests(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let rows = requests::list(&state, me, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(page_of(rows, &query, |r| r.id.clone())?))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"user_id": "01936b2e-1c1f-7cc2-9d1e-7f1f3c1a2b3c"}))]
pub struct Assign {
    /// A member of the addressed team.
    pub user_id: uuid::Uuid,
}

/// Assign a team inbox's request to a practitioner.
///
/// The team's coordinator (or manager) gives the request to a member of the team; the member is
/// told and writes the advice. Reassigning hands over any draft, which is audited.
#[utoipa::path(tag = "advice requests", operation_id = "assignAdviceRequest", security(("bearer" = [])), request_body = Assign, params(("id" = uuid::Uuid, Path, description = "The request for advice's id")), responses(
    (status = 200, body = AdviceRequestView, description = "Assigned"),
    BadRequest, Unauthorized, Forbidden, NotFound, Conflict, Invalid))]
#[post("/advice-requests/{id}/assign")]
pub async fn assign(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
    body: ValidatedJson<Assign>,
) -> ApiResult<HttpResponse> {
    let view = requests::assign(&state, me, path.into_inner(), body.0.user_id.to_string()).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Withdraw a request that is no longer needed.
///
/// Assessment officers. The addressee is told and the request leaves their list.
#[utoipa::path(tag = "advice requests", operation_id = "withdrawAdviceRequest", security(("bearer" = [])), params(("id" = uuid::Uuid, Path, description = "The request for advice's id")), responses(
    (status = 200, body = AdviceRequestView, description = "Withdrawn"),
    Unauthorized, Forbidden, NotFound, Conflict))]
#[post("/advice-requests/{id}/withdraw")]
pub async fn withdraw(state: web::Data<AppState>, me: AuthUser, path: web::Path<String>) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(requests::withdraw(&state, me, path.into_inner()).await?))
}
