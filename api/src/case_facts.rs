//! What the statutory clock knows about a case, loaded from storage: the
//! decisions, the requests for advice, the recorded exceptions, and the
//! closure exceptions (reg 10(4)(a)/(b)) determined from the LA's calendars.

use chrono::NaiveDate;
use ehc_domain::advice::RequestStatus;
use ehc_domain::statutory::{
    closure_calendar_of, closure_exception_applies, counts_for_decision_to_assess, AdviceFact, CaseFacts, Closure,
    Decision, Exception, RecordedException, Setting,
};
use ehc_storage::casework::cases::Case;
use ehc_storage::casework::closures::{self, ClosurePeriod};
use ehc_storage::casework::decisions as store;
use ehc_storage::casework::review_cycle;
use ehc_storage::DbConn;

use crate::error::ApiError;

/// The closure in `calendar` whose window (reg 10(4)(a)/(b)) contains a
/// request for advice made on `requested_on` of a `setting`.
pub fn closure_around(calendar: &[ClosurePeriod], setting: Setting, requested_on: NaiveDate) -> Option<&ClosurePeriod> {
    calendar.iter().filter(|p| p.setting == setting).find(|p| {
        closure_exception_applies(
            requested_on,
            &[Closure { first_day_closed: p.first_closed_on, reopens_on: p.reopens_on }],
        )
    })
}

pub fn load(conn: &mut DbConn, case: &Case) -> Result<CaseFacts, ApiError> {
    let mut facts = CaseFacts { request_received: Some(case.request_received_on), ..Default::default() };
    for d in store::decisions_of_case(conn, &case.id)? {
        match d.kind.recorded(d.outcome.as_deref()) {
            Decision::ToAssess(yes) => facts.decided_to_assess = Some((d.decided_on, yes)),
            Decision::ToIssuePlan(yes) => facts.decided_to_issue = Some((d.decided_on, yes)),
            Decision::DraftPlanIssued => facts.draft_issued = Some(d.decided_on),
            Decision::FinalPlanIssued => facts.final_issued = Some(d.decided_on),
            Decision::AnnualReviewMeetingHeld => facts.last_review_meeting = Some(d.decided_on),
            Decision::AmendmentProposed => facts.amendment_proposed = facts.amendment_proposed.max(Some(d.decided_on)),
            Decision::AmendedPlanIssued => facts.amended_issued = facts.amended_issued.max(Some(d.decided_on)),
            Decision::ReviewReportSent => facts.review_report_sent = facts.review_report_sent.max(Some(d.decided_on)),
            Decision::ReviewOutcome { .. } => {
                facts.review_decided = facts.review_decided.max(Some(d.decided_on));
            }
            // Its dates are the ceasing's own (below).
            Decision::PlanCeased => {}
        }
    }
    // A request made after the final plan asks for a review's contribution.
    let final_issued = facts.final_issued;
    // A family's own views are not under reg 8(1)'s limit: no statutory step.
    facts.advice = store::advice_dates_of_case(conn, &case.id)?
        .into_iter()
        .filter(|a| a.specialism.advice_time_limited())
        .map(|a| AdviceFact {
            for_review: final_issued.is_some_and(|f| a.requested_on > f),
            withdrawn: a.status == RequestStatus::Withdrawn,
            request_id: a.request_id,
            due_on: a.due_on,
            completed_on: a.completed_on,
        })
        .collect();
    facts.exceptions = store::exceptions_of_case(conn, &case.id)?
        .into_iter()
        .map(|e| RecordedException { exception: e.exception, advice_request_id: e.advice_request_id, reason: e.reason })
        .collect();
    facts.phase_transfer = ehc_storage::casework::plans::phase_transfer_of(conn, &case.id)?;
    facts.review_meeting = review_cycle::meeting_of(conn, &case.id)?;
    facts.cease = review_cycle::ceasing_of(conn, &case.id)?.map(|c| c.fact);
    let decided_on = facts.decided_to_assess.map(|(on, _)| on);
    facts.exceptions.extend(closure_exceptions(conn, case, decided_on)?);
    Ok(facts)
}

/// From the calendars: reg 10(4)(a)/(b), the first request for advice made
/// of a school, college or early-years setting inside a closure window; and
/// reg 5(4)(a), the first such request of a school or college made before
/// the decision whether to assess (a request made after it cannot have
/// delayed it).
fn closure_exceptions(
    conn: &mut DbConn,
    case: &Case,
    decided_on: Option<NaiveDate>,
) -> Result<Vec<RecordedException>, ApiError> {
    let requests = closures::addressee_kinds(conn, &case.id)?;
    if !requests.iter().any(|(_, _, kind)| closure_calendar_of(*kind).is_some()) {
        return Ok(Vec::new());
    }
    let calendar = closures::of_local_authority(conn, &case.local_authority_id)?;
    let (mut plan, mut decision) = (None, None);
    for (request_id, requested_on, kind) in requests {
        let Some(setting) = closure_calendar_of(kind) else { continue };
        let Some(period) = closure_around(&calendar, setting, requested_on) else { continue };
        let reason = format!(
            "Advice was asked of a {} setting on {requested_on} (request {request_id}), around the closure \"{}\" in the local authority's calendar.",
            setting.words(),
            period.description
        );
        let before_decision = decided_on.is_none_or(|decided| requested_on <= decided);
        if decision.is_none() && before_decision && counts_for_decision_to_assess(setting) {
            let exception = Exception::EducationClosure;
            decision = Some(RecordedException { exception, advice_request_id: None, reason: reason.clone() });
        }
        if plan.is_none() {
            plan = Some(RecordedException { exception: Exception::Closure, advice_request_id: None, reason });
        }
    }
    Ok(plan.into_iter().chain(decision).collect())
}
