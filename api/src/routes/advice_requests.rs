//! Requests for advice (seed 002): issued by the assessment team to a
//! professional or a team inbox, with a statutory due date.

use actix_web::http::header::{ETAG, IF_MATCH, LOCATION};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
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
use crate::problems::{BadRequest, Conflict, Forbidden, Invalid, NotFound, Stale, Unauthorized};
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
    (status = 201, body = AdviceRequestView, description = "Issued; the addressee is told",
        headers(("ETag" = String, description = "For If-Match when assigning or withdrawing it"))),
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
    let made = requests::create(&state, me, path.into_inner(), new).await?;
    let location = format!("/api/v1/advice-requests/{}/advice", made.id);
    Ok(HttpResponse::Created().insert_header((ETAG, made.etag.clone())).insert_header((LOCATION, location)).json(made))
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
#[utoipa::path(tag = "advice requests", operation_id = "assignAdviceRequest", security(("bearer" = [])), request_body = Assign, params(("id" = uuid::Uuid, Path, description = "The request for advice's id"),
        ("If-Match" = Option<String>, Header, description = "The request's `etag` as you read it (or `*`): 412 if it changed since")), responses(
    (status = 200, body = AdviceRequestView, description = "Assigned",
        headers(("ETag" = String, description = "The request's new version"))),
    BadRequest, Unauthorized, Forbidden, NotFound, Conflict, Stale, Invalid))]
#[post("/advice-requests/{id}/assign")]
pub async fn assign(
    state: web::Data<AppState>,
    req: HttpRequest,
    me: AuthUser,
    path: web::Path<String>,
    body: ValidatedJson<Assign>,
) -> ApiResult<HttpResponse> {
    let view = requests::assign(&state, me, path.into_inner(), body.0.user_id.to_string(), if_match(&req)).await?;
    Ok(HttpResponse::Ok().insert_header((ETAG, view.etag.clone())).json(view))
}

/// Withdraw a request that is no longer needed.
///
/// Assessment officers. The addressee is told and the request leaves their list.
#[utoipa::path(tag = "advice requests", operation_id = "withdrawAdviceRequest", security(("bearer" = [])), params(("id" = uuid::Uuid, Path, description = "The request for advice's id"),
        ("If-Match" = Option<String>, Header, description = "The request's `etag` as you read it (or `*`): 412 if it changed since")), responses(
    (status = 200, body = AdviceRequestView, description = "Withdrawn",
        headers(("ETag" = String, description = "The request's new version"))),
    Unauthorized, Forbidden, NotFound, Conflict, Stale))]
#[post("/advice-requests/{id}/withdraw")]
pub async fn withdraw(
    state: web::Data<AppState>,
    req: HttpRequest,
    me: AuthUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let view = requests::withdraw(&state, me, path.into_inner(), if_match(&req)).await?;
    Ok(HttpResponse::Ok().insert_header((ETAG, view.etag.clone())).json(view))
}

/// `If-Match`, when sent: the request must still be as the caller read it.
fn if_match(req: &HttpRequest) -> Option<String> {
    req.headers().get(IF_MATCH).map(|v| v.to_str().map(str::to_owned).unwrap_or_default())
}
