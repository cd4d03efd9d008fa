//! Cases: the child or young person, the request for assessment, its stage.

use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use ehc_domain::cases::{case_reference, RequestSource};
use ehc_domain::field_error::FieldError;
use ehc_storage::casework::cases::{self, Case, CaseFilter};
use ehc_storage::casework::participants::{self, Who};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::audit;
use crate::auth::AuthUser;
use crate::casework::{require_officer, viewer, visible_case};
use crate::error::{ApiError, ApiResult, Problem};
use crate::json::ValidatedJson;
use crate::paging::{page, Page, PageQuery};
use crate::state::AppState;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"given_name": "Alex", "family_name": "Example", "date_of_birth": "2016-04-02",
    "request_received_on": "2026-11-20", "request_source": "parent_or_young_person", "looked_after": false}))]
pub struct CreateCase {
    #[validate(length(min = 1, max = 100))]
    pub given_name: String,
    #[validate(length(min = 1, max = 100))]
    pub family_name: String,
    pub date_of_birth: NaiveDate,
    /// Unique pupil number.
    #[validate(length(min = 13, max = 13, message = "a UPN has 13 characters"))]
    pub upn: Option<String>,
    #[validate(length(min = 10, max = 10, message = "an NHS number has 10 digits"))]
    pub nhs_number: Option<String>,
    /// Unique learner number.
    #[validate(length(min = 10, max = 10, message = "a ULN has 10 digits"))]
    pub uln: Option<String>,
    /// The day the request for assessment was received: the clock starts.
    pub request_received_on: NaiveDate,
    pub request_source: RequestSource,
    #[serde(default)]
    pub looked_after: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChildView {
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: NaiveDate,
    pub upn: Option<String>,
    pub nhs_number: Option<String>,
    pub uln: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseView {
    pub id: String,
    /// Used in messages instead of any personal detail.
    #[schema(example = "R-7K2M9QXB")]
    pub reference: String,
    pub child: ChildView,
    pub request_received_on: NaiveDate,
    pub request_source: String,
    pub looked_after: bool,
    pub stage: String,
    pub created_at: DateTime<Utc>,
}

impl From<Case> for CaseView {
    fn from(c: Case) -> Self {
        CaseView {
            id: c.id,
            reference: c.reference,
            child: ChildView {
                given_name: c.given_name,
                family_name: c.family_name,
                date_of_birth: c.date_of_birth,
                upn: c.upn,
                nhs_number: c.nhs_number,
                uln: c.uln,
            },
            request_received_on: c.request_received_on,
            request_source: c.request_source,
            looked_after: c.looked_after,
            stage: c.stage,
            created_at: c.created_at.and_utc(),
        }
    }
}

pub const STAGE_REQUEST_RECEIVED: &str = "request_received";

/// Open a case for a request for assessment (assessment officers).
#[utoipa::path(tag = "cases", operation_id = "createCase", security(("bearer" = [])), request_body = CreateCase, responses(
    (status = 201, body = CaseView),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/cases")]
pub async fn create_case(
    state: web::Data<AppState>,
    me: AuthUser,
    body: ValidatedJson<CreateCase>,
) -> ApiResult<HttpResponse> {
    require_officer(&me)?;
    let body = body.0;
    let today = state.now().date();
    let mut errors = Vec::new();
    if body.date_of_birth > today {
        errors.push(FieldError::new("/date_of_birth", "in_future", "cannot be in the future"));
    }
    if body.request_received_on > today {
        errors.push(FieldError::new("/request_received_on", "in_future", "cannot be in the future"));
    }
    if let Some(n) = &body.nhs_number {
        if !n.chars().all(|c| c.is_ascii_digit()) {
            errors.push(FieldError::new("/nhs_number", "invalid", "must be 10 digits"));
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let id = uuid::Uuid::now_v7();
    let case = Case {
        id: id.to_string(),
        local_authority_id: me.local_authority_id.clone(),
        reference: case_reference(&id),
        given_name: body.given_name.trim().to_owned(),
        family_name: body.family_name.trim().to_owned(),
        date_of_birth: body.date_of_birth,
        upn: body.upn,
        nhs_number: body.nhs_number,
        uln: body.uln,
        request_received_on: body.request_received_on,
        request_source: body.request_source.code().to_owned(),
        looked_after: body.looked_after,
        stage: STAGE_REQUEST_RECEIVED.to_owned(),
        created_by: me.user_id.clone(),
        created_at: state.now(),
    };
    let stored = case.clone();
    let now = state.now();
    state
        .tx(move |conn| {
            cases::insert_case(conn, &stored)?;
            // The officer who opens a case is its caseworker: told what happens on it.
            participants::add_participant(
                conn,
                &stored.id,
                Who::User(&stored.created_by),
                "officer",
                &stored.created_by,
                now,
            )?;
            audit::record(conn, &me, "case.create", Some(&stored.id), None)
        })
        .await?;
    Ok(HttpResponse::Created().json(CaseView::from(case)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseQuery {
    /// Only cases at this stage.
    pub stage: Option<String>,
    /// Only cases with an overdue request for advice.
    pub overdue: Option<bool>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Cases: officers see their authority's; everyone else the cases they take part in.
#[utoipa::path(tag = "cases", operation_id = "listCases", security(("bearer" = [])), params(CaseQuery), responses(
    (status = 200, body = Page<CaseView>),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 401, body = Problem, content_type = "application/problem+json")))]
#[get("/cases")]
pub async fn list_cases(
    state: web::Data<AppState>,
    me: AuthUser,
    query: web::Query<CaseQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let paging = PageQuery { limit: q.limit, cursor: q.cursor };
    let limit = paging.limit()?;
    let filter = CaseFilter {
        stage: q.stage,
        overdue_on: q.overdue.filter(|o| *o).map(|_| state.now().date()),
        after_id: paging.after_id()?,
        limit: limit + 1,
    };
    let v = viewer(&me);
    let rows = state
        .tx(move |conn| {
            let rows = cases::list_cases(conn, &v, &filter)?;
            let shown = rows.iter().take(usize::try_from(limit).unwrap_or(usize::MAX));
            audit::record_each(conn, &me, "case.list", shown.map(|c| c.id.as_str()))?;
            Ok(rows)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page(rows, limit, |c| c.id.clone(), CaseView::from)))
}

/// One case.
#[utoipa::path(tag = "cases", operation_id = "getCase", security(("bearer" = [])), params(("id" = String, Path)), responses(
    (status = 200, body = CaseView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/cases/{id}")]
pub async fn get_case(state: web::Data<AppState>, me: AuthUser, path: web::Path<String>) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let case = state
        .tx(move |conn| {
            let case = visible_case(conn, &me, &id)?;
            audit::record(conn, &me, "case.read", Some(&case.id), None)?;
            Ok(case)
        })
        .await?;
    Ok(HttpResponse::Ok().json(CaseView::from(case)))
}
