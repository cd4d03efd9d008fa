//! The family's representations on the plan and the consultations of the
//! institutions it may name.

use actix_web::http::header::LOCATION;
use actix_web::{get, post, put, web, HttpResponse};
use chrono::NaiveDate;
use ehc_domain::plan::responses::ConsultationResponse;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::json::ValidatedJson;
use crate::paging::{page_of, Page, PageQuery};
use crate::problems::{BadRequest, Conflict, Forbidden, Invalid, NotFound, Unauthorized};
use crate::state::AppState;
use crate::views::plan_responses::{ConsultationView, RepresentationView};
use crate::workflow::plan_responses::{self, NewConsultation, NewRepresentation};

#[derive(Debug, Deserialize, ToSchema, validator::Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"body": "Section F should say who delivers the speech therapy.", "requested_institution": "Oakfield Primary School"}))]
pub struct MakeRepresentations {
    /// What the family says about the plan.
    #[validate(length(min = 1, max = 20000))]
    #[schema(min_length = 1, max_length = 20000)]
    pub body: String,
    /// The school or college they ask to be named in the plan (reg 13(1)(a)).
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub requested_institution: Option<String>,
}

type PlanPath = web::Path<uuid::Uuid>;

/// Make representations on the plan.
///
/// The child's parent or the young person on the case, while the draft is with them or amendments
/// are proposed: what they say, and the school or college they ask to be named (reg 13(1)(a); reg
/// 22(2)). Made today; `within_period` says whether inside the 15 days given. The officers on the
/// case are told. Refused (409) at any other time.
#[utoipa::path(tag = "plans", operation_id = "makeRepresentations", security(("bearer" = [])), request_body = MakeRepresentations,
    params(("id" = uuid::Uuid, Path, description = "The plan's id")), responses(
    (status = 201, body = RepresentationView, description = "Recorded",
        headers(("Location" = String, description = "The plan's representations"))),
    BadRequest, Unauthorized, Forbidden, NotFound, Conflict, Invalid))]
#[post("/plans/{id}/representations")]
pub async fn make_representations(
    state: web::Data<AppState>,
    me: AuthUser,
    id: PlanPath,
    body: ValidatedJson<MakeRepresentations>,
) -> ApiResult<HttpResponse> {
    let b = body.0;
    let location = format!("/api/v1/plans/{id}/representations");
    let new = NewRepresentation { body: b.body, requested_institution: b.requested_institution };
    let made = plan_responses::make(&state, me, id.to_string(), new).await?;
    Ok(HttpResponse::Created().insert_header((LOCATION, location)).json(RepresentationView::from(made)))
}

/// The representations on the plan.
///
/// All of them for the assessment team; the family's own for them. Paged with `limit` and `cursor`.
#[utoipa::path(tag = "plans", operation_id = "listRepresentations", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The plan's id"), PageQuery), responses(
    (status = 200, body = Page<RepresentationView>, description = "OK"),
    BadRequest, Unauthorized, Forbidden, NotFound))]
#[get("/plans/{id}/representations")]
pub async fn list_representations(
    state: web::Data<AppState>,
    me: AuthUser,
    id: PlanPath,
    query: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let rows: Vec<RepresentationView> =
        plan_responses::list(&state, me, id.to_string()).await?.into_iter().map(Into::into).collect();
    Ok(HttpResponse::Ok().json(page_of(rows, &query, |r| r.id.clone())?))
}

#[derive(Debug, Deserialize, ToSchema, validator::Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"institution": "Oakfield Primary School", "consulted_on": "2026-11-12"}))]
pub struct Consult {
    /// The school, college or other institution asked whether it can be named (s.39(2)).
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub institution: String,
    pub consulted_on: NaiveDate,
}

/// Record a consultation of an institution.
///
/// Assessment officers: the governing body, proprietor or principal of the institution the family
/// asked for (or the authority proposes) was consulted on naming it (s.39(2)); its answer is
/// awaited.
#[utoipa::path(tag = "plans", operation_id = "consultInstitution", security(("bearer" = [])), request_body = Consult,
    params(("id" = uuid::Uuid, Path, description = "The plan's id")), responses(
    (status = 201, body = ConsultationView, description = "Recorded",
        headers(("Location" = String, description = "The plan's consultations"))),
    BadRequest, Unauthorized, Forbidden, NotFound, Invalid))]
#[post("/plans/{id}/consultations")]
pub async fn consult_institution(
    state: web::Data<AppState>,
    me: AuthUser,
    id: PlanPath,
    body: ValidatedJson<Consult>,
) -> ApiResult<HttpResponse> {
    let b = body.0;
    let location = format!("/api/v1/plans/{id}/consultations");
    let new = NewConsultation { institution: b.institution, consulted_on: b.consulted_on };
    let c = plan_responses::consult(&state, me, id.to_string(), new).await?;
    Ok(HttpResponse::Created().insert_header((LOCATION, location)).json(ConsultationView::from(c)))
}

/// The consultations on the plan.
///
/// Assessment officers. Paged with `limit` and `cursor`.
#[utoipa::path(tag = "plans", operation_id = "listConsultations", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The plan's id"), PageQuery), responses(
    (status = 200, body = Page<ConsultationView>, description = "OK"),
    BadRequest, Unauthorized, Forbidden, NotFound))]
#[get("/plans/{id}/consultations")]
pub async fn list_consultations(
    state: web::Data<AppState>,
    me: AuthUser,
    id: PlanPath,
    query: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let rows: Vec<ConsultationView> =
        plan_responses::consultations(&state, me, id.to_string()).await?.into_iter().map(Into::into).collect();
    Ok(HttpResponse::Ok().json(page_of(rows, &query, |c| c.id.clone())?))
}

#[derive(Debug, Deserialize, ToSchema, validator::Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"response": "agreed", "responded_on": "2026-11-20"}))]
pub struct Answer {
    pub response: ConsultationResponse,
    /// The day it answered; required unless `awaited`.
    pub responded_on: Option<NaiveDate>,
    /// Its reasons, when it declined.
    #[validate(length(max = 4000))]
    #[schema(max_length = 4000)]
    pub notes: Option<String>,
}

/// Record an institution's answer.
///
/// Assessment officers: whether the institution consulted can meet the needs (s.39(3)-(4)).
#[utoipa::path(tag = "plans", operation_id = "answerConsultation", security(("bearer" = [])), request_body = Answer,
    params(("id" = uuid::Uuid, Path, description = "The plan's id"), ("consultation" = uuid::Uuid, Path, description = "The consultation's id")), responses(
    (status = 200, body = ConsultationView, description = "Recorded"),
    BadRequest, Unauthorized, Forbidden, NotFound, Invalid))]
#[put("/plans/{id}/consultations/{consultation}")]
pub async fn answer_consultation(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<(uuid::Uuid, uuid::Uuid)>,
    body: ValidatedJson<Answer>,
) -> ApiResult<HttpResponse> {
    let (id, consultation) = path.into_inner();
    let b = body.0;
    let answered = (b.response, b.responded_on, b.notes);
    let c = plan_responses::answer(&state, me, id.to_string(), consultation.to_string(), answered).await?;
    Ok(HttpResponse::Ok().json(ConsultationView::from(c)))
}
