//! Who read or changed what on a case, from the append-only audit log.

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use ehc_storage::audit::AuditEntry;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::problems::{BadRequest, Forbidden, NotFound, Unauthorized};
use crate::state::AppState;
use crate::workflow::records;

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryView {
    /// Position in the hub-wide chain.
    pub seq: i64,
    pub at: DateTime<Utc>,
    /// Who acted; null for the hub's own jobs.
    pub actor_user_id: Option<String>,
    /// e.g. `case.read`, `advice.submit`, `document.download`.
    pub action: String,
    /// The record acted on within the case (a request, document, decision).
    pub subject_id: Option<String>,
    /// The `X-Request-Id` of the HTTP request.
    pub request_id: Option<String>,
    pub hash: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntryView>,
    /// Pass as `after` for the next page; null on the last page.
    pub next_after: Option<i64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// The last `seq` seen (entries after it are returned).
    pub after: Option<i64>,
    /// Entries per page, 1–500 (default 100).
    pub limit: Option<i64>,
}

fn view(e: AuditEntry) -> AuditEntryView {
    AuditEntryView {
        seq: e.seq,
        at: e.at.and_utc(),
        actor_user_id: e.actor_user_id,
        action: e.action,
        subject_id: e.subject_id,
        request_id: e.request_id,
        hash: e.hash,
    }
}

/// Every recorded read and change of the case, oldest first (officers).
/// Reading it is itself recorded.
#[utoipa::path(tag = "audit", operation_id = "getCaseAudit", security(("bearer" = [])), params(("id" = String, Path), AuditQuery), responses(
    (status = 200, body = AuditPage, description = "OK"),
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound))]
#[get("/cases/{id}/audit")]
pub async fn get_case_audit(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
    query: web::Query<AuditQuery>,
) -> ApiResult<HttpResponse> {
    let case_id = path.into_inner();
    let limit = match query.limit {
        None => 100,
        Some(n) if (1..=500).contains(&n) => n,
        Some(_) => return Err(ApiError::BadRequest("limit must be between 1 and 500".to_owned())),
    };
    let after = query.after.unwrap_or(0);
    let mut rows = records::case_audit(&state, me, case_id, after, limit + 1).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_after = if more { rows.last().map(|e| e.seq) } else { None };
    Ok(HttpResponse::Ok().json(AuditPage { items: rows.into_iter().map(view).collect(), next_after }))
}
