//! Cases: the child or young person, the request for assessment, its stage.

use actix_web::http::header::{ETAG, LOCATION};
use actix_web::{get, post, web, HttpResponse};
use chrono::NaiveDate;
use ehc_domain::cases::RequestSource;
use ehc_domain::statutory::Stage;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::auth::{AuthUser, Caller};
use crate::error::ApiResult;
use crate::json::ValidatedJson;
use crate::paging::{page, Page, PageQuery};
use crate::problems::{BadRequest, Forbidden, Invalid, NotFound, Unauthorized};
use crate::state::AppState;
use crate::views::cases::{case_etag, CaseView};
use crate::workflow::cases::{self, NewCase};

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"given_name": "Alex", "family_name": "Example", "date_of_birth": "2016-04-02",
    "request_received_on": "2026-11-20", "request_source": "parent_or_young_person", "looked_after": false}))]
pub struct CreateCase {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub given_name: String,
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub family_name: String,
    pub date_of_birth: NaiveDate,
    /// Unique pupil number.
    #[validate(length(min = 13, max = 13, message = "a UPN has 13 characters"))]
    #[schema(min_length = 13, max_length = 13)]
    pub upn: Option<String>,
    #[validate(length(min = 10, max = 10, message = "an NHS number has 10 digits"))]
    #[schema(min_length = 10, max_length = 10)]
    pub nhs_number: Option<String>,
    /// Unique learner number.
    #[validate(length(min = 10, max = 10, message = "a ULN has 10 digits"))]
    #[schema(min_length = 10, max_length = 10)]
    pub uln: Option<String>,
    /// The day the request for assessment was received: the clock starts.
    pub request_received_on: NaiveDate,
    pub request_source: RequestSource,
    #[serde(default)]
    pub looked_after: bool,
}

/// Open a case for a request for assessment.
///
/// Assessment officers. The statutory clock starts on `request_received_on`. The child's details
/// are checked (NHS number, UPN and ULN check digits, a date of birth in the past).
#[utoipa::path(tag = "cases", operation_id = "createCase", security(("bearer" = [])), request_body = CreateCase, responses(
    (status = 201, body = CaseView, description = "Created",
        headers(("Location" = String, description = "The case: `/api/v1/cases/{id}`"), ("ETag" = String, description = "For correcting it"))),
    BadRequest,
    Unauthorized,
    Forbidden,
    Invalid))]
#[post("/cases")]
pub async fn create_case(
    state: web::Data<AppState>,
    me: AuthUser,
    body: ValidatedJson<CreateCase>,
) -> ApiResult<HttpResponse> {
    let b = body.0;
    let new = NewCase {
        given_name: b.given_name,
        family_name: b.family_name,
        date_of_birth: b.date_of_birth,
        upn: b.upn,
        nhs_number: b.nhs_number,
        uln: b.uln,
        request_received_on: b.request_received_on,
        request_source: b.request_source,
        looked_after: b.looked_after,
    };
    let case = cases::open(&state, me, new).await?;
    Ok(HttpResponse::Created()
        .insert_header((LOCATION, format!("/api/v1/cases/{}", case.id)))
        .insert_header((ETAG, case_etag(case.revision)))
        .json(CaseView::from(case)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CaseQuery {
    /// Only cases at this stage.
    pub stage: Option<Stage>,
    /// Only cases with a statutory step past its limit and not yet done (a
    /// request for advice, a decision, the plan), unless excepted.
    pub overdue: Option<bool>,
    /// Items per page (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^[A-Za-z0-9_.:-]{1,200}$")]
    pub cursor: Option<String>,
}

/// The cases the caller may see.
///
/// Assessment officers and administrators see their council's cases; everyone else the cases they
/// take part in. Filter by `stage`, or `overdue=true` for cases with a statutory step past its
/// limit and not yet done (as the case's timeline shows it). Paged with `limit` and `cursor`.
#[utoipa::path(tag = "cases", operation_id = "listCases", security(("bearer" = [])), params(CaseQuery), responses(
    (status = 200, body = Page<CaseView>, description = "OK"),
    BadRequest,
    Unauthorized))]
#[get("/cases")]
pub async fn list_cases(
    state: web::Data<AppState>,
    me: AuthUser,
    query: web::Query<CaseQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let paging = PageQuery { limit: q.limit, cursor: q.cursor };
    let limit = paging.limit()?;
    let after_id = paging.after_id()?;
    let rows = cases::list(&state, me, q.stage, q.overdue.unwrap_or(false), after_id, limit).await?;
    Ok(HttpResponse::Ok().json(page(rows, limit, |c| c.id.clone(), CaseView::from)))
}

/// One case.
///
/// For those who may see it; 404 otherwise, so the answer does not reveal that it exists. The
/// `ETag` is needed to correct it.
#[utoipa::path(tag = "cases", operation_id = "getCase", security(("bearer" = [])), params(("id" = uuid::Uuid, Path, description = "The case's id")), responses(
    (status = 200, body = CaseView, description = "OK", headers(("ETag" = String, description = "For correcting it"))),
    Unauthorized,
    NotFound))]
#[get("/cases/{id}")]
pub async fn get_case(state: web::Data<AppState>, me: Caller, path: web::Path<String>) -> ApiResult<HttpResponse> {
    let case = cases::read(&state, me, path.into_inner()).await?;
    Ok(HttpResponse::Ok().insert_header((ETAG, case_etag(case.revision))).json(CaseView::from(case)))
}
