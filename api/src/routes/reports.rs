//! Reports for the local authority's officers and administrators: timeliness
//! against the statutory limits, and the DfE's SEN2 return as CSV.

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{get, web, HttpResponse};
use chrono::NaiveDate;
use ehc_domain::reports::Timeliness;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::problems::{BadRequest, Forbidden, Unauthorized};
use crate::state::AppState;
use crate::workflow::reports;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Period {
    /// First day of the period (inclusive).
    pub from: NaiveDate,
    /// Last day of the period (inclusive).
    pub to: NaiveDate,
}

/// Timeliness against the statutory limits.
///
/// For things done in the period, how many were within their limit; and what is overdue today.
/// Administrators and the assessment team.
#[utoipa::path(tag = "reports", operation_id = "timelinessReport", security(("bearer" = [])), params(Period), responses(
    (status = 200, body = Timeliness, description = "OK"),
    BadRequest,
    Unauthorized,
    Forbidden))]
#[get("/reports/timeliness")]
pub async fn timeliness_report(
    state: web::Data<AppState>,
    me: AuthUser,
    period: web::Query<Period>,
) -> ApiResult<HttpResponse> {
    let Period { from, to } = period.into_inner();
    let report = reports::timeliness_report(&state, me, from, to).await?;
    Ok(HttpResponse::Ok().json(report))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Sen2Year {
    /// The calendar year the return covers: requests received in it, and
    /// cases with a decision dated in it.
    #[param(minimum = 2014, maximum = 2100)]
    pub year: i32,
}

/// The SEN2 return for a collection year, as CSV.
///
/// The person-level fields the hub holds: one row per request for assessment, with the DfE's codes.
/// Administrators and the assessment team.
#[utoipa::path(tag = "reports", operation_id = "sen2Return", security(("bearer" = [])), params(Sen2Year), responses(
    (status = 200, content_type = "text/csv", body = String, description = "Header row, then one row per request for assessment"),
    BadRequest,
    Unauthorized,
    Forbidden))]
#[get("/reports/sen2")]
pub async fn sen2_return(
    state: web::Data<AppState>,
    me: AuthUser,
    query: web::Query<Sen2Year>,
) -> ApiResult<HttpResponse> {
    let year = query.year;
    let csv = reports::sen2_return(&state, me, year).await?;
    let disposition = ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![DispositionParam::Filename(format!("sen2-{year}.csv"))],
    };
    Ok(HttpResponse::Ok().content_type("text/csv; charset=utf-8").insert_header(disposition).body(csv))
}
