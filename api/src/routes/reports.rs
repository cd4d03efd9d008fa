//! Reports for the local authority's officers and administrators: timeliness
//! against the statutory limits, and the DfE's SEN2 return as CSV.

use std::collections::HashMap;

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{get, web, HttpResponse};
use chrono::NaiveDate;
use ehc_domain::advice::RequestStatus;
use ehc_domain::reports::{timeliness, AdviceRecord, CaseRecord, Timeliness};
use ehc_domain::sen2::{csv_line, row, Sen2Case, HEADER};
use ehc_domain::statutory::{Decision, Exception};
use ehc_storage::casework::cases::Case;
use ehc_storage::casework::closures;
use ehc_storage::{reports as store, DbConn};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::audit;
use crate::auth::AuthUser;
use crate::case_facts::{closure_around, closure_calendar};
use crate::error::{ApiError, ApiResult};
use crate::problems::{BadRequest, Forbidden, Unauthorized};
use crate::state::AppState;
use crate::workflow::access::require;
use ehc_domain::access::Action;

/// One case with what both reports need.
struct Loaded {
    case: Case,
    record: CaseRecord,
    review_meetings: Vec<NaiveDate>,
    ceased_on: Option<NaiveDate>,
}

/// Everything of the authority, in a few set queries.
fn load(conn: &mut DbConn, local_authority_id: &str) -> Result<(Vec<Loaded>, Vec<AdviceRecord>), ApiError> {
    let cases = store::cases_of(conn, local_authority_id)?;
    let mut by_id: HashMap<String, Loaded> = HashMap::with_capacity(cases.len());
    for case in cases {
        let record = CaseRecord {
            received: case.request_received_on,
            to_assess: None,
            to_issue: None,
            final_issued: None,
            plan_excepted: false,
        };
        by_id.insert(case.id.clone(), Loaded { case, record, review_meetings: Vec::new(), ceased_on: None });
    }
    for (case_id, kind, outcome, on) in store::decisions_of(conn, local_authority_id)? {
        let Some(l) = by_id.get_mut(&case_id) else { continue };
        match Decision::from_stored(&kind, outcome.as_deref()) {
            Some(Decision::ToAssess(yes)) => l.record.to_assess = Some((on, yes)),
            Some(Decision::ToIssuePlan(yes)) => l.record.to_issue = Some((on, yes)),
            Some(Decision::FinalPlanIssued) => l.record.final_issued = Some(on),
            Some(Decision::AnnualReviewMeetingHeld) => l.review_meetings.push(on),
            Some(Decision::ReviewOutcome { cease: true }) => l.ceased_on = Some(on),
            _ => {}
        }
    }
    for (case_id, code) in store::exceptions_of(conn, local_authority_id)? {
        if let (Some(l), Some(e)) = (by_id.get_mut(&case_id), Exception::parse(&code)) {
            l.record.plan_excepted |= e.applies_to_plan_deadlines();
        }
    }
    let calendar = closures::of_local_authority(conn, local_authority_id)?;
    let mut advice = Vec::new();
    for line in store::advice_of(conn, local_authority_id)? {
        if let (Some(setting), Some(l)) = (closure_calendar(&line.organisation_kind), by_id.get_mut(&line.case_id)) {
            l.record.plan_excepted |= closure_around(&calendar, setting, line.requested_on).is_some();
        }
        advice.push(AdviceRecord {
            statutory: line.specialism.advice_time_limited(),
            specialism: line.specialism.as_str().to_owned(),
            organisation: line.organisation_name,
            requested_on: line.requested_on,
            due_on: line.due_on,
            completed_on: line.completed_on,
            withdrawn: line.status == RequestStatus::Withdrawn,
        });
    }
    let mut loaded: Vec<Loaded> = by_id.into_values().collect();
    loaded.sort_by(|a, b| a.case.id.cmp(&b.case.id));
    Ok((loaded, advice))
}

fn require_la_staff(me: &AuthUser) -> Result<(), ApiError> {
    require(me, Action::ReadReports)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Period {
    /// First day of the period (inclusive).
    pub from: NaiveDate,
    /// Last day of the period (inclusive).
    pub to: NaiveDate,
}

/// Timeliness against the statutory limits for things done in the period,
/// and what is overdue today.
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
    require_la_staff(&me)?;
    let Period { from, to } = period.into_inner();
    if to < from {
        return Err(ApiError::BadRequest("`to` must not be before `from`.".to_owned()));
    }
    let today = state.now().date();
    let report = state
        .tx(move |conn| {
            let (cases, advice) = load(conn, &me.local_authority_id)?;
            let records: Vec<CaseRecord> = cases.into_iter().map(|l| l.record).collect();
            // Figures only, no one's details: one entry for the report.
            audit::record(conn, &me, "report.timeliness", None, None)?;
            Ok(timeliness(&records, &advice, from, to, today))
        })
        .await?;
    Ok(HttpResponse::Ok().json(report))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Sen2Year {
    /// The calendar year the return covers: requests received in it, and
    /// cases with a decision dated in it.
    pub year: i32,
}

fn touches(l: &Loaded, first: NaiveDate, last: NaiveDate) -> bool {
    let r = &l.record;
    let dates = [
        Some(l.case.request_received_on),
        r.to_assess.map(|x| x.0),
        r.to_issue.map(|x| x.0),
        r.final_issued,
        l.ceased_on,
    ]
    .into_iter()
    .flatten()
    .chain(l.review_meetings.iter().copied());
    dates.into_iter().any(|d| d >= first && d <= last)
}

/// The person-level SEN2 fields the hub holds, as CSV: one row per request
/// for assessment, with the DfE's codes.
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
    require_la_staff(&me)?;
    let year = query.year;
    let (Some(first), Some(last)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) else {
        return Err(ApiError::BadRequest("year must be a calendar year such as 2026.".to_owned()));
    };
    if !(2014..=2100).contains(&year) {
        return Err(ApiError::BadRequest("year must be between 2014 (the 2014 Regulations) and 2100.".to_owned()));
    }
    let csv = state
        .tx(move |conn| {
            let (cases, _) = load(conn, &me.local_authority_id)?;
            let mut csv = csv_line(&HEADER.map(str::to_owned));
            let included: Vec<&Loaded> = cases.iter().filter(|l| touches(l, first, last)).collect();
            for l in &included {
                let c = &l.case;
                let source = c.request_source;
                csv.push_str(&csv_line(&row(&Sen2Case {
                    reference: c.reference.clone(),
                    upn: c.upn.clone(),
                    uln: c.uln.clone(),
                    surname: c.family_name.clone(),
                    forename: c.given_name.clone(),
                    date_of_birth: c.date_of_birth,
                    received: c.request_received_on,
                    source,
                    to_assess: l.record.to_assess,
                    to_issue: l.record.to_issue,
                    final_issued: l.record.final_issued,
                    plan_excepted: l.record.plan_excepted,
                    review_meetings: l.review_meetings.clone(),
                    ceased_on: l.ceased_on,
                })));
            }
            // Each child's details leave the hub: recorded per case.
            audit::record_each(conn, &me, "report.sen2", included.iter().map(|l| l.case.id.as_str()))?;
            Ok(csv)
        })
        .await?;
    let disposition = ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![DispositionParam::Filename(format!("sen2-{year}.csv"))],
    };
    Ok(HttpResponse::Ok().content_type("text/csv; charset=utf-8").insert_header(disposition).body(csv))
}
