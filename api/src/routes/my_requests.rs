//! What is waiting for you across all your cases.

use actix_web::{get, web, HttpResponse};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::error::ApiResult;
use crate::paging::{checked_limit, parse_cursor, Page};
use crate::problems::Unauthorized;
use crate::state::AppState;
use crate::views::requests::MyAction;
use crate::workflow::my_requests as workflow;

/// Everything waiting for you, soonest due first.
///
/// Across all your cases in every council you work for: requests to answer, team requests to
/// assign, advice to endorse. Each row names its council and what is asked of you. Paged with
/// `limit` and `cursor`.
#[utoipa::path(tag = "advice requests", operation_id = "myRequests", security(("bearer" = [])), params(ActionPageQuery), responses(
    (status = 200, body = Page<MyAction>, description = "Your outstanding actions"),
    Unauthorized))]
#[get("/me/requests")]
pub async fn my_requests(
    state: web::Data<AppState>,
    me: Caller,
    query: web::Query<ActionPageQuery>,
) -> ApiResult<HttpResponse> {
    let limit = checked_limit(query.limit)? as usize;
    let after = parse_cursor(&query.cursor, position_of)?;
    let (items, more) = workflow::outstanding(&state, me, after, limit).await?;
    let next_cursor =
        more.then(|| items.last().map(|a| format!("{}.{}", a.due_on.num_days_from_ce(), a.request_id))).flatten();
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

/// A cursor's position: the due date (days from the common era, so every
/// number names a day) and the id of the last action seen.
fn position_of(key: &str) -> Option<(NaiveDate, String)> {
    let (day, id) = key.split_once('.')?;
    let well_formed = (1..=7).contains(&day.len())
        && day.bytes().all(|b| b.is_ascii_digit())
        && id.len() <= 36
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if !well_formed {
        return None;
    }
    Some((NaiveDate::from_num_days_from_ce_opt(day.parse().ok()?)?, id.to_owned()))
}

/// `/me/requests` pages like every list, soonest due first.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ActionPageQuery {
    /// Items per page (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^[0-9]{1,7}\\.[A-Za-z0-9-]{0,36}$")]
    pub cursor: Option<String>,
}
