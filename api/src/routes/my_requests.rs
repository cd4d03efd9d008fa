//! What is waiting for you across all your cases: requests to answer,
//! team requests to assign, advice to endorse (seed 002: one login covers
//! every case). Case references and dates only, no personal data.

use actix_web::{get, web, HttpResponse};
use chrono::NaiveDate;
use ehc_domain::advice::AdviceArea;
use ehc_storage::casework::requests;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::AuthUser;
use crate::casework::author_of;
use crate::error::{ApiResult, Problem};
use crate::routes::advice_requests::parse_areas;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct MyAction {
    pub request_id: String,
    pub case_id: String,
    /// The case reference (no personal data).
    pub case_reference: String,
    pub specialism: String,
    pub areas: Vec<AdviceArea>,
    pub requested_on: NaiveDate,
    pub due_on: NaiveDate,
    pub overdue: bool,
    pub advice_status: Option<String>,
    /// What is asked of you: provide_advice, assign (your team's unassigned
    /// request) or endorse.
    pub action: String,
}

/// Everything waiting for you across all your cases, soonest due first.
#[utoipa::path(tag = "advice requests", operation_id = "myRequests", security(("bearer" = [])), responses(
    (status = 200, body = Vec<MyAction>),
    (status = 401, body = Problem, content_type = "application/problem+json")))]
#[get("/me/requests")]
pub async fn my_requests(state: web::Data<AppState>, me: AuthUser) -> ApiResult<HttpResponse> {
    let today = state.now().date();
    let rows = state.tx(move |conn| Ok((requests::outstanding_for(conn, &me.user_id)?, me))).await?;
    let (rows, me) = rows;
    let items: Vec<MyAction> = rows
        .into_iter()
        .map(|(r, reference, advice_status)| {
            let action = if advice_status.as_deref() == Some("awaiting_endorsement")
                && author_of(&r) != Some(me.user_id.as_str())
            {
                "endorse"
            } else if r.addressee_team_id.is_some() && r.assignee_user_id.is_none() {
                "assign"
            } else {
                "provide_advice"
            };
            MyAction {
                areas: parse_areas(&r.areas),
                overdue: r.due_on < today,
                request_id: r.id,
                case_id: r.case_id,
                case_reference: reference,
                specialism: r.specialism,
                requested_on: r.requested_on,
                due_on: r.due_on,
                advice_status,
                action: action.to_owned(),
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(items))
}
