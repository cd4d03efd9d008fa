//! Reports for the local authority's officers and administrators: timeliness
//! against the statutory limits, and the DfE's SEN2 return as CSV. Each
//! loads the authority's records in a few set queries and hands them to the
//! pure report rules in `ehc_domain::reports` and `ehc_domain::sen2`.

use std::collections::HashMap;

use chrono::NaiveDate;
use ehc_domain::access::Action;
use ehc_domain::advice::RequestStatus;
use ehc_domain::reports::{timeliness, AdviceRecord, CaseRecord, Timeliness};
use ehc_domain::sen2::{csv_line, row, Sen2Case, HEADER};
use ehc_domain::statutory::{closure_calendar_of, Decision};
use ehc_storage::casework::cases::Case;
use ehc_storage::casework::closures;
use ehc_storage::{reports as store, DbConn};

use crate::audit;
use crate::auth::AuthUser;
use crate::case_facts::closure_around;
use crate::error::ApiError;
use crate::state::AppState;
use crate::workflow::access::require;

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
        match kind.recorded(outcome.as_deref()) {
            Decision::ToAssess(yes) => l.record.to_assess = Some((on, yes)),
            Decision::ToIssuePlan(yes) => l.record.to_issue = Some((on, yes)),
            Decision::FinalPlanIssued => l.record.final_issued = Some(on),
            Decision::AnnualReviewMeetingHeld => l.review_meetings.push(on),
            Decision::ReviewOutcome { cease: true } => l.ceased_on = Some(on),
            _ => {}
        }
    }
    for (case_id, e) in store::exceptions_of(conn, local_authority_id)? {
        if let Some(l) = by_id.get_mut(&case_id) {
            l.record.plan_excepted |= e.applies_to_plan_deadlines();
        }
    }
    let calendar = closures::of_local_authority(conn, local_authority_id)?;
    let mut advice = Vec::new();
    for line in store::advice_of(conn, local_authority_id)? {
        if let (Some(setting), Some(l)) = (closure_calendar_of(line.organisation_kind), by_id.get_mut(&line.case_id)) {
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

/// Timeliness for things done from `from` to `to`, and what is overdue today.
pub async fn timeliness_report(
    state: &AppState,
    me: AuthUser,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Timeliness, ApiError> {
    require(&me, Action::ReadReports)?;
    if to < from {
        return Err(ApiError::BadRequest("`to` must not be before `from`.".to_owned()));
    }
    let today = state.now().date();
    state
        .tx(move |conn| {
            let (cases, advice) = load(conn, &me.local_authority_id)?;
            let records: Vec<CaseRecord> = cases.into_iter().map(|l| l.record).collect();
            // Figures only, no one's details: one entry for the report.
            audit::record(conn, &me, "report.timeliness", None, None)?;
            Ok(timeliness(&records, &advice, from, to, today))
        })
        .await
}

/// The SEN2 return for a calendar year as CSV: a header row, then one row per
/// case whose request or decisions fall in the year.
pub async fn sen2_return(state: &AppState, me: AuthUser, year: i32) -> Result<String, ApiError> {
    require(&me, Action::ReadReports)?;
    let (Some(first), Some(last)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) else {
        return Err(ApiError::BadRequest("year must be a calendar year such as 2026.".to_owned()));
    };
    if !(2014..=2100).contains(&year) {
        return Err(ApiError::BadRequest("year must be between 2014 (the 2014 Regulations) and 2100.".to_owned()));
    }
    state
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
        .await
}
