//! The EHC plan of a case: started from the published advice, edited with
//! its ETag, issued as a draft and then as the final plan, and read as an
//! accessible document.

use actix_web::http::header::{CONTENT_TYPE, ETAG, IF_MATCH, LOCATION};
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use ehc_domain::plan::{representations_close, IssueStage, PlanContent, PlanStatus};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::json::ValidatedJson;
use crate::problems::{BadRequest, Conflict, Forbidden, IfMatchRequired, Invalid, NotFound, Stale, Unauthorized};
use crate::state::AppState;
use crate::workflow::plans::{self, Shown};

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanVersionSummary {
    pub version: i32,
    /// `draft`, `final` or `amended`.
    pub stage: IssueStage,
    pub issued_on: NaiveDate,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub case_id: String,
    pub status: PlanStatus,
    /// The issued version shown; null when this is the assessment team's working copy.
    pub version: Option<i32>,
    pub content: PlanContent,
    pub versions: Vec<PlanVersionSummary>,
    pub draft_issued_on: Option<NaiveDate>,
    /// The last day of the family's 15 days for representations on the draft (reg 13(1)(a)).
    pub representations_close_on: Option<NaiveDate>,
    pub final_issued_on: Option<NaiveDate>,
}

fn etag(revision: i32) -> String {
    format!("\"n{revision}\"")
}

fn respond(mut answer: actix_web::HttpResponseBuilder, shown: Shown) -> HttpResponse {
    let p = shown.plan;
    answer.insert_header((ETAG, etag(p.revision))).json(PlanView {
        representations_close_on: p.draft_issued_on.map(representations_close),
        id: p.id,
        case_id: p.case_id,
        status: p.status,
        version: shown.version,
        content: shown.content,
        versions: shown
            .versions
            .into_iter()
            .map(|v| PlanVersionSummary {
                version: v.version,
                stage: IssueStage::parse(&v.stage).unwrap_or(IssueStage::Draft),
                issued_on: v.issued_on,
            })
            .collect(),
        draft_issued_on: p.draft_issued_on,
        final_issued_on: p.final_issued_on,
    })
}

type CasePath = web::Path<uuid::Uuid>;
type PlanPath = web::Path<uuid::Uuid>;

/// Start the case's EHC plan.
///
/// Assessment officers. The draft is filled from the published advice: the family's views into
/// section A, needs into B, C or D, outcomes into E, provision into F, G or H2, each with the advice
/// version it came from, and section K listing them. A case has one plan (409 for a second).
#[utoipa::path(tag = "plans", operation_id = "startPlan", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The case's id")), responses(
    (status = 201, body = PlanView, description = "Started",
        headers(("Location" = String, description = "The plan: `/api/v1/plans/{id}`"), ("ETag" = String, description = "For editing it"))),
    BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
#[post("/cases/{id}/plans")]
pub async fn start_plan(state: web::Data<AppState>, me: AuthUser, id: CasePath) -> ApiResult<HttpResponse> {
    let shown = plans::start(&state, me, id.to_string()).await?;
    let mut answer = HttpResponse::Created();
    answer.insert_header((LOCATION, format!("/api/v1/plans/{}", shown.plan.id)));
    Ok(respond(answer, shown))
}

/// A case's EHC plan.
///
/// The assessment team reads the working copy; the family and everyone else on the case read the
/// latest issued version (404 until a draft is issued).
#[utoipa::path(tag = "plans", operation_id = "getPlan", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The plan's id")), responses(
    (status = 200, body = PlanView, description = "OK", headers(("ETag" = String, description = "For editing it"))),
    BadRequest, Unauthorized, NotFound))]
#[get("/plans/{id}")]
pub async fn get_plan(state: web::Data<AppState>, me: AuthUser, id: PlanPath) -> ApiResult<HttpResponse> {
    Ok(respond(HttpResponse::Ok(), plans::show(&state, me, id.to_string()).await?))
}

/// Edit the plan.
///
/// Assessment officers, with `If-Match` (428 without, 412 when it changed since). Until the final
/// plan is issued; after that it changes by review and amendment.
#[utoipa::path(tag = "plans", operation_id = "editPlan", security(("bearer" = [])), request_body = PlanContent,
    params(("id" = uuid::Uuid, Path, description = "The plan's id"),
        ("If-Match" = String, Header, description = "The plan's ETag as you read it")), responses(
    (status = 200, body = PlanView, description = "Saved", headers(("ETag" = String, description = "The new version"))),
    BadRequest, Unauthorized, Forbidden, NotFound, Conflict, Stale, IfMatchRequired, Invalid))]
#[put("/plans/{id}")]
pub async fn edit_plan(
    state: web::Data<AppState>,
    req: HttpRequest,
    me: AuthUser,
    id: PlanPath,
    body: ValidatedJson<PlanBody>,
) -> ApiResult<HttpResponse> {
    let tag = req.headers().get(IF_MATCH).ok_or(ApiError::PreconditionRequired)?;
    let revision = tag.to_str().ok().and_then(|t| t.trim().trim_matches('"').strip_prefix('n')?.parse().ok());
    Ok(respond(HttpResponse::Ok(), plans::edit(&state, me, id.to_string(), revision, body.0 .0).await?))
}

/// The plan's sections as the officer leaves them (bounded by the body limit).
#[derive(Debug)]
pub struct PlanBody(PlanContent);

/// serde takes a struct from an array of its fields, which no client means
/// (`"i_placement": [null, null]`): what was read back as an object must
/// have been sent as one. The first place it was not, as a JSON pointer.
fn array_for_object(sent: &serde_json::Value, read: &serde_json::Value, at: &str) -> Option<String> {
    use serde_json::Value::{Array, Object};
    match (sent, read) {
        (Array(_), Object(_)) => Some(at.to_owned()),
        (Object(sent), Object(read)) => {
            read.iter().find_map(|(k, r)| sent.get(k).and_then(|s| array_for_object(s, r, &format!("{at}/{k}"))))
        }
        (Array(sent), Array(read)) => {
            sent.iter().zip(read).enumerate().find_map(|(i, (s, r))| array_for_object(s, r, &format!("{at}/{i}")))
        }
        _ => None,
    }
}

impl<'de> Deserialize<'de> for PlanBody {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let sent = serde_json::Value::deserialize(deserializer)?;
        let content: PlanContent = serde_path_to_error::deserialize(sent.clone())
            .map_err(|e| D::Error::custom(format!("{}: {}", e.path(), e.inner())))?;
        let read = serde_json::to_value(&content).map_err(D::Error::custom)?;
        if let Some(pointer) = array_for_object(&sent, &read, "") {
            return Err(D::Error::custom(format!("{pointer} must be an object")));
        }
        Ok(PlanBody(content))
    }
}

impl validator::Validate for PlanBody {
    fn validate(&self) -> Result<(), validator::ValidationErrors> {
        Ok(())
    }
}

#[derive(Debug, Deserialize, ToSchema, validator::Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"stage": "draft", "issued_on": "2026-12-01"}))]
pub struct IssuePlan {
    /// `draft`: sent to the family for representations; `final`: the finalised plan, naming the
    /// placement; `amended`: the final plan amended once amendments were proposed (reg 22(3)).
    pub stage: IssueStage,
    /// The day it is sent (today or earlier).
    pub issued_on: NaiveDate,
}

/// Issue the plan as a draft or as the final plan.
///
/// Assessment officers. Every provision must say who, how much and how often; a draft names no
/// school; the final plan names the placement and follows the draft by at least 15 days (reg 13(1)),
/// within 20 weeks of the request (reg 13(2)). Records the case's decision and keeps the version.
#[utoipa::path(tag = "plans", operation_id = "issuePlan", security(("bearer" = [])), request_body = IssuePlan,
    params(("id" = uuid::Uuid, Path, description = "The plan's id")), responses(
    (status = 200, body = PlanView, description = "Issued"),
    BadRequest, Unauthorized, Forbidden, NotFound, Conflict, Invalid))]
#[post("/plans/{id}/issue")]
pub async fn issue_plan(
    state: web::Data<AppState>,
    me: AuthUser,
    id: PlanPath,
    body: ValidatedJson<IssuePlan>,
) -> ApiResult<HttpResponse> {
    let b = body.0;
    Ok(respond(HttpResponse::Ok(), plans::issue(&state, me, id.to_string(), b.stage, b.issued_on).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DocumentQuery {
    /// An issued version (the latest if absent; the assessment team sees the working copy).
    #[param(minimum = 1)]
    pub version: Option<i32>,
    /// `html` (the default) or `pdf`.
    #[param(inline)]
    pub format: Option<DocumentFormat>,
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DocumentFormat {
    Html,
    Pdf,
}

/// The plan as a document.
///
/// Accessible HTML for the family (a heading for each section, tables for provision), or a PDF of
/// the same sections to print or send (`format=pdf`). Everyone on the case reads issued versions;
/// the assessment team also the working copy.
#[utoipa::path(tag = "plans", operation_id = "planDocument", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The plan's id"), DocumentQuery), responses(
    (status = 200, description = "The document", content(
        (String = "text/html"),
        (crate::routes::documents::FileBytes = "application/pdf"))),
    BadRequest, Unauthorized, NotFound))]
#[get("/plans/{id}/document")]
pub async fn plan_document(
    state: web::Data<AppState>,
    me: AuthUser,
    id: PlanPath,
    query: web::Query<DocumentQuery>,
) -> ApiResult<HttpResponse> {
    let (case, content, version) = plans::for_document(&state, me, id.to_string(), query.version).await?;
    if query.format == Some(DocumentFormat::Pdf) {
        let pdf = crate::views::plan_pdf::render(&case, &content, version.as_ref());
        return Ok(HttpResponse::Ok().insert_header((CONTENT_TYPE, "application/pdf")).body(pdf));
    }
    let html = crate::views::plan_document::render(&case, &content, version.as_ref());
    Ok(HttpResponse::Ok().insert_header((CONTENT_TYPE, "text/html; charset=utf-8")).body(html))
}

#[derive(Debug, Deserialize, ToSchema, validator::Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kind": "school_phase", "transfer_on": "2027-09-01"}))]
pub struct PhaseTransferBody {
    pub kind: ehc_domain::statutory::PhaseTransfer,
    /// The day the child or young person moves to the new institution.
    pub transfer_on: NaiveDate,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PhaseTransferView {
    pub kind: ehc_domain::statutory::PhaseTransfer,
    pub transfer_on: NaiveDate,
    /// By when the plan must be reviewed and amended to name the new institution (reg 18).
    pub review_due_on: NaiveDate,
}

/// Record the transfer between phases ahead.
///
/// Assessment officers. Early years to school, between school phases, secondary to post-16, or
/// between post-16 institutions: the timeline then shows the review and amendment reg 18 requires
/// (15 February of the year of transfer, 31 March for year 11, 5 months before a post-16 move).
#[utoipa::path(tag = "plans", operation_id = "setPhaseTransfer", security(("bearer" = [])), request_body = PhaseTransferBody,
    params(("id" = uuid::Uuid, Path, description = "The case's id")), responses(
    (status = 200, body = PhaseTransferView, description = "Recorded"),
    BadRequest, Unauthorized, Forbidden, NotFound, Invalid))]
#[put("/cases/{id}/phase-transfer")]
pub async fn set_phase_transfer(
    state: web::Data<AppState>,
    me: AuthUser,
    id: CasePath,
    body: ValidatedJson<PhaseTransferBody>,
) -> ApiResult<HttpResponse> {
    let b = body.0;
    let review_due_on = plans::set_phase_transfer(&state, me, id.to_string(), b.kind, b.transfer_on).await?;
    Ok(HttpResponse::Ok().json(PhaseTransferView { kind: b.kind, transfer_on: b.transfer_on, review_due_on }))
}
