//! The OpenAPI document, generated from the handlers' annotations.

use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

#[derive(OpenApi)]
#[openapi(
    info(title = "EHC Hub API", version = "1.0.0",
        description = "Education, Health and Care needs assessments: invitations, two-step login, requests for advice. Errors are RFC 9457 problem+json.",
        contact(name = "The EHC Hub team of the council that runs this hub")),
    servers((url = "/", description = "The hub that serves this document")),
    modifiers(&BearerAuth),
    components(schemas(crate::error::Problem, ehc_domain::field_error::FieldError)),
    tags((name = "health"), (name = "auth", description = "Registration and two-step login"), (name = "invitations"), (name = "me"), (name = "users"), (name = "organisations"), (name = "teams"), (name = "cases"), (name = "advice requests"), (name = "advice"), (name = "documents"), (name = "timeline", description = "Decisions, exceptions, closure calendars and the statutory clock"), (name = "audit", description = "The audit log, subject-access export and legal holds"), (name = "reports", description = "Timeliness and the DfE's SEN2 return"))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let mut scheme = Http::new(HttpAuthScheme::Bearer);
        scheme.bearer_format = Some("JWT".to_owned());
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

/// The document before the routes add their paths.
pub fn base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// Builds the spec the same way the server registers its routes.
pub fn spec() -> utoipa::openapi::OpenApi {
    let (_, api) =
        actix_web::App::new().into_utoipa_app().openapi(base()).configure(crate::routes::configure).split_for_parts();
    api
}

pub fn spec_json() -> Result<String, serde_json::Error> {
    spec().to_pretty_json().map(|mut s| {
        s.push('\n');
        s
    })
}
