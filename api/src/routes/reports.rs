//! Reports for the local authority's officers and administrators: timeliness
//! against the statutory limits, and the DfE's SEN2 return as CSV.

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{get, web, HttpResponse};
use chrono::NaiveDate;
use ehc_domain::reports::Timeliness;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
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
    /// `csv` (the default) or `xml`, the DfE's person-level XML for COLLECT.
    #[param(inline)]
    pub format: Option<Sen2FileFormat>,
    /// The authority's three-digit DfE number, for the XML's `LEA`; required with `format=xml`.
    #[param(pattern = r"^[0-9]{3}$")]
    pub la_number: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sen2FileFormat {
    Csv,
    Xml,
}

/// The SEN2 return for a collection year, as CSV or as the DfE's XML.
///
/// The person-level fields the hub holds: one row (or XML `Person`) per request for assessment,
/// with the DfE's codes, including the plan's reviews and its cease with the reason. The XML
/// follows the modules and items of the 2024 collection and validates against the hub's XSD
/// (`docs/sen2/ehc-hub-sen2-2024.xsd`); items the hub does not hold are the authority's to add.
/// Administrators and the assessment team.
#[utoipa::path(tag = "reports", operation_id = "sen2Return", security(("bearer" = [])), params(Sen2Year), responses(
    (status = 200, content((String = "text/csv"), (String = "application/xml")), description = "CSV: a header row, then one row per request for assessment. XML: the SEN2 message"),
    BadRequest,
    Unauthorized,
    Forbidden))]
#[get("/reports/sen2")]
pub async fn sen2_return(
    state: web::Data<AppState>,
    me: AuthUser,
    query: web::Query<Sen2Year>,
) -> ApiResult<HttpResponse> {
    let Sen2Year { year, format, la_number } = query.into_inner();
    let (format, extension, media) = match (format, la_number) {
        (Some(Sen2FileFormat::Xml), Some(n)) if n.len() == 3 && n.bytes().all(|b| b.is_ascii_digit()) => {
            (reports::Sen2Format::Xml { la_number: n }, "xml", "application/xml; charset=utf-8")
        }
        (Some(Sen2FileFormat::Xml), _) => {
            return Err(ApiError::BadRequest(
                "format=xml needs la_number, the authority's three-digit DfE number.".to_owned(),
            ))
        }
        _ => (reports::Sen2Format::Csv, "csv", "text/csv; charset=utf-8"),
    };
    let body = reports::sen2_return(&state, me, year, format).await?;
    let disposition = ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![DispositionParam::Filename(format!("sen2-{year}.{extension}"))],
    };
    Ok(HttpResponse::Ok().content_type(media).insert_header(disposition).body(body))
}
