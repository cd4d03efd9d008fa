//! The events feed, for partner systems that cannot receive webhooks (behind
//! a council's firewall, say): durable, ordered, paged by position.

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use ehc_domain::events::EventType;
use ehc_storage::partners::events::Event;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::paging::{checked_limit, Page};
use crate::partners::events;
use crate::problems::{BadRequest, Forbidden, Unauthorized};
use crate::state::AppState;

/// An event: what happened and to which records, never what they say.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventView {
    /// The same id a webhook delivery of this event carries.
    #[schema(format = Uuid)]
    pub id: String,
    /// Its place in the feed (pass the last one seen as `cursor`).
    pub position: i64,
    #[serde(rename = "type")]
    pub event_type: EventType,
    pub occurred_at: DateTime<Utc>,
    #[schema(format = Uuid)]
    pub case_id: Option<String>,
    pub case_reference: Option<String>,
    #[schema(format = Uuid)]
    pub advice_request_id: Option<String>,
    /// The record within the case the event is about (an advice version, a document, a decision).
    pub subject_id: Option<String>,
}

fn view(e: Event) -> EventView {
    EventView {
        id: e.id,
        position: e.position.unwrap_or_default(),
        event_type: e.event_type,
        occurred_at: e.occurred_at.and_utc(),
        case_id: e.case_id,
        case_reference: e.case_reference,
        advice_request_id: e.request_id,
        subject_id: e.subject_id,
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EventPageQuery {
    /// Events per page (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// The position after which to read: `next_cursor` of the previous page (from the start if absent).
    #[param(pattern = "^[0-9]{1,18}$")]
    pub cursor: Option<String>,
}

/// What changed, in order.
///
/// The assessment team and partner systems (`events:read`): a council's own system reads every
/// event of the council, an organisation's system those of requests addressed to its team inboxes.
/// Events are kept 90 days. `next_cursor` is the last event's position, so a reader keeps it and
/// asks again later; it is null only when nothing is new (keep the cursor you have).
#[utoipa::path(tag = "events", operation_id = "listEvents", security(("bearer" = [])), params(EventPageQuery), responses(
    (status = 200, body = Page<EventView>, description = "OK"),
    BadRequest, Unauthorized, Forbidden))]
#[get("/events")]
pub async fn list_events(
    state: web::Data<AppState>,
    me: AuthUser,
    query: web::Query<EventPageQuery>,
) -> ApiResult<HttpResponse> {
    let limit = checked_limit(query.limit)?;
    let after = match query.cursor.as_deref() {
        None => 0,
        Some(cursor) => cursor.parse::<i64>().map_err(|_| ApiError::BadRequest("cursor is not a position".into()))?,
    };
    let items: Vec<EventView> = events::feed(&state, me, after, limit).await?.into_iter().map(view).collect();
    let next_cursor = items.last().map(|e| e.position.to_string());
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}
