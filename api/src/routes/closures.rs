//! The local authority's closure calendars: continuous closures of its
//! schools, colleges and early-years settings. They decide reg 10(4)(a)/(b)
//! on every case's timeline, so the 16- and 20-week exceptions are
//! determined, never guessed.

use actix_web::http::header::LOCATION;
use actix_web::{delete, get, post, web, HttpResponse};
use chrono::NaiveDate;
use ehc_domain::statutory::Setting;
use ehc_storage::casework::closures::ClosurePeriod;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::json::ValidatedJson;
use crate::paging::{page_of, Page, PageQuery};
use crate::problems::{BadRequest, Forbidden, Invalid, NotFound, Unauthorized};
use crate::state::AppState;
use crate::workflow::authority::{self, NewClosure};

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"setting": "school", "first_closed_on": "2026-07-22", "reopens_on": "2026-09-02", "description": "Summer holiday 2026"}))]
pub struct CreateClosure {
    pub setting: Setting,
    /// The first day the settings are closed.
    pub first_closed_on: NaiveDate,
    /// The day they reopen.
    pub reopens_on: NaiveDate,
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    #[schema(min_length = 1, max_length = 200)]
    pub description: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClosureView {
    #[schema(format = Uuid)]
    pub id: String,
    pub setting: Setting,
    pub first_closed_on: NaiveDate,
    pub reopens_on: NaiveDate,
    pub description: String,
}

impl From<ClosurePeriod> for ClosureView {
    fn from(p: ClosurePeriod) -> Self {
        ClosureView {
            id: p.id,
            setting: p.setting,
            first_closed_on: p.first_closed_on,
            reopens_on: p.reopens_on,
            description: p.description,
        }
    }
}

/// Add a closure to the calendar.
///
/// Administrators and the assessment team. Every open case's timeline takes it into account at
/// once.
#[utoipa::path(tag = "timeline", operation_id = "createClosure", security(("bearer" = [])), request_body = CreateClosure, responses(
    (status = 201, body = ClosureView, description = "Created"),
    BadRequest,
    Unauthorized,
    Forbidden,
    Invalid))]
#[post("/closures")]
pub async fn create_closure(
    state: web::Data<AppState>,
    me: AuthUser,
    body: ValidatedJson<CreateClosure>,
) -> ApiResult<HttpResponse> {
    let b = body.0;
    let new = NewClosure {
        setting: b.setting,
        first_closed_on: b.first_closed_on,
        reopens_on: b.reopens_on,
        description: b.description,
    };
    let period = authority::add_closure(&state, me, new).await?;
    let location = format!("/api/v1/closures/{}", period.id);
    Ok(HttpResponse::Created().insert_header((LOCATION, location)).json(ClosureView::from(period)))
}

/// The council's closure calendar.
///
/// Continuous closures of schools, colleges and early-years settings, by setting and date; they
/// decide the reg 10(4)(a)–(b) exceptions. Paged with `limit` and `cursor`.
#[utoipa::path(tag = "timeline", operation_id = "listClosures", security(("bearer" = [])), params(PageQuery), responses(
    (status = 200, body = Page<ClosureView>, description = "OK"),
    Unauthorized,
    Forbidden))]
#[get("/closures")]
pub async fn list_closures(
    state: web::Data<AppState>,
    me: AuthUser,
    query: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let rows: Vec<ClosureView> = authority::closures(&state, me).await?.into_iter().map(ClosureView::from).collect();
    // By setting, then date (ISO dates sort as text).
    Ok(HttpResponse::Ok()
        .json(page_of(rows, &query, |c| format!("{}.{}.{}", c.setting.code(), c.first_closed_on, c.id))?))
}

/// Remove a closure entered by mistake.
///
/// Administrators and the assessment team; audited.
#[utoipa::path(tag = "timeline", operation_id = "deleteClosure", security(("bearer" = [])), params(("id" = uuid::Uuid, Path, description = "The closure's id")), responses(
    (status = 204, description = "Removed"),
    Unauthorized,
    Forbidden,
    NotFound))]
#[delete("/closures/{id}")]
pub async fn delete_closure(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    authority::remove_closure(&state, me, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
