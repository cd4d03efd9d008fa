//! `GET /metrics` (off unless `EHC_METRICS_TOKEN` is set, and then only
//! with that token: the figures say how busy a council's service is), and
//! the middleware that counts and times every request by its route.

use std::sync::atomic::Ordering::Relaxed;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::AUTHORIZATION;
use actix_web::middleware::Next;
use actix_web::{web, HttpRequest, HttpResponse};
use ehc_storage::casework::requests;
use ehc_storage::partners::webhooks;
use ehc_storage::{audit, notifications};

use crate::error::ApiError;
use crate::metrics::{RequestLabels, RouteLabels};
use crate::security::secrets::constant_time_eq;
use crate::state::AppState;

pub async fn count_and_time(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let route = req.match_pattern().unwrap_or_else(|| "unmatched".to_owned());
    let method = req.method().as_str().to_owned();
    let response = next.call(req).await?;
    if let Some(state) = state {
        let status = response.status().as_u16();
        let metrics = &state.metrics;
        metrics.requests.get_or_create(&RequestLabels { route: route.clone(), method: method.clone(), status }).inc();
        metrics.latency.get_or_create(&RouteLabels { route, method }).observe(started.elapsed().as_secs_f64());
    }
    Ok(response)
}

pub async fn scrape(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let Some(expected) = state.metrics_token.as_deref() else { return Err(ApiError::NotFound) };
    let given = req.headers().get(AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    if given.is_none_or(|token| !constant_time_eq(token, expected)) {
        return Err(ApiError::Unauthorized("Send the metrics token as a bearer token."));
    }
    let metrics = &state.metrics;
    let pool = state.db.pool_state();
    metrics.db_connections.set(i64::from(pool.connections));
    metrics.db_idle.set(i64::from(pool.idle));
    metrics.db_checkouts.inner().store(pool.checkouts, Relaxed);
    metrics.db_checkout_wait.inner().store(pool.waited.as_secs_f64().to_bits(), Relaxed);
    let hashing = &state.hashing.figures;
    metrics.hash_queue.set(hashing.queued.load(Relaxed) as i64);
    metrics.hashes.inner().store(hashing.done.load(Relaxed) as u64, Relaxed);
    metrics.hash_wait.inner().store((hashing.waited_micros.load(Relaxed) as f64 / 1e6).to_bits(), Relaxed);
    let now = state.now();
    let ((pending, oldest), (hooks, oldest_hook), overdue, (entries, unchained)) = state
        .read_tx(move |conn| {
            Ok((
                notifications::backlog(conn)?,
                webhooks::backlog(conn)?,
                requests::overdue_count(conn, now.date())?,
                (audit::entry_count(conn)?, audit::pending_count(conn)?),
            ))
        })
        .await?;
    let age =
        |at: Option<chrono::NaiveDateTime>| at.map_or(0.0, |at| (now - at).num_milliseconds().max(0) as f64 / 1000.0);
    metrics.outbox_pending.set(pending);
    metrics.outbox_oldest_age.set(age(oldest));
    metrics.webhook_backlog.set(hooks);
    metrics.webhook_oldest_age.set(age(oldest_hook));
    metrics.overdue_requests.set(overdue);
    metrics.audit_entries.set(entries);
    metrics.audit_pending.set(unchained);
    let body = metrics.encode().map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok().content_type("application/openmetrics-text; version=1.0.0; charset=utf-8").body(body))
}
