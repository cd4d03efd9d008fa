//! The local authority's closure calendars: continuous closures of its
//! schools, colleges and early-years settings. They decide reg 10(4)(a)/(b)
//! on every case's timeline, so the 16- and 20-week exceptions are
//! determined, never guessed.

use actix_web::{delete, get, post, web, HttpResponse};
use chrono::NaiveDate;
use ehc_domain::field_error::FieldError;
use ehc_storage::casework::closures::{self, ClosurePeriod};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::json::ValidatedJson;
use crate::problems::{BadRequest, Forbidden, Invalid, NotFound, Unauthorized};
use crate::state::AppState;
use crate::workflow::access::require;
use ehc_domain::access::Action;

#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Setting {
    School,
    College,
    EarlyYears,
}

impl Setting {
    fn code(self) -> &'static str {
        match self {
            Setting::School => "school",
            Setting::College => "college",
            Setting::EarlyYears => "early_years",
        }
    }
}

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
    pub description: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClosureView {
    pub id: String,
    pub setting: String,
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

fn may_keep_calendar(me: &AuthUser) -> Result<(), ApiError> {
    require(&me, Action::ManageClosures)
}

/// Add a closure to the calendar (administrators and the assessment team).
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
    may_keep_calendar(&me)?;
    let body = body.0;
    if body.reopens_on <= body.first_closed_on {
        return Err(ApiError::Validation(vec![FieldError::new(
            "/reopens_on",
            "before_closure",
            "must be after first_closed_on",
        )]));
    }
    let period = ClosurePeriod {
        id: ehc_storage::new_id(),
        local_authority_id: me.local_authority_id.clone(),
        setting: body.setting.code().to_owned(),
        first_closed_on: body.first_closed_on,
        reopens_on: body.reopens_on,
        description: body.description.trim().to_owned(),
        created_by: me.user_id.clone(),
        created_at: state.now(),
    };
    let stored = period.clone();
    state.tx(move |conn| Ok(closures::insert(conn, &stored)?)).await?;
    Ok(HttpResponse::Created().json(ClosureView::from(period)))
}

/// The calendar, by setting and date.
#[utoipa::path(tag = "timeline", operation_id = "listClosures", security(("bearer" = [])), responses(
    (status = 200, body = Vec<ClosureView>, description = "OK"),
    Unauthorized,
    Forbidden))]
#[get("/closures")]
pub async fn list_closures(state: web::Data<AppState>, me: AuthUser) -> ApiResult<HttpResponse> {
    require(&me, Action::ReadClosures)?;
    let rows = state.tx(move |conn| Ok(closures::of_local_authority(conn, &me.local_authority_id)?)).await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(ClosureView::from).collect::<Vec<_>>()))
}

/// Remove a closure entered by mistake.
#[utoipa::path(tag = "timeline", operation_id = "deleteClosure", security(("bearer" = [])), params(("id" = String, Path)), responses(
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
    may_keep_calendar(&me)?;
    let id = path.into_inner();
    state.tx(move |conn| Ok(closures::delete(conn, &me.local_authority_id, &id)?)).await?;
    Ok(HttpResponse::NoContent().finish())
}
