//! Every statutory step of a case with its due date, done date and status.

use chrono::NaiveDate;

use super::deadlines::{decision_not_to_issue_due, decision_to_assess_due, draft_representations_end, final_plan_due};
use super::exceptions::Exception;
pub use super::review_steps::{ArrangedMeeting, CeaseFact};

/// A step is at risk when it is due within this many days.
pub const AT_RISK_DAYS: i64 = 7;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    Met,
    Due,
    AtRisk,
    Breached,
    Excepted,
}

impl StepStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            StepStatus::Met => "met",
            StepStatus::Due => "due",
            StepStatus::AtRisk => "at_risk",
            StepStatus::Breached => "breached",
            StepStatus::Excepted => "excepted",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub step: StepKind,
    pub rule: &'static str,
    /// The request for advice this step is about, if any.
    pub advice_request_id: Option<String>,
    pub due_on: NaiveDate,
    pub done_on: Option<NaiveDate>,
    pub status: StepStatus,
    /// The recorded reason, when excepted.
    pub exception: Option<String>,
}

#[derive(Debug, Clone)]
pub struct AdviceFact {
    pub request_id: String,
    /// Asked for a review of a plan in force, not for the assessment.
    pub for_review: bool,
    pub due_on: NaiveDate,
    pub completed_on: Option<NaiveDate>,
    pub withdrawn: bool,
}

#[derive(Debug, Clone)]
pub struct RecordedException {
    pub exception: Exception,
    /// Limited to one request for advice, or the whole case.
    pub advice_request_id: Option<String>,
    pub reason: String,
}

/// What the timeline is built from: the request date and recorded decisions.
#[derive(Debug, Clone, Default)]
pub struct CaseFacts {
    pub request_received: Option<NaiveDate>,
    pub decided_to_assess: Option<(NaiveDate, bool)>,
    pub decided_to_issue: Option<(NaiveDate, bool)>,
    pub draft_issued: Option<NaiveDate>,
    pub final_issued: Option<NaiveDate>,
    pub last_review_meeting: Option<NaiveDate>,
    /// The latest decision to maintain or cease the plan after a review.
    pub review_decided: Option<NaiveDate>,
    /// The latest review report sent.
    pub review_report_sent: Option<NaiveDate>,
    /// The latest proposed amendment sent (reg 22(2)), and amended plan issued.
    pub amendment_proposed: Option<NaiveDate>,
    pub amended_issued: Option<NaiveDate>,
    /// A transfer between phases of education ahead (reg 18), and its day.
    pub phase_transfer: Option<(super::PhaseTransfer, NaiveDate)>,
    /// The next (or latest) review meeting arranged, with its notice and
    /// circulation (reg 20(3)-(4)).
    pub review_meeting: Option<ArrangedMeeting>,
    /// The decision to cease the plan, if made (s.45, reg 31).
    pub cease: Option<CeaseFact>,
    pub advice: Vec<AdviceFact>,
    pub exceptions: Vec<RecordedException>,
}

fn status(due: NaiveDate, done: Option<NaiveDate>, today: NaiveDate) -> StepStatus {
    match done {
        Some(d) if d <= due => StepStatus::Met,
        Some(_) => StepStatus::Breached,
        None if today > due => StepStatus::Breached,
        None if (due - today).num_days() <= AT_RISK_DAYS => StepStatus::AtRisk,
        None => StepStatus::Due,
    }
}

pub(super) fn step(
    name: StepKind,
    rule: &'static str,
    due: NaiveDate,
    done: Option<NaiveDate>,
    today: NaiveDate,
    exception: Option<&RecordedException>,
) -> Step {
    let computed = status(due, done, today);
    let (status, exception) = match exception {
        // An exception lifts a limit that was (or will be) missed; a step met
        // on time stays met.
        Some(e) if computed != StepStatus::Met => {
            let regulation = match name {
                StepKind::DecisionToAssess => e.exception.decision_to_assess_regulation(),
                _ => None,
            };
            (StepStatus::Excepted, Some(format!("{}: {}", regulation.unwrap_or(e.exception.regulation()), e.reason)))
        }
        _ => (computed, None),
    };
    Step { step: name, rule, advice_request_id: None, due_on: due, done_on: done, status, exception }
}

/// The case's statutory steps, in due-date order.
impl Step {
    /// Past its limit and still not done: what `overdue` lists. A step done
    /// late stays `breached` in the record but is no longer overdue.
    pub fn is_overdue(&self) -> bool {
        self.status == StepStatus::Breached && self.done_on.is_none()
    }
}

/// The statutory steps a case's clock can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    DecisionToAssess,
    Advice,
    DecisionToIssue,
    DraftPlanRepresentations,
    FinalPlan,
    AnnualReview,
    /// After a review meeting: its report to everyone invited.
    ReviewReport,
    /// After a review meeting: the decision to maintain, amend or cease.
    ReviewDecision,
    /// A proposed amendment: the family's 15 days for representations.
    AmendmentRepresentations,
    /// A proposed amendment: the amended plan within 8 weeks.
    AmendedPlan,
    /// Before a transfer between phases: the plan reviewed and amended (reg 18).
    PhaseTransferReview,
    /// Before an arranged review meeting: two weeks' notice (reg 20(3)).
    ReviewNotice,
    /// Before an arranged review meeting: the advice and information
    /// circulated two weeks ahead (reg 20(4)).
    ReviewAdviceCirculated,
    /// A contribution asked for a review, through a request for advice: due
    /// in time for the circulation (reg 20(4)), not under reg 8(1).
    ReviewContribution,
    /// After a decision to cease: the family's time to appeal, during which
    /// the plan is maintained (s.45; HESC rule 20(1)(c)).
    CeaseAppealPeriod,
}

pub fn timeline(facts: &CaseFacts, today: NaiveDate) -> Vec<Step> {
    let Some(received) = facts.request_received else { return Vec::new() };
    let plan_exception = facts.exceptions.iter().find(|e| e.exception.applies_to_plan_deadlines());
    let decision_exception = facts.exceptions.iter().find(|e| e.exception.applies_to_decision_to_assess());
    let mut steps = vec![step(
        StepKind::DecisionToAssess,
        "reg 5(1): 6 weeks",
        decision_to_assess_due(received),
        facts.decided_to_assess.map(|(d, _)| d),
        today,
        decision_exception,
    )];
    if matches!(facts.decided_to_assess, Some((_, false))) {
        return steps;
    }
    for a in facts.advice.iter().filter(|a| !a.withdrawn && !a.for_review) {
        let exception = facts.exceptions.iter().find(|e| {
            e.exception.applies_to_advice() && e.advice_request_id.as_ref().is_none_or(|id| *id == a.request_id)
        });
        let mut s = step(StepKind::Advice, "reg 8(1): 6 weeks", a.due_on, a.completed_on, today, exception);
        s.advice_request_id = Some(a.request_id.clone());
        steps.push(s);
    }
    steps.push(step(
        StepKind::DecisionToIssue,
        "reg 10(1): 16 weeks",
        decision_not_to_issue_due(received),
        facts.decided_to_issue.map(|(d, _)| d),
        today,
        plan_exception,
    ));
    if !matches!(facts.decided_to_issue, Some((_, false))) {
        if let Some(served) = facts.draft_issued {
            // Representations are the family's to make: the step is the
            // period, done when it has run.
            let end = draft_representations_end(served);
            steps.push(step(
                StepKind::DraftPlanRepresentations,
                "reg 13(1): at least 15 days",
                end,
                (today > end).then_some(end),
                today,
                None,
            ));
        }
        steps.push(step(
            StepKind::FinalPlan,
            "reg 13(2): 20 weeks",
            final_plan_due(received),
            facts.final_issued,
            today,
            plan_exception,
        ));
        if let Some(final_issued) = facts.final_issued {
            steps.extend(super::review_steps::after_final_plan(facts, final_issued, today));
        }
    }
    steps.sort_by_key(|s| s.due_on);
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%d/%m/%Y").unwrap()
    }

    fn of(steps: &[Step], name: StepKind) -> &Step {
        steps.iter().find(|s| s.step == name).unwrap()
    }

    #[test]
    fn statuses_follow_the_dates() {
        let mut facts = CaseFacts { request_received: Some(d("02/11/2026")), ..Default::default() };
        facts.decided_to_assess = Some((d("10/12/2026"), true));
        facts.advice = vec![
            AdviceFact {
                request_id: "a".into(),
                for_review: false,
                due_on: d("24/12/2026"),
                completed_on: Some(d("20/12/2026")),
                withdrawn: false,
            },
            AdviceFact {
                request_id: "b".into(),
                for_review: false,
                due_on: d("24/12/2026"),
                completed_on: None,
                withdrawn: false,
            },
            AdviceFact {
                request_id: "c".into(),
                for_review: false,
                due_on: d("04/02/2027"),
                completed_on: None,
                withdrawn: false,
            },
            AdviceFact {
                request_id: "w".into(),
                for_review: false,
                due_on: d("01/01/2027"),
                completed_on: None,
                withdrawn: true,
            },
        ];
        let steps = timeline(&facts, d("30/01/2027"));
        assert_eq!(of(&steps, StepKind::DecisionToAssess).status, StepStatus::Met, "due 14/12/2026, done 10/12");
        let advice: Vec<_> = steps
            .iter()
            .filter(|s| s.step == StepKind::Advice)
            .map(|s| (s.advice_request_id.clone().unwrap(), s.status))
            .collect();
        assert_eq!(
            advice,
            vec![("a".into(), StepStatus::Met), ("b".into(), StepStatus::Breached), ("c".into(), StepStatus::AtRisk)]
        );
        assert_eq!(of(&steps, StepKind::DecisionToIssue).status, StepStatus::Due, "due 22/02/2027");
        assert_eq!(of(&steps, StepKind::FinalPlan).due_on, d("22/03/2027"));
    }

    #[test]
    fn exceptions_excuse_only_what_they_may() {
        let facts = CaseFacts {
            request_received: Some(d("01/06/2026")),
            decided_to_assess: Some((d("20/07/2026"), true)),
            advice: vec![AdviceFact {
                request_id: "a".into(),
                for_review: false,
                due_on: d("01/08/2026"),
                completed_on: None,
                withdrawn: false,
            }],
            exceptions: vec![
                RecordedException {
                    exception: Exception::Absence,
                    advice_request_id: None,
                    reason: "family abroad for 6 weeks".into(),
                },
                RecordedException {
                    exception: Exception::AdviceMissedAppointment,
                    advice_request_id: Some("a".into()),
                    reason: "missed clinic".into(),
                },
            ],
            ..Default::default()
        };
        let steps = timeline(&facts, d("01/12/2026"));
        // Decided late (20/07), but the family was away: reg 5(4)(c) lifts
        // the 6-week limit for the same reason reg 10(4)(d) lifts 20 weeks.
        assert_eq!(of(&steps, StepKind::DecisionToAssess).status, StepStatus::Excepted);
        assert!(of(&steps, StepKind::DecisionToAssess).exception.as_deref().unwrap().starts_with("reg 5(4)(c)"));
        assert_eq!(of(&steps, StepKind::Advice).status, StepStatus::Excepted);
        assert!(of(&steps, StepKind::Advice).exception.as_deref().unwrap().starts_with("reg 8(2)(e)"));
        assert_eq!(of(&steps, StepKind::FinalPlan).status, StepStatus::Excepted);
        assert!(of(&steps, StepKind::FinalPlan).exception.as_deref().unwrap().contains("family abroad"));
    }

    #[test]
    fn a_plan_in_force_is_reviewed_yearly_and_a_refusal_ends_the_timeline() {
        let facts = CaseFacts {
            request_received: Some(d("01/02/2026")),
            decided_to_assess: Some((d("01/03/2026"), true)),
            decided_to_issue: Some((d("01/05/2026"), true)),
            draft_issued: Some(d("04/05/2026")),
            final_issued: Some(d("15/06/2026")),
            ..Default::default()
        };
        let steps = timeline(&facts, d("01/12/2026"));
        assert_eq!(of(&steps, StepKind::FinalPlan).status, StepStatus::Met, "due 21/06/2026");
        assert_eq!(of(&steps, StepKind::DraftPlanRepresentations).due_on, d("18/05/2026"));
        assert_eq!(of(&steps, StepKind::AnnualReview).due_on, d("15/06/2027"));
        let refused = CaseFacts { decided_to_assess: Some((d("01/03/2026"), false)), ..facts };
        assert_eq!(timeline(&refused, d("01/12/2026")).len(), 1);
    }

    /// Reg 20(10): after a review meeting on 10/05/2027 the authority
    /// decides within 4 weeks (by 07/06/2027); the next annual review runs
    /// from the meeting.
    #[test]
    fn a_review_meeting_starts_its_4_week_decision_and_the_next_year() {
        let mut facts = CaseFacts { request_received: Some(d("02/11/2026")), ..Default::default() };
        facts.decided_to_assess = Some((d("10/12/2026"), true));
        facts.decided_to_issue = Some((d("01/02/2027"), true));
        facts.draft_issued = Some(d("15/02/2027"));
        facts.final_issued = Some(d("15/03/2027"));
        facts.last_review_meeting = Some(d("10/05/2027"));
        let steps = timeline(&facts, d("01/06/2027"));
        let decision = of(&steps, StepKind::ReviewDecision);
        assert_eq!((decision.due_on, decision.status), (d("07/06/2027"), StepStatus::AtRisk));
        // Reg 20(7): the report within 2 weeks, by 24/05/2027: not sent, breached.
        assert_eq!(of(&steps, StepKind::ReviewReport).due_on, d("24/05/2027"));
        assert_eq!(of(&steps, StepKind::ReviewReport).status, StepStatus::Breached);
        facts.review_report_sent = Some(d("20/05/2027"));
        assert_eq!(of(&timeline(&facts, d("01/06/2027")), StepKind::ReviewReport).status, StepStatus::Met);
        assert_eq!(of(&steps, StepKind::AnnualReview).due_on, d("10/05/2028"));
        facts.review_decided = Some(d("20/06/2027"));
        let late = timeline(&facts, d("01/07/2027"));
        assert_eq!(of(&late, StepKind::ReviewDecision).status, StepStatus::Breached, "decided after 4 weeks");
        facts.review_decided = Some(d("01/04/2027"));
        let earlier = timeline(&facts, d("01/06/2027"));
        assert_eq!(of(&earlier, StepKind::ReviewDecision).done_on, None, "an earlier decision is not this one's");
    }

    /// Reg 22: amendments proposed on 01/06/2027 give the family until
    /// 15/06/2027 (15 days counting that day) and the amended plan is due
    /// by 27/07/2027 (8 weeks); proposing them is the review's decision.
    #[test]
    fn a_proposed_amendment_runs_15_days_then_8_weeks() {
        let mut facts = CaseFacts { request_received: Some(d("02/11/2026")), ..Default::default() };
        facts.decided_to_assess = Some((d("10/12/2026"), true));
        facts.decided_to_issue = Some((d("01/02/2027"), true));
        facts.draft_issued = Some(d("15/02/2027"));
        facts.final_issued = Some(d("15/03/2027"));
        facts.last_review_meeting = Some(d("20/05/2027"));
        facts.amendment_proposed = Some(d("01/06/2027"));
        let steps = timeline(&facts, d("10/06/2027"));
        assert_eq!(of(&steps, StepKind::ReviewDecision).status, StepStatus::Met);
        assert_eq!(of(&steps, StepKind::AmendmentRepresentations).due_on, d("15/06/2027"));
        assert_eq!(of(&steps, StepKind::AmendedPlan).due_on, d("27/07/2027"));
        facts.amended_issued = Some(d("20/07/2027"));
        let done = timeline(&facts, d("01/08/2027"));
        assert_eq!(of(&done, StepKind::AmendedPlan).status, StepStatus::Met);
        assert_eq!(of(&done, StepKind::AmendmentRepresentations).status, StepStatus::Met);
    }
}
