use actix_web::{get, web, HttpResponse};
use serde_json::json;

use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Ready {
    Ready,
}

/// Whether uploads are virus-scanned.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scanning {
    On,
    Off,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    pub status: Ready,
    pub scanning: Scanning,
}

/// The process is alive.
///
/// For a liveness probe: answers without touching the database.
#[utoipa::path(tag = "health", operation_id = "healthz", security(()), responses((status = 200, description = "Alive")))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// The hub can serve requests.
///
/// The database, the blob store and (when configured) the virus scanner answer; 503 (problem+json)
/// otherwise. `scanning` says whether uploads are virus-scanned (`off` when the hub runs without a
/// scanner).
#[utoipa::path(tag = "health", operation_id = "readyz", security(()), responses(
    (status = 200, description = "Ready", body = Readiness),
    (status = 503, description = "A dependency is down", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let db = state.db.clone();
    web::block(move || db.ping()).await?.map_err(|e| ApiError::Unavailable(format!("database: {e}")))?;
    state.blobs.ping().await.map_err(|e| ApiError::Unavailable(format!("blob store: {e}")))?;
    if let Some(clamd) = &state.clamd {
        clamd.ping().await.map_err(|e| ApiError::Unavailable(format!("virus scanner: {e}")))?;
    }
    let scanning = if state.clamd.is_some() { Scanning::On } else { Scanning::Off };
    Ok(HttpResponse::Ok().json(Readiness { status: Ready::Ready, scanning }))
}
