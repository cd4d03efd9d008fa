//! Who is told when requests addressed to an organisation run late (seed
//! 000): the team manager on the due date, the service manager after the
//! organisation's chosen number of days, the head of service once a
//! statutory limit is breached.

use actix_web::{get, put, web, HttpResponse};
use chrono::{DateTime, Utc};
use ehc_domain::alerts::DEFAULT_SERVICE_MANAGER_AFTER_DAYS;
use ehc_domain::field_error::FieldError;
use ehc_storage::casework::alerts::{self, EscalationPolicy};
use ehc_storage::identity::{organisations, users};
use ehc_storage::DbConn;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::json::ValidatedJson;
use crate::problems::{BadRequest, Forbidden, Invalid, NotFound, Unauthorized};
use crate::state::AppState;
use crate::workflow::access::require;
use ehc_domain::access::Action;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"service_manager_user_id": "01936b2e-1c1f-7cc2-9d1e-7f1f3c1a2b3c", "service_manager_after_days": 5, "head_of_service_user_id": null}))]
pub struct SetEscalation {
    pub service_manager_user_id: Option<uuid::Uuid>,
    /// Days after the due date before the service manager is told (1–60).
    #[validate(range(min = 1, max = 60, message = "must be between 1 and 60 days"))]
    pub service_manager_after_days: i32,
    pub head_of_service_user_id: Option<uuid::Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EscalationView {
    pub organisation_id: String,
    pub service_manager_user_id: Option<String>,
    pub service_manager_after_days: i32,
    pub head_of_service_user_id: Option<String>,
    /// False until someone sets the policy: the defaults apply.
    pub configured: bool,
    pub updated_at: Option<DateTime<Utc>>,
}

fn view(organisation_id: String, policy: Option<EscalationPolicy>) -> EscalationView {
    match policy {
        Some(p) => EscalationView {
            organisation_id,
            service_manager_user_id: p.service_manager_user_id,
            service_manager_after_days: p.service_manager_after_days,
            head_of_service_user_id: p.head_of_service_user_id,
            configured: true,
            updated_at: Some(p.updated_at.and_utc()),
        },
        None => EscalationView {
            organisation_id,
            service_manager_user_id: None,
            service_manager_after_days: DEFAULT_SERVICE_MANAGER_AFTER_DAYS,
            head_of_service_user_id: None,
            configured: false,
            updated_at: None,
        },
    }
}

/// A named manager must be an active user of the same local authority.
fn check_user(
    conn: &mut DbConn,
    me: &AuthUser,
    pointer: &str,
    id: Option<uuid::Uuid>,
    errors: &mut Vec<FieldError>,
) -> Result<Option<String>, ApiError> {
    let Some(id) = id.map(|u| u.to_string()) else { return Ok(None) };
    match users::user_by_id(conn, &id) {
        Ok(u) if u.local_authority_id == me.local_authority_id && u.status == users::STATUS_ACTIVE => Ok(Some(id)),
        Ok(_) | Err(ehc_storage::StorageError::NotFound) => {
            errors.push(FieldError::new(pointer, "unknown", "is not an active user of your local authority"));
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

/// The organisation's escalation policy (the defaults if none is set).
#[utoipa::path(tag = "organisations", operation_id = "getEscalation", security(("bearer" = [])), params(("id" = String, Path)), responses(
    (status = 200, body = EscalationView, description = "OK"),
    Unauthorized,
    Forbidden,
    NotFound))]
#[get("/organisations/{id}/escalation")]
pub async fn get_escalation(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    require(&me, Action::ManageEscalation)?;
    let id = path.into_inner();
    let shown = state
        .tx(move |conn| {
            let org = organisations::organisation_in_local_authority(conn, &me.local_authority_id, &id)?;
            let policy = alerts::policy_of(conn, &org.id)?;
            Ok(view(org.id, policy))
        })
        .await?;
    Ok(HttpResponse::Ok().json(shown))
}

/// Set who is told, and when, about the organisation's late requests
/// (administrators and the assessment team).
#[utoipa::path(tag = "organisations", operation_id = "setEscalation", security(("bearer" = [])), request_body = SetEscalation, params(("id" = String, Path)), responses(
    (status = 200, body = EscalationView, description = "OK"),
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    Invalid))]
#[put("/organisations/{id}/escalation")]
pub async fn set_escalation(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
    body: ValidatedJson<SetEscalation>,
) -> ApiResult<HttpResponse> {
    require(&me, Action::ManageEscalation)?;
    let id = path.into_inner();
    let body = body.0;
    let now = state.now();
    let shown = state
        .tx(move |conn| {
            let org = organisations::organisation_in_local_authority(conn, &me.local_authority_id, &id)?;
            let mut errors = Vec::new();
            let service_manager =
                check_user(conn, &me, "/service_manager_user_id", body.service_manager_user_id, &mut errors)?;
            let head_of_service =
                check_user(conn, &me, "/head_of_service_user_id", body.head_of_service_user_id, &mut errors)?;
            if !errors.is_empty() {
                return Err(ApiError::Validation(errors));
            }
            let policy = EscalationPolicy {
                organisation_id: org.id.clone(),
                service_manager_user_id: service_manager,
                service_manager_after_days: body.service_manager_after_days,
                head_of_service_user_id: head_of_service,
                updated_by: me.user_id.clone(),
                updated_at: now,
            };
            alerts::save_policy(conn, &policy)?;
            Ok(view(org.id, Some(policy)))
        })
        .await?;
    Ok(HttpResponse::Ok().json(shown))
}
