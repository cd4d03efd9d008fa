//! Administrators register their council's partner systems (OAuth 2.0
//! clients), rotate their secrets and revoke them.

use actix_web::http::header::LOCATION;
use actix_web::{delete, get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use ehc_domain::email::normalise_email;
use ehc_domain::scopes::{Scope, Scopes};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::json::ValidatedJson;
use crate::paging::{page, Page, PageQuery};
use crate::partners::clients::{self, ClientWithSecrets, IssuedSecret, Registration};
use crate::problems::{BadRequest, Conflict, Forbidden, Invalid, NotFound, Unauthorized};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClientStatus {
    Active,
    Revoked,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SecretView {
    #[schema(format = Uuid)]
    pub id: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiClientView {
    /// The OAuth 2.0 `client_id`.
    #[schema(format = Uuid)]
    pub id: String,
    pub name: String,
    pub contact_email: String,
    /// The organisation whose team inboxes it answers for; null for the council's own system.
    #[schema(format = Uuid)]
    pub organisation_id: Option<String>,
    pub scopes: Vec<Scope>,
    /// Whether a public key is registered for `private_key_jwt`.
    pub has_public_key: bool,
    pub status: ClientStatus,
    /// The live secrets (at most two), never their values.
    pub secrets: Vec<SecretView>,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

fn view((client, secrets): ClientWithSecrets) -> ApiClientView {
    ApiClientView {
        status: if client.is_active() { ClientStatus::Active } else { ClientStatus::Revoked },
        id: client.id,
        name: client.name,
        contact_email: client.contact_email,
        organisation_id: client.organisation_id,
        scopes: client.scopes.iter().collect(),
        has_public_key: client.public_jwk.is_some(),
        secrets: secrets.into_iter().map(|s| SecretView { id: s.id, created_at: s.created_at.and_utc() }).collect(),
        created_at: client.created_at.and_utc(),
        revoked_at: client.revoked_at.map(|t| t.and_utc()),
    }
}

/// A secret as issued: `client_secret` is shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssuedSecretView {
    /// The secret's id (to remove it after a rotation).
    #[schema(format = Uuid)]
    pub id: String,
    pub client_secret: String,
    pub created_at: DateTime<Utc>,
    pub client: ApiClientView,
}

fn issued(client: ClientWithSecrets, secret: IssuedSecret) -> IssuedSecretView {
    IssuedSecretView {
        id: secret.secret.id,
        client_secret: secret.plaintext,
        created_at: secret.secret.created_at.and_utc(),
        client: view(client),
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Case management (Mosaic)", "contact_email": "ict.servicedesk@example.gov.uk",
    "scopes": ["cases:read", "cases:write", "advice-requests:write", "advice:read", "events:read"]}))]
pub struct RegisterClient {
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// Who to tell about the client (its webhooks failing, say).
    #[schema(value_type = crate::views::EmailAddress)]
    pub contact_email: String,
    #[validate(length(min = 1, message = "must name at least one scope"))]
    #[schema(min_items = 1, max_items = 11)]
    pub scopes: Vec<Scope>,
    /// An organisation of the council: the client then sees what that organisation's team inboxes
    /// see. Leave it out for the council's own system, which sees what an assessment officer sees.
    pub organisation_id: Option<uuid::Uuid>,
    /// The client's public key (JWK: RSA ≥ 2048 bits, or EC P-256) for `private_key_jwt`.
    #[schema(value_type = Option<Object>)]
    pub public_jwk: Option<serde_json::Value>,
}

/// Register a partner system.
///
/// Administrators. Answers the client and its first secret, shown this once; only a hash is kept.
#[utoipa::path(tag = "api clients", operation_id = "registerApiClient", security(("bearer" = [])), request_body = RegisterClient, responses(
    (status = 201, body = IssuedSecretView, description = "Registered",
        headers(("Location" = String, description = "The client: `/api/v1/api-clients/{id}`"))),
    BadRequest, Unauthorized, Forbidden, Invalid))]
#[post("/api-clients")]
pub async fn register_api_client(
    state: web::Data<AppState>,
    me: AuthUser,
    body: ValidatedJson<RegisterClient>,
) -> ApiResult<HttpResponse> {
    let b = body.0;
    let contact_email =
        normalise_email(&b.contact_email).map_err(|m| ApiError::validation("/contact_email", "invalid", m))?;
    let asked = Registration {
        name: b.name,
        contact_email,
        scopes: Scopes::from(b.scopes),
        organisation_id: b.organisation_id.map(|id| id.to_string()),
        public_jwk: b.public_jwk,
    };
    let (client, secret) = clients::register(&state, me, asked).await?;
    let location = format!("/api/v1/api-clients/{}", client.0.id);
    Ok(HttpResponse::Created().insert_header((LOCATION, location)).json(issued(client, secret)))
}

/// The council's partner systems.
///
/// Administrators. Paged with `limit` and `cursor`.
#[utoipa::path(tag = "api clients", operation_id = "listApiClients", security(("bearer" = [])), params(PageQuery), responses(
    (status = 200, body = Page<ApiClientView>, description = "OK"),
    BadRequest, Unauthorized, Forbidden))]
#[get("/api-clients")]
pub async fn list_api_clients(
    state: web::Data<AppState>,
    me: AuthUser,
    query: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let (limit, after) = (query.limit()?, query.after_id()?);
    let rows = clients::page(&state, me, after, limit).await?;
    Ok(HttpResponse::Ok().json(page(rows, limit, |(c, _)| c.id.clone(), view)))
}

/// One partner system.
///
/// Administrators of its council.
#[utoipa::path(tag = "api clients", operation_id = "getApiClient", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The client's id")), responses(
    (status = 200, body = ApiClientView, description = "OK"),
    BadRequest, Unauthorized, Forbidden, NotFound))]
#[get("/api-clients/{id}")]
pub async fn get_api_client(
    state: web::Data<AppState>,
    me: AuthUser,
    id: web::Path<uuid::Uuid>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(view(clients::show(&state, me, id.to_string()).await?)))
}

/// Add a second secret (rotation).
///
/// Administrators. The old secret keeps working until it is removed, so the system can switch
/// without downtime; a third live secret is refused (409).
#[utoipa::path(tag = "api clients", operation_id = "addApiClientSecret", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The client's id")), responses(
    (status = 201, body = IssuedSecretView, description = "Added; `client_secret` is shown this once",
        headers(("Location" = String, description = "The client: `/api/v1/api-clients/{id}`"))),
    BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
#[post("/api-clients/{id}/secrets")]
pub async fn add_api_client_secret(
    state: web::Data<AppState>,
    me: AuthUser,
    id: web::Path<uuid::Uuid>,
) -> ApiResult<HttpResponse> {
    let (client, secret) = clients::add_secret(&state, me, id.to_string()).await?;
    let location = format!("/api/v1/api-clients/{}", client.0.id);
    Ok(HttpResponse::Created().insert_header((LOCATION, location)).json(issued(client, secret)))
}

/// Remove a secret.
///
/// Administrators: the old one, once the system uses the new.
#[utoipa::path(tag = "api clients", operation_id = "removeApiClientSecret", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The client's id"),
        ("secret_id" = uuid::Uuid, Path, description = "The secret's id")), responses(
    (status = 204, description = "Removed"),
    BadRequest, Unauthorized, Forbidden, NotFound))]
#[delete("/api-clients/{id}/secrets/{secret_id}")]
pub async fn remove_api_client_secret(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<(uuid::Uuid, uuid::Uuid)>,
) -> ApiResult<HttpResponse> {
    let (id, secret_id) = path.into_inner();
    clients::remove_secret(&state, me, id.to_string(), secret_id.to_string()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Revoke a partner system.
///
/// Administrators. Every token it holds stops working at once and no new one is issued. Final.
#[utoipa::path(tag = "api clients", operation_id = "revokeApiClient", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The client's id")), responses(
    (status = 200, body = ApiClientView, description = "Revoked"),
    BadRequest, Unauthorized, Forbidden, NotFound))]
#[post("/api-clients/{id}/revoke")]
pub async fn revoke_api_client(
    state: web::Data<AppState>,
    me: AuthUser,
    id: web::Path<uuid::Uuid>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(view(clients::revoke(&state, me, id.to_string()).await?)))
}
