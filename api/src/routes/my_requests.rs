//! What is waiting for you across all your cases.

use actix_web::{get, web, HttpResponse};

use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::problems::Unauthorized;
use crate::state::AppState;
use crate::views::requests::MyAction;
use crate::workflow::my_requests as workflow;

/// Everything waiting for you across all your cases, soonest due first.
#[utoipa::path(tag = "advice requests", operation_id = "myRequests", security(("bearer" = [])), responses(
    (status = 200, body = Vec<MyAction>, description = "Your outstanding actions"),
    Unauthorized))]
#[get("/me/requests")]
pub async fn my_requests(state: web::Data<AppState>, me: AuthUser) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(workflow::outstanding(&state, me).await?))
}
