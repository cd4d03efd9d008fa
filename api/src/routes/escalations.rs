//! Who is told when requests addressed to an organisation run late (seed
//! 000): the team manager on the due date, the service manager after the
//! organisation's chosen number of days, the head of service once a
//! statutory limit is breached.

use actix_web::{get, put, web, HttpResponse};
use chrono::{DateTime, Utc};
use ehc_domain::alerts::DEFAULT_SERVICE_MANAGER_AFTER_DAYS;
use ehc_storage::casework::alerts::EscalationPolicy;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::json::ValidatedJson;
use crate::problems::{BadRequest, Forbidden, Invalid, NotFound, Unauthorized};
use crate::state::AppState;
use crate::workflow::authority::{self, NewEscalation};

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"service_manager_user_id": "01936b2e-1c1f-7cc2-9d1e-7f1f3c1a2b3c", "service_manager_after_days": 5, "head_of_service_user_id": null}))]
pub struct SetEscalation {
    pub service_manager_user_id: Option<uuid::Uuid>,
    /// Days after the due date before the service manager is told (1–60).
    #[validate(range(min = 1, max = 60, message = "must be between 1 and 60 days"))]
    #[schema(minimum = 1, maximum = 60)]
    pub service_manager_after_days: i32,
    pub head_of_service_user_id: Option<uuid::Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EscalationView {
    #[schema(format = Uuid)]
    pub organisation_id: String,
    #[schema(format = Uuid)]
    pub service_manager_user_id: Option<String>,
    pub service_manager_after_days: i32,
    #[schema(format = Uuid)]
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

/// The organisation's escalation policy.
///
/// Who is told, and when, about its late requests; the defaults if none is set.
#[utoipa::path(tag = "organisations", operation_id = "getEscalation", security(("bearer" = [])), params(("id" = uuid::Uuid, Path, description = "The organisation's id")), responses(
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
    let (id, policy) = authority::escalation(&state, me, path.into_inner()).await?;
    let shown = view(id, policy);
    Ok(HttpResponse::Ok().json(shown))
}

/// Set the organisation's escalation policy.
///
/// Who is told about its late requests, and when. Administrators and the assessment team.
#[utoipa::path(tag = "organisations", operation_id = "setEscalation", security(("bearer" = [])), request_body = SetEscalation, params(("id" = uuid::Uuid, Path, description = "The organisation's id")), responses(
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
    let b = body.0;
    let new = NewEscalation {
        service_manager_user_id: b.service_manager_user_id.map(|u| u.to_string()),
        service_manager_after_days: b.service_manager_after_days,
        head_of_service_user_id: b.head_of_service_user_id.map(|u| u.to_string()),
    };
    let (id, policy) = authority::set_escalation(&state, me, path.into_inner(), new).await?;
    let shown = view(id, policy);
    Ok(HttpResponse::Ok().json(shown))
}
