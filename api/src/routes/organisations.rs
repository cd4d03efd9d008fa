//! Organisations registered under a local authority: schools, NHS trusts,
//! social care teams. Invitations place people in one of them.

use actix_web::http::header::LOCATION;
use actix_web::{get, post, web, HttpResponse};
use ehc_domain::roles::OrganisationKind;
use ehc_storage::identity::organisations::Organisation;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::json::ValidatedJson;
use crate::paging::{page, Page, PageQuery};
use crate::problems::{BadRequest, Forbidden, Invalid, Unauthorized};
use crate::state::AppState;
use crate::workflow::authority;

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationView {
    #[schema(format = Uuid)]
    pub id: String,
    pub name: String,
    pub kind: OrganisationKind,
}

impl From<Organisation> for OrganisationView {
    fn from(o: Organisation) -> Self {
        OrganisationView { id: o.id, name: o.name, kind: o.kind }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Oakfield Primary School", "kind": "school"}))]
pub struct CreateOrganisation {
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    pub kind: OrganisationKind,
}

/// Organisations of the caller's council.
///
/// Schools, NHS trusts, the council's own services. Staff of the council. Paged with `limit` and
/// `cursor`.
#[utoipa::path(tag = "organisations", operation_id = "listOrganisations", security(("bearer" = [])), params(PageQuery), responses(
    (status = 200, body = Page<OrganisationView>, description = "OK"),
    BadRequest,
    Unauthorized,
    Forbidden))]
#[get("/organisations")]
pub async fn list_organisations(
    state: web::Data<AppState>,
    me: AuthUser,
    query: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let (limit, after) = (query.limit()?, query.after_id()?);
    let rows = authority::organisations_page(&state, me, after, limit).await?;
    Ok(HttpResponse::Ok().json(page(rows, limit, |o| o.id.clone(), OrganisationView::from)))
}

/// Register an organisation.
///
/// Or find the one of that name in the council. Administrators and the assessment team.
#[utoipa::path(tag = "organisations", operation_id = "createOrganisation", security(("bearer" = [])), request_body = CreateOrganisation, responses(
    (status = 201, body = OrganisationView, description = "Created"),
    BadRequest,
    Unauthorized,
    Forbidden,
    Invalid))]
#[post("/organisations")]
pub async fn create_organisation(
    state: web::Data<AppState>,
    me: AuthUser,
    body: ValidatedJson<CreateOrganisation>,
) -> ApiResult<HttpResponse> {
    let b = body.0;
    let org = authority::register_organisation(&state, me, b.name, b.kind).await?;
    let location = format!("/api/v1/organisations/{}/escalation", org.id);
    Ok(HttpResponse::Created().insert_header((LOCATION, location)).json(OrganisationView::from(org)))
}
