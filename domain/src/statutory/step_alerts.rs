//! Reminders and escalations of the authority's own statutory steps (the
//! decisions, the final and amended plans, the review's report and decision,
//! the annual review): the assessment team is told a week before a step is
//! due, and again, with the council's administrators, once it is breached.
//! Requests for advice have their own ladder (alerts.rs); the family's
//! periods for representations are theirs, not the authority's.

use chrono::NaiveDate;

use super::timeline::{Step, StepKind, StepStatus};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepAlert {
    /// Due within 7 days and not done.
    DueSoon,
    /// Past its limit and not done.
    Breached,
}

impl StepAlert {
    pub fn code(self) -> &'static str {
        match self {
            Self::DueSoon => "due_soon",
            Self::Breached => "breached",
        }
    }
}

impl StepKind {
    /// The step in words, for messages.
    pub fn words(self) -> &'static str {
        match self {
            StepKind::DecisionToAssess => "the decision whether to assess",
            StepKind::Advice => "advice",
            StepKind::DecisionToIssue => "the decision whether to issue a plan",
            StepKind::DraftPlanRepresentations => "the family's time to comment on the draft plan",
            StepKind::FinalPlan => "the final plan",
            StepKind::AnnualReview => "the annual review",
            StepKind::ReviewReport => "the review report",
            StepKind::ReviewDecision => "the decision after the review",
            StepKind::AmendmentRepresentations => "the family's time to comment on the amendments",
            StepKind::AmendedPlan => "the amended plan",
            StepKind::PhaseTransferReview => "the review and amendment before the phase transfer",
            StepKind::ReviewNotice => "the notice of the review meeting",
            StepKind::ReviewAdviceCirculated => "circulating the advice before the review meeting",
            StepKind::ReviewContribution => "a contribution to the review",
            StepKind::CeaseAppealPeriod => "the family's time to appeal the decision to cease",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            StepKind::DecisionToAssess => "decision_to_assess",
            StepKind::Advice => "advice",
            StepKind::DecisionToIssue => "decision_to_issue",
            StepKind::DraftPlanRepresentations => "draft_plan_representations",
            StepKind::FinalPlan => "final_plan",
            StepKind::AnnualReview => "annual_review",
            StepKind::ReviewReport => "review_report",
            StepKind::ReviewDecision => "review_decision",
            StepKind::AmendmentRepresentations => "amendment_representations",
            StepKind::AmendedPlan => "amended_plan",
            StepKind::PhaseTransferReview => "phase_transfer_review",
            StepKind::ReviewNotice => "review_notice",
            StepKind::ReviewAdviceCirculated => "review_advice_circulated",
            StepKind::ReviewContribution => "review_contribution",
            StepKind::CeaseAppealPeriod => "cease_appeal_period",
        }
    }

    /// The authority's own steps, which it is reminded of.
    pub fn is_the_authoritys(self) -> bool {
        // Advice and review contributions have the request ladder (alerts.rs);
        // the family's periods are theirs.
        !matches!(
            self,
            StepKind::Advice
                | StepKind::ReviewContribution
                | StepKind::DraftPlanRepresentations
                | StepKind::AmendmentRepresentations
                | StepKind::CeaseAppealPeriod
        )
    }
}

/// The alert a step calls for today, if any: an excepted, met or far-off
/// step calls for none.
pub fn alert_for(step: &Step, today: NaiveDate) -> Option<StepAlert> {
    if !step.step.is_the_authoritys() || step.done_on.is_some() {
        return None;
    }
    match step.status {
        StepStatus::AtRisk if step.due_on >= today => Some(StepAlert::DueSoon),
        StepStatus::Breached => Some(StepAlert::Breached),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%d/%m/%Y").unwrap()
    }

    fn step(kind: StepKind, due: &str, done: Option<&str>, status: StepStatus) -> Step {
        Step {
            step: kind,
            rule: "",
            advice_request_id: None,
            due_on: d(due),
            done_on: done.map(d),
            status,
            exception: None,
        }
    }

    #[test]
    fn only_the_authoritys_open_steps_near_or_past_their_limit_alert() {
        let today = d("01/12/2026");
        assert_eq!(
            alert_for(&step(StepKind::FinalPlan, "05/12/2026", None, StepStatus::AtRisk), today),
            Some(StepAlert::DueSoon)
        );
        assert_eq!(
            alert_for(&step(StepKind::FinalPlan, "20/11/2026", None, StepStatus::Breached), today),
            Some(StepAlert::Breached)
        );
        assert_eq!(alert_for(&step(StepKind::FinalPlan, "20/11/2026", None, StepStatus::Excepted), today), None);
        assert_eq!(
            alert_for(&step(StepKind::FinalPlan, "20/11/2026", Some("25/11/2026"), StepStatus::Breached), today),
            None
        );
        assert_eq!(alert_for(&step(StepKind::FinalPlan, "31/12/2026", None, StepStatus::Due), today), None);
        let family = step(StepKind::DraftPlanRepresentations, "05/12/2026", None, StepStatus::AtRisk);
        assert_eq!(alert_for(&family, today), None, "the family's time is not the authority's deadline");
    }
}
