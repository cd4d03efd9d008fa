//! Reports for the local authority's officers and administrators: timeliness
//! against the statutory limits, and the DfE's SEN2 return as CSV. Each
//! loads the authority's records in a few set queries and hands them to the
//! pure report rules in `ehc_domain::reports` and `ehc_domain::sen2`.

use std::collections::HashMap;

use chrono::NaiveDate;
use ehc_domain::access::Action;
use ehc_domain::advice::RequestStatus;
use ehc_domain::reports::{timeliness, AdviceRecord, CaseRecord, Timeliness};
use ehc_domain::review_reports::CycleRecord;
use ehc_domain::sen2::{csv_line, row, Sen2Case, HEADER};
use ehc_domain::sen2_xml::Sen2Header;
use ehc_domain::statutory::{closure_calendar_of, Decision};
use ehc_storage::casework::cases::Case;
use ehc_storage::casework::closures;
use ehc_storage::casework::review_cycle::{self, Ceasing};
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
    cycle: CycleRecord,
    /// The last review meeting's outcome, as SEN2's `ReviewOutcome` codes it.
    review_outcome: Option<&'static str>,
    ceasing: Option<Ceasing>,
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
        let loaded = Loaded { case, record, cycle: CycleRecord::default(), review_outcome: None, ceasing: None };
        by_id.insert(loaded.case.id.clone(), loaded);
    }
    for (case_id, kind, outcome, on) in store::decisions_of(conn, local_authority_id)? {
        let Some(l) = by_id.get_mut(&case_id) else { continue };
        match kind.recorded(outcome.as_deref()) {
            Decision::ToAssess(yes) => l.record.to_assess = Some((on, yes)),
            Decision::ToIssuePlan(yes) => l.record.to_issue = Some((on, yes)),
            Decision::FinalPlanIssued => {
                l.record.final_issued = Some(on);
                l.cycle.final_issued = Some(on);
            }
            Decision::AnnualReviewMeetingHeld => {
                l.cycle.review_meetings.push(on);
                l.review_outcome = None;
            }
            Decision::ReviewOutcome { cease } => {
                l.cycle.review_decisions.push(on);
                l.review_outcome = Some(if cease { "C" } else { "M" });
            }
            Decision::AmendmentProposed => {
                // Proposing amendments is the decision to amend (reg 20(10)).
                l.cycle.review_decisions.push(on);
                l.cycle.amendments_proposed.push(on);
                l.review_outcome = Some("A");
            }
            Decision::AmendedPlanIssued => l.cycle.amended_issued.push(on),
            _ => {}
        }
    }
    for (case_id, kind, on) in store::phase_transfers_of(conn, local_authority_id)? {
        if let Some(l) = by_id.get_mut(&case_id) {
            l.cycle.phase_transfer = Some((kind, on));
        }
    }
    for ceasing in review_cycle::ceasings_of_authority(conn, local_authority_id)? {
        if let Some(l) = by_id.get_mut(&ceasing.case_id) {
            l.cycle.ceases_on = Some(ceasing.fact.ceases_on);
            l.ceasing = Some(ceasing);
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
        l.ceasing.as_ref().map(|c| c.fact.ceases_on),
    ]
    .into_iter()
    .flatten()
    .chain(l.cycle.review_meetings.iter().copied());
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
            let (records, cycles): (Vec<CaseRecord>, Vec<CycleRecord>) =
                cases.into_iter().map(|l| (l.record, l.cycle)).unzip();
            // Figures only, no one's details: one entry for the report.
            audit::record(conn, &me, "report.timeliness", None, None)?;
            Ok(timeliness(&records, &cycles, &advice, from, to, today))
        })
        .await
}

/// How the SEN2 return is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sen2Format {
    Csv,
    /// The DfE's person-level XML for COLLECT (`ehc_domain::sen2_xml`), for
    /// the authority of this three-digit DfE number (the hub does not hold it).
    Xml {
        la_number: String,
    },
}

/// The SEN2 return for a calendar year: as CSV, a header row then one row
/// per case whose request or decisions fall in the year; as XML, one
/// `Person` per case.
pub async fn sen2_return(state: &AppState, me: AuthUser, year: i32, format: Sen2Format) -> Result<String, ApiError> {
    require(&me, Action::ReadReports)?;
    let (Some(first), Some(last)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) else {
        return Err(ApiError::BadRequest("year must be a calendar year such as 2026.".to_owned()));
    };
    if !(2014..=2100).contains(&year) {
        return Err(ApiError::BadRequest("year must be between 2014 (the 2014 Regulations) and 2100.".to_owned()));
    }
    let now = state.now();
    state
        .tx(move |conn| {
            let (cases, _) = load(conn, &me.local_authority_id)?;
            let included: Vec<&Loaded> = cases.iter().filter(|l| touches(l, first, last)).collect();
            let rows: Vec<Sen2Case> = included.iter().map(|l| sen2_case(l)).collect();
            let body = match format {
                Sen2Format::Csv => {
                    let mut csv = csv_line(&HEADER.map(str::to_owned));
                    for r in &rows {
                        csv.push_str(&csv_line(&row(r)));
                    }
                    csv
                }
                Sen2Format::Xml { la_number } => {
                    ehc_domain::sen2_xml::message(&Sen2Header { year, authority: la_number, made_at: now }, &rows)
                }
            };
            // Each child's details leave the hub: recorded per case.
            audit::record_each(conn, &me, "report.sen2", included.iter().map(|l| l.case.id.as_str()))?;
            Ok(body)
        })
        .await
}

fn sen2_case(l: &Loaded) -> Sen2Case {
    let c = &l.case;
    Sen2Case {
        reference: c.reference.clone(),
        upn: c.upn.clone(),
        uln: c.uln.clone(),
        surname: c.family_name.clone(),
        forename: c.given_name.clone(),
        date_of_birth: c.date_of_birth,
        received: c.request_received_on,
        source: c.request_source,
        to_assess: l.record.to_assess,
        to_issue: l.record.to_issue,
        final_issued: l.record.final_issued,
        plan_excepted: l.record.plan_excepted,
        review_meetings: l.cycle.review_meetings.clone(),
        review_outcome: l.review_outcome,
        ceased_on: l.ceasing.as_ref().map(|c| c.fact.ceases_on),
        cease_reason: l.ceasing.as_ref().map(|c| c.reason),
    }
}
