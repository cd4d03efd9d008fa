//! Who read or changed what on a case, from the append-only audit log.

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use ehc_storage::audit::AuditEntry;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::paging::{checked_limit, page, parse_cursor, Page};
use crate::problems::{BadRequest, Forbidden, NotFound, Unauthorized};
use crate::state::AppState;
use crate::workflow::records;

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryView {
    /// Position in the hub-wide chain.
    pub seq: i64,
    pub at: DateTime<Utc>,
    /// Who acted; null for the hub's own jobs.
    #[schema(format = Uuid)]
    pub actor_user_id: Option<String>,
    /// e.g. `case.read`, `advice.submit`, `document.download`.
    pub action: String,
    /// The record acted on within the case (a request, document, decision).
    pub subject_id: Option<String>,
    /// The `X-Request-Id` of the HTTP request.
    #[schema(format = Uuid)]
    pub request_id: Option<String>,
    pub hash: String,
}

/// The audit log pages like every list; its cursor is the last `seq` seen,
/// the chain's own order.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditPageQuery {
    /// Items per page (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^[0-9]{1,18}$")]
    pub cursor: Option<String>,
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

/// The case's audit log, oldest first.
///
/// Every recorded read and change of the case, hash-chained. Assessment officers and
/// administrators; reading it is itself recorded. Paged with `limit` and `cursor`.
#[utoipa::path(tag = "audit", operation_id = "getCaseAudit", security(("bearer" = [])), params(("id" = uuid::Uuid, Path, description = "The case's id"), AuditPageQuery), responses(
    (status = 200, body = Page<AuditEntryView>, description = "OK"),
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound))]
#[get("/cases/{id}/audit")]
pub async fn get_case_audit(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
    query: web::Query<AuditPageQuery>,
) -> ApiResult<HttpResponse> {
    let case_id = path.into_inner();
    let limit = checked_limit(query.limit)?;
    let after = parse_cursor(&query.cursor, |c| c.parse::<i64>().ok())?.unwrap_or(0);
    let rows = records::case_audit(&state, me, case_id, after, limit + 1).await?;
    Ok(HttpResponse::Ok().json(page(rows, limit, |e| e.seq.to_string(), view)))
}
