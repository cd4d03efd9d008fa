//! The steps of a plan in force (s.44 CFA 2014, regs 18, 20 and 22): the
//! annual review, the notice and circulation before an arranged review
//! meeting, the report and decision after it, a proposed amendment's 15 days
//! and 8 weeks, a phase transfer's review, and after a decision to cease
//! (s.45) the family's time to appeal.

use chrono::NaiveDate;

use super::deadlines::{
    amended_plan_due, amendment_comments_end, annual_review_due, phase_transfer_due, review_advice_by,
    review_decision_due, review_notice_by, review_report_due,
};
use super::timeline::{step, CaseFacts, Step, StepKind};

/// A review meeting arranged ahead of the day (reg 20(1)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArrangedMeeting {
    pub meeting_on: NaiveDate,
    pub notice_given_on: NaiveDate,
    pub circulated_on: Option<NaiveDate>,
}

/// A decision to cease the plan: the notice sent, and the day the plan ends
/// when no appeal is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CeaseFact {
    pub decided_on: NaiveDate,
    pub notice_sent_on: NaiveDate,
    pub ceases_on: NaiveDate,
}

/// The steps that follow the final plan issued on `final_issued`.
pub fn after_final_plan(facts: &CaseFacts, final_issued: NaiveDate, today: NaiveDate) -> Vec<Step> {
    let mut steps = Vec::new();
    if let Some(arranged) = facts.review_meeting.filter(|m| m.meeting_on > final_issued) {
        let notice = review_notice_by(arranged.meeting_on);
        let given = Some(arranged.notice_given_on);
        steps.push(step(StepKind::ReviewNotice, "reg 20(3): 2 weeks' notice", notice, given, today, None));
        let by = review_advice_by(arranged.meeting_on);
        let rule = "reg 20(4): circulated 2 weeks before";
        steps.push(step(StepKind::ReviewAdviceCirculated, rule, by, arranged.circulated_on, today, None));
    }
    for a in facts.advice.iter().filter(|a| a.for_review && !a.withdrawn) {
        let rule = "reg 20(4): in time to circulate";
        let mut s = step(StepKind::ReviewContribution, rule, a.due_on, a.completed_on, today, None);
        s.advice_request_id = Some(a.request_id.clone());
        steps.push(s);
    }
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
    if let Some(cease) = facts.cease.filter(|c| c.decided_on >= final_issued) {
        // The plan is maintained until the time to appeal has passed; a step
        // that would fall due after it no longer applies, unless done.
        steps.retain(|s| s.done_on.is_some() || s.due_on <= cease.ceases_on);
        let end = cease.ceases_on;
        let rule = "HESC rule 20(1)(c): 2 months to appeal";
        steps.push(step(StepKind::CeaseAppealPeriod, rule, end, (today > end).then_some(end), today, None));
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::super::{timeline, PhaseTransfer, StepStatus};
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%d/%m/%Y").unwrap()
    }

    #[test]
    fn an_arranged_meeting_and_a_cease_shape_the_steps() {
        let facts = CaseFacts {
            request_received: Some(d("06/05/2024")),
            decided_to_assess: Some((d("10/06/2024"), true)),
            decided_to_issue: Some((d("02/09/2024"), true)),
            final_issued: Some(d("10/01/2025")),
            review_meeting: Some(ArrangedMeeting {
                meeting_on: d("10/12/2025"),
                notice_given_on: d("20/11/2025"),
                circulated_on: None,
            }),
            phase_transfer: Some((PhaseTransfer::SchoolPhase, d("01/09/2027"))),
            cease: Some(CeaseFact {
                decided_on: d("01/03/2026"),
                notice_sent_on: d("01/03/2026"),
                ceases_on: d("01/05/2026"),
            }),
            ..Default::default()
        };
        let steps = timeline(&facts, d("01/06/2026"));
        let of = |k: StepKind| steps.iter().find(|s| s.step == k);
        assert_eq!(of(StepKind::ReviewNotice).map(|s| (s.due_on, s.status)), Some((d("26/11/2025"), StepStatus::Met)));
        assert_eq!(of(StepKind::ReviewAdviceCirculated).map(|s| s.status), Some(StepStatus::Breached));
        assert_eq!(of(StepKind::AnnualReview).map(|s| s.due_on), Some(d("10/01/2026")), "due before the plan ended");
        assert!(of(StepKind::PhaseTransferReview).is_none(), "due after the plan ends: no longer applies");
        let appeal = of(StepKind::CeaseAppealPeriod).unwrap();
        assert_eq!((appeal.done_on, appeal.status), (Some(d("01/05/2026")), StepStatus::Met));
    }
}
