//! The OpenAPI document, generated from the handlers' annotations.

use ehc_domain::scopes::Scope;
use utoipa::openapi::security::{ClientCredentials, Flow, Http, HttpAuthScheme, OAuth2, Scopes, SecurityScheme};
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
    tags(
        (name = "health", description = "Liveness and readiness probes"),
        (name = "auth", description = "Registration and two-step login"),
        (name = "invitations", description = "Inviting staff, professionals and families"),
        (name = "me", description = "The caller's own account, councils and second factors"),
        (name = "users", description = "A council's users and its rule for their second step"),
        (name = "organisations", description = "Schools, NHS trusts, services and their escalation policies"),
        (name = "teams", description = "Team inboxes and their roles"),
        (name = "cases", description = "Cases and who takes part in them"),
        (name = "advice requests", description = "Requests for advice and the caller's outstanding work"),
        (name = "advice", description = "Structured advice: drafts, submit, endorsement, release, versions and quality checks"),
        (name = "documents", description = "Documents attached to advice, virus-scanned"),
        (name = "timeline", description = "Decisions, exceptions, closure calendars and the statutory clock"),
        (name = "audit", description = "The audit log, subject-access export and legal holds"),
        (name = "reports", description = "Timeliness and the DfE's SEN2 return"),
        (name = "plans", description = "The EHC plan: drafted from the advice, issued as a draft and a final plan"),
        (name = "api clients", description = "Partner systems: their OAuth 2.0 clients, secrets and scopes"),
        (name = "events", description = "What changed, for partner systems: the events feed"),
        (name = "webhooks", description = "A partner system's webhook endpoints and deliveries (Standard Webhooks)"))
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
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut basic = Http::new(HttpAuthScheme::Basic);
        basic.description = Some("A partner system's client_id and client_secret (client_secret_basic)".to_owned());
        components.add_security_scheme("client_basic", SecurityScheme::Http(basic));
        let scopes = Scopes::from_iter(Scope::ALL.iter().map(|s| (s.as_str(), s.meaning())));
        let flow = Flow::ClientCredentials(ClientCredentials::new("/api/v1/oauth/token", scopes));
        let mut oauth = OAuth2::new([flow]);
        oauth.description = Some("A partner system's token (client credentials; see the integration guide)".to_owned());
        components.add_security_scheme("oauth2", SecurityScheme::OAuth2(oauth));
    }
}

/// Every 201 carries `Location` (the handlers set it): the record, or where
/// it is listed when it has no address of its own (a decision, a team).
fn every_creation_says_where(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::header::HeaderBuilder;
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    use utoipa::openapi::RefOr;
    let header = HeaderBuilder::new()
        .schema(Some(ObjectBuilder::new().schema_type(Type::String).build()))
        .description(Some("Where the created record is: its own address, or the list it appears in"))
        .build();
    for item in api.paths.paths.values_mut() {
        let Some(post) = item.post.as_mut() else { continue };
        if let Some(RefOr::T(created)) = post.responses.responses.get_mut("201") {
            created.headers.entry("Location".to_owned()).or_insert_with(|| RefOr::T(header.clone()));
        }
    }
}

/// Every authenticated POST takes `Idempotency-Key` (idempotency.rs), and
/// may answer 409 while the first request with that key is still running
/// and 422 when the key was used for another request.
fn declare_idempotency_keys(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    use utoipa::IntoResponses;
    let owed: Vec<_> =
        crate::problems::Conflict::responses().into_iter().chain(crate::problems::Invalid::responses()).collect();
    let parameter = ParameterBuilder::new()
        .name("Idempotency-Key")
        .parameter_in(ParameterIn::Header)
        .description(Some(
            "Makes a retry safe: the first answer is kept 24 hours and a retry with the same key gets it \
             again (`Idempotent-Replayed: true`); the same key with another body is a 422.",
        ))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String).pattern(Some(crate::idempotency::KEY_PATTERN))))
        .build();
    for item in api.paths.paths.values_mut() {
        let Some(post) = item.post.as_mut() else { continue };
        let secured = serde_json::to_value(&post.security).is_ok_and(|v| {
            let text = v.to_string();
            text.contains("\"bearer\"") || text.contains("\"oauth2\"")
        });
        if !secured {
            continue;
        }
        post.parameters.get_or_insert_with(Vec::new).push(utoipa::openapi::RefOr::T(parameter.clone()));
        for (status, response) in &owed {
            post.responses.responses.entry(status.clone()).or_insert_with(|| response.clone());
        }
    }
}

fn on_behalf_of() -> utoipa::openapi::path::Parameter {
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
    ParameterBuilder::new()
        .name("On-Behalf-Of")
        .parameter_in(ParameterIn::Header)
        .description(Some(
            "An organisation's system only: the id of the practitioner of that organisation it acts for. The \
             advice is then written, submitted and versioned as theirs, exactly as in the app.",
        ))
        .schema(Some(
            ObjectBuilder::new().schema_type(Type::String).format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid))),
        ))
        .build()
}

/// Each operation open to partner systems also takes their token, with the
/// scope it needs (client_scopes.rs, the table the principal checks).
fn declare_client_scopes(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::security::SecurityRequirement;
    for (method, route, scope) in crate::client_scopes::CLIENT_OPERATIONS {
        let Some(item) = api.paths.paths.get_mut(*route) else { continue };
        let operation = match *method {
            "GET" => item.get.as_mut(),
            "POST" => item.post.as_mut(),
            "PUT" => item.put.as_mut(),
            "PATCH" => item.patch.as_mut(),
            "DELETE" => item.delete.as_mut(),
            _ => None,
        };
        let Some(operation) = operation else { continue };
        if crate::client_scopes::may_act_for_a_practitioner(*scope) {
            operation.parameters.get_or_insert_with(Vec::new).push(utoipa::openapi::RefOr::T(on_behalf_of()));
            // Refused (403) to a person, and for anyone but the system's own practitioners.
            use utoipa::IntoResponses;
            for (status, response) in crate::problems::Forbidden::responses() {
                operation.responses.responses.entry(status).or_insert(response);
            }
        }
        let security = operation.security.get_or_insert_with(Vec::new);
        let declared = serde_json::to_value(&*security).is_ok_and(|v| v.to_string().contains("\"oauth2\""));
        if !declared {
            security.push(SecurityRequirement::new("oauth2", [scope.as_str()]));
        }
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
    finish(api)
}

/// What the routes' annotations cannot say themselves, applied to the
/// served spec and the printed one alike.
pub fn finish(mut api: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    refer_page_items(&mut api);
    link_created_resources(&mut api);
    every_operation_may_refuse_bad_requests(&mut api);
    name_request_ids(&mut api);
    declare_client_scopes(&mut api);
    declare_idempotency_keys(&mut api);
    every_creation_says_where(&mut api);
    api
}

/// OpenAPI links from each 201 to the operations on what it made, so a
/// client (and schemathesis's stateful phase) can follow a created case to
/// its requests, a request to its advice, an upload to its document. The
/// item path is either nested (`/cases/{id}/participants/{participant_id}`)
/// or the collection's own (`/cases/{id}/advice-requests` makes
/// `/advice-requests/{id}`); the new id is the body's `id`, other path ids
/// are the request's.
fn link_created_resources(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::link::LinkBuilder;
    use utoipa::openapi::RefOr;
    let params_of = |path: &str| -> Vec<String> {
        path.split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(str::to_owned)
            .collect()
    };
    let mut targets: Vec<(String, String)> = Vec::new();
    for (path, item) in &api.paths.paths {
        let operations = [&item.get, &item.put, &item.post, &item.patch, &item.delete];
        for operation in operations.into_iter().flatten() {
            if let Some(id) = &operation.operation_id {
                targets.push((path.clone(), id.clone()));
            }
        }
    }
    for (path, item) in api.paths.paths.iter_mut() {
        let Some(create) = item.post.as_mut() else { continue };
        let Some(RefOr::T(created)) = create.responses.responses.get_mut("201") else { continue };
        let Some(resource) = path.rsplit('/').next().filter(|s| !s.starts_with('{')) else { continue };
        let own_params = params_of(path);
        let top_level = format!("/api/v1/{resource}/{{id}}");
        for (target, operation_id) in &targets {
            let nested = target.strip_prefix(path.as_str()).and_then(|rest| rest.strip_prefix("/{"));
            let item_param = match nested {
                Some(rest) => rest.split('}').next().map(str::to_owned),
                None if target == &top_level || target.starts_with(&format!("{top_level}/")) => Some("id".to_owned()),
                None => None,
            };
            let Some(item_param) = item_param else { continue };
            let mut link = LinkBuilder::new().operation_id(operation_id.clone());
            let mut bound = true;
            for param in params_of(target) {
                if param == item_param {
                    link = link.parameter(param, "$response.body#/id");
                } else if own_params.contains(&param) {
                    link = link.parameter(param.clone(), format!("$request.path.{param}"));
                } else {
                    bound = false;
                }
            }
            if bound {
                created.links.insert(operation_id.clone(), RefOr::T(link.build()));
            }
        }
    }
}

/// Any operation answers 400 for a query parameter it does not declare
/// (unrouted.rs), and any with a JSON body 422 for a field it does not know
/// or a body that is not an object (json.rs), so each says so.
fn every_operation_may_refuse_bad_requests(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::IntoResponses;
    let bad_request = crate::problems::BadRequest::responses();
    let invalid = crate::problems::Invalid::responses();
    for item in api.paths.paths.values_mut() {
        let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.patch, &mut item.delete];
        for operation in operations.into_iter().flatten() {
            let json_body = operation.request_body.as_ref().is_some_and(|body| match body {
                utoipa::openapi::RefOr::T(body) => body.content.contains_key("application/json"),
                utoipa::openapi::RefOr::Ref(_) => false,
            });
            let owed = bad_request.iter().chain(invalid.iter().filter(|_| json_body));
            for (status, response) in owed {
                operation.responses.responses.entry(status.clone()).or_insert_with(|| response.clone());
            }
        }
    }
}

/// Every answer carries the hub's `X-Request-Id` (request_id.rs), the one
/// the audit log and the logs name: a client quotes it when reporting a fault.
fn name_request_ids(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::header::HeaderBuilder;
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    use utoipa::openapi::RefOr;
    let header = HeaderBuilder::new()
        .schema(Some(ObjectBuilder::new().schema_type(Type::String).build()))
        .description(Some("The hub's id for this request, as its logs and audit log name it"))
        .build();
    for item in api.paths.paths.values_mut() {
        let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.patch, &mut item.delete];
        for operation in operations.into_iter().flatten() {
            for response in operation.responses.responses.values_mut() {
                if let RefOr::T(response) = response {
                    response.headers.insert("X-Request-Id".to_owned(), RefOr::T(header.clone()));
                }
            }
        }
    }
}

/// utoipa inlines a generic's type parameter, so every `Page_X` would carry
/// its own copy of `X` and generated clients one anonymous type per list.
/// Point each page's items at the item's own schema instead.
fn refer_page_items(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::schema::{ArrayItems, Schema};
    use utoipa::openapi::{Ref, RefOr};
    let Some(components) = api.components.as_mut() else { return };
    let names: Vec<String> = components.schemas.keys().cloned().collect();
    for (name, schema) in components.schemas.iter_mut() {
        let Some(item) = name.strip_prefix("Page_").filter(|item| names.iter().any(|n| n == item)) else { continue };
        let RefOr::T(Schema::Object(page)) = schema else { continue };
        if let Some(RefOr::T(Schema::Array(items))) = page.properties.get_mut("items") {
            items.items = ArrayItems::RefOrSchema(Box::new(RefOr::Ref(Ref::from_schema_name(item))));
        }
    }
}

pub fn spec_json() -> Result<String, serde_json::Error> {
    spec().to_pretty_json().map(|mut s| {
        s.push('\n');
        s
    })
}
