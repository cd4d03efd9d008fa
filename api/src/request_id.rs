//! Every request gets an id of the server's making: it is sent back in
//! `X-Request-Id`, carried by every log line of the request (a tracing span),
//! named in problem bodies and recorded in the audit log. A caller's own
//! `X-Request-Id` never replaces it (the audit must not name what a client
//! chose): when short and plain it is kept as a separate field of the log
//! span and echoed as `X-Client-Request-Id`, for the caller's correlation.
//! One summary event per request, with the matched route (never the raw
//! path, which may hold ids) and the time taken.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue, CACHE_CONTROL};
use actix_web::middleware::Next;
use tracing::Instrument;

pub const REQUEST_ID_HEADER: &str = "x-request-id";
pub const CLIENT_REQUEST_ID_HEADER: &str = "x-client-request-id";

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The id of the request being handled on this task, if any.
pub fn current_request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// A caller's id, only when short and plain (letters, digits, `-`, `_`,
/// `.`, `:`; at most 64), so that log injection through it is impossible.
fn client_request_id(req: &ServiceRequest) -> Option<String> {
    req.headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty() && v.len() <= 64 && v.chars().all(|c| c.is_ascii_alphanumeric() || "-_.:".contains(c))
        })
        .map(str::to_owned)
}

pub async fn request_id_middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let request_id = uuid::Uuid::now_v7().to_string();
    let client_id = client_request_id(&req);
    let route = req.match_pattern().unwrap_or_else(|| "unmatched".to_owned());
    let method = req.method().to_string();
    let is_api = req.path().starts_with("/api/");
    let span = tracing::info_span!("request", request_id = %request_id, client_request_id = client_id.as_deref().unwrap_or(""), method = %method, route = %route);
    let started = std::time::Instant::now();
    let result = REQUEST_ID.scope(request_id.clone(), next.call(req).instrument(span.clone())).await;
    let _entered = span.enter();
    let mut response = match result {
        Ok(response) => response,
        Err(e) => {
            tracing::warn!(error = %e, "request failed before a response");
            return Err(e);
        }
    };
    let status = response.status().as_u16();
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    tracing::info!(status, elapsed_ms, "request finished");
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        headers.insert(HeaderName::from_static(REQUEST_ID_HEADER), value);
    }
    if let Some(value) = client_id.and_then(|id| HeaderValue::from_str(&id).ok()) {
        headers.insert(HeaderName::from_static(CLIENT_REQUEST_ID_HEADER), value);
    }
    // Everything under /api may be personal: never cached by a browser or proxy.
    if is_api {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(response)
}
