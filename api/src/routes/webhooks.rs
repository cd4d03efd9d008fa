//! A partner system's webhook endpoints, their deliveries and redelivery
//! (client tokens with `webhooks:manage`; Standard Webhooks signatures).

use actix_web::http::header::LOCATION;
use actix_web::{delete, get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use ehc_domain::events::EventType;
use ehc_storage::partners::webhooks::{Delivery, Endpoint};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::json::ValidatedJson;
use crate::paging::{page, Page, PageQuery};
use crate::partners::webhooks::{self, DeliveryWithAttempts, Issued};
use crate::problems::{BadRequest, Conflict, Forbidden, Invalid, NotFound, Unauthorized};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EndpointStatus {
    Enabled,
    /// Failed for 5 days without a success; enable it again when fixed.
    Disabled,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EndpointView {
    #[schema(format = Uuid)]
    pub id: String,
    pub url: String,
    pub event_types: Vec<EventType>,
    pub status: EndpointStatus,
    /// Since when every delivery has failed; null when the last one succeeded.
    pub failing_since: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

fn view(e: Endpoint) -> EndpointView {
    EndpointView {
        status: if e.is_enabled() { EndpointStatus::Enabled } else { EndpointStatus::Disabled },
        event_types: e.event_types.split(' ').filter_map(EventType::parse).collect(),
        id: e.id,
        url: e.url,
        failing_since: e.failing_since.map(|t| t.and_utc()),
        created_at: e.created_at.and_utc(),
    }
}

/// An endpoint with its signing secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssuedEndpointView {
    #[serde(flatten)]
    pub endpoint: EndpointView,
    /// `whsec_…`: verify each delivery's `webhook-signature` with it (Standard Webhooks).
    pub secret: String,
}

fn issued(i: Issued) -> IssuedEndpointView {
    IssuedEndpointView { endpoint: view(i.endpoint), secret: i.secret }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"url": "https://cms.example.gov.uk/hooks/ehc", "event_types": ["case.created", "advice.published"]}))]
pub struct CreateEndpoint {
    /// https; in production it must not resolve to a private, loopback or link-local address.
    #[validate(length(min = 1, max = 2000, message = "must be 1 to 2000 characters"))]
    #[schema(min_length = 1, max_length = 2000)]
    pub url: String,
    #[validate(length(min = 1, message = "must name at least one event type"))]
    #[schema(min_items = 1, max_items = 14)]
    pub event_types: Vec<EventType>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AttemptView {
    pub attempted_at: DateTime<Utc>,
    /// The receiver's status; null when it could not be reached.
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub duration_ms: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryView {
    #[schema(format = Uuid)]
    pub id: String,
    /// The `webhook-id` of the message: the event's id.
    #[schema(format = Uuid)]
    pub event_id: String,
    pub event_type: String,
    pub attempts: Vec<AttemptView>,
    /// When the next attempt is due; null once delivered or failed.
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
    /// Set when every scheduled attempt failed (or the endpoint was disabled).
    pub failed_at: Option<DateTime<Utc>>,
}

fn delivery_view((d, event_type, attempts): DeliveryWithAttempts) -> DeliveryView {
    DeliveryView {
        id: d.id,
        event_id: d.event_id,
        event_type,
        attempts: attempts
            .into_iter()
            .map(|a| AttemptView {
                attempted_at: a.attempted_at.and_utc(),
                status_code: a.status_code,
                error: a.error,
                duration_ms: a.duration_ms,
            })
            .collect(),
        next_attempt_at: d.next_attempt_at.map(|t| t.and_utc()),
        delivered_at: d.delivered_at.map(|t| t.and_utc()),
        failed_at: d.failed_at.map(|t| t.and_utc()),
    }
}

fn queued(d: Delivery) -> DeliveryView {
    delivery_view((d, String::new(), Vec::new()))
}

type EndpointPath = web::Path<uuid::Uuid>;

/// Add a webhook endpoint.
///
/// A partner system's token (`webhooks:manage`). Each event of a chosen type that the system may
/// see is POSTed to it, signed. The signing secret is answered this once.
#[utoipa::path(tag = "webhooks", operation_id = "createWebhookEndpoint", security(("oauth2" = ["webhooks:manage"])),
    request_body = CreateEndpoint, responses(
    (status = 201, body = IssuedEndpointView, description = "Created",
        headers(("Location" = String, description = "The endpoint: `/api/v1/webhooks/endpoints/{id}`"))),
    BadRequest, Unauthorized, Forbidden, Invalid))]
#[post("/webhooks/endpoints")]
pub async fn create_webhook_endpoint(
    state: web::Data<AppState>,
    me: AuthUser,
    body: ValidatedJson<CreateEndpoint>,
) -> ApiResult<HttpResponse> {
    let b = body.0;
    let made = webhooks::create(&state, me, b.url, b.event_types).await?;
    let location = format!("/api/v1/webhooks/endpoints/{}", made.endpoint.id);
    Ok(HttpResponse::Created().insert_header((LOCATION, location)).json(issued(made)))
}

/// The system's webhook endpoints.
///
/// A partner system's token (`webhooks:manage`). Paged with `limit` and `cursor`.
#[utoipa::path(tag = "webhooks", operation_id = "listWebhookEndpoints", security(("oauth2" = ["webhooks:manage"])),
    params(PageQuery), responses(
    (status = 200, body = Page<EndpointView>, description = "OK"), BadRequest, Unauthorized, Forbidden))]
#[get("/webhooks/endpoints")]
pub async fn list_webhook_endpoints(
    state: web::Data<AppState>,
    me: AuthUser,
    query: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let (limit, after) = (query.limit()?, query.after_id()?);
    let rows = webhooks::page(&state, me, after, limit).await?;
    Ok(HttpResponse::Ok().json(page(rows, limit, |e| e.id.clone(), view)))
}

/// One webhook endpoint.
///
/// A partner system's token (`webhooks:manage`), for its own endpoints.
#[utoipa::path(tag = "webhooks", operation_id = "getWebhookEndpoint", security(("oauth2" = ["webhooks:manage"])),
    params(("id" = uuid::Uuid, Path, description = "The endpoint's id")), responses(
    (status = 200, body = EndpointView, description = "OK"), BadRequest, Unauthorized, Forbidden, NotFound))]
#[get("/webhooks/endpoints/{id}")]
pub async fn get_webhook_endpoint(
    state: web::Data<AppState>,
    me: AuthUser,
    id: EndpointPath,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(view(webhooks::show(&state, me, id.to_string()).await?)))
}

/// Remove a webhook endpoint.
///
/// A partner system's token (`webhooks:manage`). Nothing more is sent to it.
#[utoipa::path(tag = "webhooks", operation_id = "deleteWebhookEndpoint", security(("oauth2" = ["webhooks:manage"])),
    params(("id" = uuid::Uuid, Path, description = "The endpoint's id")), responses(
    (status = 204, description = "Removed"), BadRequest, Unauthorized, Forbidden, NotFound))]
#[delete("/webhooks/endpoints/{id}")]
pub async fn delete_webhook_endpoint(
    state: web::Data<AppState>,
    me: AuthUser,
    id: EndpointPath,
) -> ApiResult<HttpResponse> {
    webhooks::delete(&state, me, id.to_string()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Rotate an endpoint's signing secret.
///
/// A partner system's token (`webhooks:manage`). For the next 24 hours each delivery carries a
/// signature with the old secret and one with the new, so the receiver can switch without a gap.
#[utoipa::path(tag = "webhooks", operation_id = "rotateWebhookSecret", security(("oauth2" = ["webhooks:manage"])),
    params(("id" = uuid::Uuid, Path, description = "The endpoint's id")), responses(
    (status = 200, body = IssuedEndpointView, description = "Rotated; the new secret is shown this once"),
    BadRequest, Unauthorized, Forbidden, NotFound))]
#[post("/webhooks/endpoints/{id}/rotate-secret")]
pub async fn rotate_webhook_secret(
    state: web::Data<AppState>,
    me: AuthUser,
    id: EndpointPath,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(issued(webhooks::rotate(&state, me, id.to_string()).await?)))
}

/// Enable an endpoint again.
///
/// A partner system's token (`webhooks:manage`), once a disabled endpoint is fixed. Missed events are
/// in the feed and can be redelivered.
#[utoipa::path(tag = "webhooks", operation_id = "enableWebhookEndpoint", security(("oauth2" = ["webhooks:manage"])),
    params(("id" = uuid::Uuid, Path, description = "The endpoint's id")), responses(
    (status = 200, body = EndpointView, description = "Enabled"), BadRequest, Unauthorized, Forbidden, NotFound))]
#[post("/webhooks/endpoints/{id}/enable")]
pub async fn enable_webhook_endpoint(
    state: web::Data<AppState>,
    me: AuthUser,
    id: EndpointPath,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(view(webhooks::enable(&state, me, id.to_string()).await?)))
}

/// An endpoint's deliveries, newest first, with every attempt.
///
/// A partner system's token (`webhooks:manage`). Paged with `limit` and `cursor`.
#[utoipa::path(tag = "webhooks", operation_id = "listWebhookDeliveries", security(("oauth2" = ["webhooks:manage"])),
    params(("id" = uuid::Uuid, Path, description = "The endpoint's id"), PageQuery), responses(
    (status = 200, body = Page<DeliveryView>, description = "OK"), BadRequest, Unauthorized, Forbidden, NotFound))]
#[get("/webhooks/endpoints/{id}/deliveries")]
pub async fn list_webhook_deliveries(
    state: web::Data<AppState>,
    me: AuthUser,
    id: EndpointPath,
    query: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let (limit, before) = (query.limit()?, query.after_id()?);
    let rows = webhooks::deliveries(&state, me, id.to_string(), before, limit).await?;
    Ok(HttpResponse::Ok().json(page(rows, limit, |(d, _, _)| d.id.clone(), delivery_view)))
}

/// Send a delivery's message again.
///
/// A partner system's token (`webhooks:manage`). Queued at once as a new delivery with the same
/// `webhook-id` (the event's), so a receiver that has it already can drop it.
#[utoipa::path(tag = "webhooks", operation_id = "redeliverWebhook", security(("oauth2" = ["webhooks:manage"])),
    params(("id" = uuid::Uuid, Path, description = "The endpoint's id"),
        ("delivery_id" = uuid::Uuid, Path, description = "The delivery's id")), responses(
    (status = 202, body = DeliveryView, description = "Queued"), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
#[post("/webhooks/endpoints/{id}/deliveries/{delivery_id}/redeliver")]
pub async fn redeliver_webhook(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<(uuid::Uuid, uuid::Uuid)>,
) -> ApiResult<HttpResponse> {
    let (id, delivery_id) = path.into_inner();
    let again = webhooks::redeliver(&state, me, id.to_string(), delivery_id.to_string()).await?;
    Ok(HttpResponse::Accepted().json(queued(again)))
}
