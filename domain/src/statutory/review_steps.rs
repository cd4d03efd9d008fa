//! The steps of a plan in force (s.44 CFA 2014, regs 18, 20 and 22): the
//! annual review, the report and decision after a review meeting, a
//! proposed amendment's 15 days and 8 weeks, and a phase transfer's review.

use chrono::NaiveDate;

use super::deadlines::{
    amended_plan_due, amendment_comments_end, annual_review_due, phase_transfer_due, review_decision_due,
    review_report_due,
};
use super::timeline::{step, CaseFacts, Step, StepKind};

/// The steps that follow the final plan issued on `final_issued`.
pub fn after_final_plan(facts: &CaseFacts, final_issued: NaiveDate, today: NaiveDate) -> Vec<Step> {
    let mut steps = Vec::new();
    let meeting = facts.last_review_meeting.filter(|m| *m > final_issued);
    let from = meeting.unwrap_or(final_issued);
    steps.push(step(StepKind::AnnualReview, "s.44: 12 months", annual_review_due(from), None, today, None));
    if let Some(meeting) = meeting {
        // The report and decision that follow this meeting, not an earlier one's.
        let sent = facts.review_report_sent.filter(|d| *d >= meeting);
        let due = review_report_due(meeting);
        steps.push(step(StepKind::ReviewReport, "reg 20(7): 2 weeks", due, sent, today, None));
        // Proposing amendments is the decision to amend.
        let decided =
            [facts.review_decided, facts.amendment_proposed].into_iter().flatten().filter(|d| *d >= meeting).min();
        let due = review_decision_due(meeting);
        steps.push(step(StepKind::ReviewDecision, "reg 20(10): 4 weeks", due, decided, today, None));
    }
    if let Some(proposed) = facts.amendment_proposed.filter(|p| *p >= final_issued) {
        let end = amendment_comments_end(proposed);
        let rule = "reg 22(2): at least 15 days";
        steps.push(step(StepKind::AmendmentRepresentations, rule, end, (today > end).then_some(end), today, None));
        let issued = facts.amended_issued.filter(|d| *d >= proposed);
        let due = amended_plan_due(proposed);
        steps.push(step(StepKind::AmendedPlan, "reg 22(3): 8 weeks", due, issued, today, None));
    }
    if let Some((transfer, transfer_on)) = facts.phase_transfer {
        // Reviewed and amended to name the next institution: an amended (or
        // first final) plan issued in the 6 months before the deadline, the
        // school year of the transfer; an older one named the old school.
        let due = phase_transfer_due(transfer, transfer_on);
        let from = due.checked_sub_months(chrono::Months::new(6)).unwrap_or(due);
        let amended = [facts.amended_issued, Some(final_issued)].into_iter().flatten().filter(|d| *d >= from).max();
        steps.push(step(StepKind::PhaseTransferReview, transfer.rule(), due, amended, today, None));
    }
    steps
}
