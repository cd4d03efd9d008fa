//! What is waiting for you across all your cases.

use actix_web::{get, web, HttpResponse};
use chrono::NaiveDate;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::paging::{cursor_for, Page, PageQuery};
use crate::problems::Unauthorized;
use crate::state::AppState;
use crate::views::requests::MyAction;
use crate::workflow::my_requests as workflow;

/// Everything waiting for you, soonest due first.
///
/// Across all your cases in every council you work for: requests to answer, team requests to
/// assign, advice to endorse. Each row names its council and what is asked of you. Paged with
/// `limit` and `cursor`.
#[utoipa::path(tag = "advice requests", operation_id = "myRequests", security(("bearer" = [])), params(PageQuery), responses(
    (status = 200, body = Page<MyAction>, description = "Your outstanding actions"),
    Unauthorized))]
#[get("/me/requests")]
pub async fn my_requests(
    state: web::Data<AppState>,
    me: AuthUser,
    query: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let limit = query.limit()? as usize;
    let after = match query.after_id()? {
        None => None,
        Some(position) => {
            Some(position_of(&position).ok_or_else(|| ApiError::BadRequest("invalid cursor".to_owned()))?)
        }
    };
    let (items, more) = workflow::outstanding(&state, me, after, limit).await?;
    let next_cursor =
        more.then(|| items.last().map(|a| cursor_for(&format!("{}/{}", a.due_on, a.request_id)))).flatten();
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

/// A cursor's position: the due date and id of the last action seen.
fn position_of(key: &str) -> Option<(NaiveDate, String)> {
    let (due_on, id) = key.split_once('/')?;
    Some((due_on.parse().ok()?, id.to_owned()))
}
