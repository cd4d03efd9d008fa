//! `Idempotency-Key` on every POST (draft-ietf-httpapi-idempotency-key-header),
//! for people and partner systems alike: the first answer is kept for 24
//! hours with a fingerprint of the method, the path and the body; a retry
//! with the same key gets that answer again (`Idempotent-Replayed: true`),
//! the same key with another request a 422, and a retry while the first is
//! still running a 409. Keys live in the database, per caller, so any
//! instance answers a retry the same way.
//!
//! Only an authenticated POST is kept: an answer to a login carries tokens,
//! which must never be stored, and without a caller a key would be shared.

use std::sync::{Arc, Mutex};

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue, CONTENT_TYPE};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpResponse, ResponseError};
use bytes::Bytes;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};

use ehc_storage::partners::idempotency::{self, Answer, Claim, StoredAnswer};

use crate::error::ApiError;
use crate::security::tokens::{verify_access, verify_client};
use crate::state::AppState;

pub const HEADER: &str = "idempotency-key";
/// A claim whose request never finished (its instance stopped) is given up.
const STALE_SECONDS: i64 = 300;
pub const KEPT_HOURS: i64 = 24;
/// Visible ASCII but `"` and `\\`, which an sf-string would have to escape.
pub const KEY_PATTERN: &str = "^[!#-\\[\\]-~]{1,255}$";

/// The key as sent: an sf-string (`"…"`, RFC 8941) or a bare token of
/// visible ASCII, 1 to 255 characters.
fn key_of(value: &HeaderValue) -> Option<String> {
    let text = value.to_str().ok()?.trim();
    let text = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(text);
    let visible = |c: char| c.is_ascii_graphic() && c != '"' && c != '\\';
    (!text.is_empty() && text.len() <= 255 && text.chars().all(visible)).then(|| text.to_owned())
}

/// Whom the key belongs to: the person or partner system the bearer token names.
fn caller_of(req: &ServiceRequest, state: &AppState) -> Option<String> {
    let token = crate::auth::bearer_token(req.request())?;
    let key = state.keys.signing_key();
    verify_access(&token, key, &state.public_url)
        .map(|c| c.sub)
        .or_else(|| verify_client(&token, key, &state.public_url).map(|c| c.sub))
}

/// The body's hash, as far as it has been read.
#[derive(Default)]
struct Hashing {
    hasher: Sha256,
    read_to_end: bool,
}

type Shared = Arc<Mutex<Hashing>>;

fn started(req: &ServiceRequest) -> Shared {
    let mut hashing = Hashing::default();
    hashing.hasher.update(format!("{} {}\n", req.method(), req.uri()).as_bytes());
    Arc::new(Mutex::new(hashing))
}

/// Passes the body on to the handler, hashing it as it goes.
fn hashed_payload(payload: Payload, shared: Shared) -> Payload {
    let stream = futures_util::stream::unfold((payload, shared), |(mut payload, shared)| async move {
        let next = payload.next().await;
        if let Ok(mut hashing) = shared.lock() {
            match &next {
                Some(Ok(chunk)) => hashing.hasher.update(chunk),
                Some(Err(_)) => {}
                None => hashing.read_to_end = true,
            }
        }
        next.map(|item| (item, (payload, shared)))
    });
    Payload::from(Box::pin(stream) as std::pin::Pin<Box<dyn futures_util::Stream<Item = _>>>)
}

fn fingerprint(shared: &Shared) -> Option<String> {
    let hashing = shared.lock().ok()?;
    hashing.read_to_end.then(|| hex::encode(hashing.hasher.clone().finalize()))
}

pub async fn replay_or_run(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let asked = req.headers().get(HEADER).cloned();
    let (Some(state), Some(asked), true) = (state, asked, req.method() == actix_web::http::Method::POST) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let Some(key) = key_of(&asked) else {
        let problem = ApiError::BadRequest("Idempotency-Key must be 1 to 255 visible ASCII characters.".into());
        return Ok(req.into_response(problem.error_response()));
    };
    let Some(caller) = caller_of(&req, &state) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let shared = started(&req);
    let content_type = req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if content_type.is_empty() || content_type.starts_with("application/json") {
        // A JSON body (or none) is small: read it now, so the fingerprint is
        // known even when the handler takes no body.
        let bytes = match req.extract::<web::Bytes>().await {
            Ok(bytes) => bytes,
            Err(e) => return Ok(req.error_response(e)),
        };
        if let Ok(mut hashing) = shared.lock() {
            hashing.hasher.update(&bytes);
            hashing.read_to_end = true;
        }
        req.set_payload(Payload::from(bytes));
    } else {
        // An upload streams on to the blob store, hashed on the way.
        let payload = req.take_payload();
        req.set_payload(hashed_payload(payload, shared.clone()));
    }

    let now = state.now();
    let (who, which) = (caller.clone(), key.clone());
    let claim = state
        .tx(move |conn| {
            let stale = now - chrono::Duration::seconds(STALE_SECONDS);
            let expired = now - chrono::Duration::hours(KEPT_HOURS);
            Ok(idempotency::claim(conn, &who, &which, now, stale, expired)?)
        })
        .await;
    match claim {
        Ok(Claim::Claimed) => run_and_keep(req, next, state, caller, key, shared).await,
        Ok(Claim::Taken(stored)) => Ok(answer_again(req, stored, shared).await),
        // Two first requests at once: the other one holds the key.
        Err(ApiError::Conflict(_)) => Ok(req.into_response(still_running().error_response())),
        Err(other) => Ok(req.into_response(other.error_response())),
    }
}

fn still_running() -> ApiError {
    ApiError::Conflict(
        "A request with this Idempotency-Key is still being processed; retry when it has finished.".into(),
    )
}

/// Answers a retry: the stored answer if it is the same request, else 422;
/// 409 while the first is still running.
async fn answer_again(mut req: ServiceRequest, stored: StoredAnswer, shared: Shared) -> ServiceResponse<BoxBody> {
    let Some(status) = stored.status_code else { return req.into_response(still_running().error_response()) };
    // Read the retry's body to the end, hashing it (unless read already).
    let mut payload = req.take_payload();
    if shared.lock().map(|h| h.read_to_end).unwrap_or(false) {
        payload = Payload::None;
    }
    while let Some(chunk) = payload.next().await {
        match (chunk, shared.lock()) {
            (Ok(chunk), Ok(mut hashing)) => hashing.hasher.update(&chunk),
            _ => return req.into_response(ApiError::BadRequest("The body could not be read.".into()).error_response()),
        }
    }
    if let Ok(mut hashing) = shared.lock() {
        hashing.read_to_end = true;
    }
    if fingerprint(&shared).as_deref() != Some(stored.fingerprint.as_str()) {
        let problem = ApiError::validation(
            "",
            "idempotency_key_reused",
            "This Idempotency-Key was used for a different request: use a new key for a new request.",
        );
        return req.into_response(problem.error_response());
    }
    let code = actix_web::http::StatusCode::from_u16(u16::try_from(status).unwrap_or(500))
        .unwrap_or(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR);
    let mut replay = HttpResponse::build(code);
    replay.insert_header(("idempotent-replayed", "true"));
    for (name, value) in
        [(CONTENT_TYPE, &stored.content_type), (header::LOCATION, &stored.location), (header::ETAG, &stored.etag)]
    {
        if let Some(value) = value {
            replay.insert_header((name, value.as_str()));
        }
    }
    req.into_response(replay.body(stored.body.unwrap_or_default()))
}

/// Whether an answer is worth replaying: not one a retry could change
/// (our fault, overload, an ended session), and only when the whole body
/// was read (its fingerprint is known).
fn keep(status: actix_web::http::StatusCode) -> bool {
    !(status.is_server_error() || status.as_u16() == 429 || status.as_u16() == 401 || status.as_u16() == 408)
}

async fn run_and_keep(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
    state: web::Data<AppState>,
    caller: String,
    key: String,
    shared: Shared,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let outcome = next.call(req).await;
    let release = |state: web::Data<AppState>, caller: String, key: String| async move {
        // Without its answer the key is given back, so a retry runs anew.
        let _ = state.tx(move |conn| Ok(idempotency::release(conn, &caller, &key)?)).await;
    };
    let response = match outcome {
        Ok(response) => response,
        Err(e) => {
            release(state, caller, key).await;
            return Err(e);
        }
    };
    let (http_req, http_res) = response.into_parts();
    let status = http_res.status();
    let (head, body) = http_res.into_parts();
    let bytes: Bytes = match actix_web::body::to_bytes(body).await {
        Ok(bytes) => bytes,
        Err(_) => {
            release(state, caller, key).await;
            return Err(actix_web::error::ErrorInternalServerError("the answer could not be read"));
        }
    };
    let header_text = |name| head.headers().get(name).and_then(|v: &HeaderValue| v.to_str().ok()).map(str::to_owned);
    let (content_type, location, etag) =
        (header_text(CONTENT_TYPE), header_text(header::LOCATION), header_text(header::ETAG));
    match fingerprint(&shared).filter(|_| keep(status)) {
        Some(fingerprint) => {
            let body = bytes.to_vec();
            let kept = state
                .tx(move |conn| {
                    let answer = Answer {
                        fingerprint: &fingerprint,
                        status_code: i32::from(status.as_u16()),
                        content_type: content_type.as_deref(),
                        location: location.as_deref(),
                        etag: etag.as_deref(),
                        body: &body,
                    };
                    Ok(idempotency::complete(conn, &caller, &key, &answer)?)
                })
                .await;
            if let Err(e) = kept {
                tracing::warn!(error = %e, "an answer could not be kept for its Idempotency-Key");
            }
        }
        None => release(state, caller, key).await,
    }
    Ok(ServiceResponse::new(http_req, head.set_body(BoxBody::new(bytes))))
}
