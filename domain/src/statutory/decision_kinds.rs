//! The decisions an officer records, as the API names them, and the rule
//! that turns a kind and its outcome into a `Decision` the stages follow.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::stages::Decision;
use crate::field_error::FieldError;

#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// Whether to assess (reg 5): outcome `yes` or `no`.
    ToAssess,
    /// Whether to issue a plan (reg 10): outcome `yes` or `no`.
    ToIssuePlan,
    DraftPlanIssued,
    FinalPlanIssued,
    AnnualReviewMeetingHeld,
    /// The report of the review meeting sent to everyone invited (reg 20(7)).
    ReviewReportSent,
    /// A proposed amended plan sent to the family with at least 15 days for
    /// representations (reg 22(2)).
    AmendmentProposed,
    /// The amended plan issued (reg 22(3): within 8 weeks of the proposal).
    AmendedPlanIssued,
    /// After a review: outcome `maintain` or `cease`. A decision to cease
    /// is then carried out by `POST /cases/{id}/cease` (reg 31).
    ReviewOutcome,
    /// The plan ceased to be maintained (s.45), recorded by the cease
    /// operation with its reason and the notice of the right to appeal.
    PlanCeased,
}

/// The outcomes a decision records: `yes`/`no` for `to_assess` and
/// `to_issue_plan`, `maintain`/`cease` for `review_outcome`, none for the
/// others (`decision` refuses any other pairing).
#[derive(Debug, Clone, Copy, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DecisionOutcome {
    Yes,
    No,
    Maintain,
    Cease,
}

impl DecisionKind {
    pub const ALL: [DecisionKind; 10] = [
        Self::ToAssess,
        Self::ToIssuePlan,
        Self::DraftPlanIssued,
        Self::FinalPlanIssued,
        Self::AnnualReviewMeetingHeld,
        Self::ReviewReportSent,
        Self::AmendmentProposed,
        Self::AmendedPlanIssued,
        Self::ReviewOutcome,
        Self::PlanCeased,
    ];

    /// The decision as a message to those on the case names it.
    pub fn words(self) -> &'static str {
        match self {
            Self::ToAssess => "the decision whether to assess",
            Self::ToIssuePlan => "the decision whether to issue a plan",
            Self::DraftPlanIssued => "the draft plan issued",
            Self::FinalPlanIssued => "the final plan issued",
            Self::AnnualReviewMeetingHeld => "the annual review meeting held",
            Self::ReviewReportSent => "the review report sent",
            Self::AmendmentProposed => "a proposed amendment of the plan sent",
            Self::AmendedPlanIssued => "the amended plan issued",
            Self::ReviewOutcome => "the outcome of the review",
            Self::PlanCeased => "the decision to cease to maintain the plan",
        }
    }

    /// The code stored with the decision (`recorded` reads it back).
    pub fn code(self) -> &'static str {
        match self {
            Self::ToAssess => "to_assess",
            Self::ToIssuePlan => "to_issue_plan",
            Self::DraftPlanIssued => "draft_plan_issued",
            Self::FinalPlanIssued => "final_plan_issued",
            Self::AnnualReviewMeetingHeld => "annual_review_meeting_held",
            Self::ReviewReportSent => "review_report_sent",
            Self::AmendmentProposed => "amendment_proposed",
            Self::AmendedPlanIssued => "amended_plan_issued",
            Self::ReviewOutcome => "review_outcome",
            Self::PlanCeased => "plan_ceased",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// A stored decision row (this kind, its `outcome`) read back. Rows were
    /// checked by `decision` when recorded.
    pub fn recorded(self, outcome: Option<&str>) -> Decision {
        let yes = outcome == Some("yes");
        match self {
            Self::ToAssess => Decision::ToAssess(yes),
            Self::ToIssuePlan => Decision::ToIssuePlan(yes),
            Self::DraftPlanIssued => Decision::DraftPlanIssued,
            Self::FinalPlanIssued => Decision::FinalPlanIssued,
            Self::AnnualReviewMeetingHeld => Decision::AnnualReviewMeetingHeld,
            Self::ReviewReportSent => Decision::ReviewReportSent,
            Self::AmendmentProposed => Decision::AmendmentProposed,
            Self::AmendedPlanIssued => Decision::AmendedPlanIssued,
            Self::ReviewOutcome => Decision::ReviewOutcome { cease: outcome == Some("cease") },
            Self::PlanCeased => Decision::PlanCeased,
        }
    }

    /// The decision recorded, or which field is wrong.
    pub fn decision(self, outcome: Option<&str>) -> Result<Decision, FieldError> {
        let yes_no = |o: Option<&str>| match o {
            Some("yes") => Ok(true),
            Some("no") => Ok(false),
            _ => Err(FieldError::new("/outcome", "invalid", "must be yes or no for this decision")),
        };
        match self {
            Self::ToAssess => yes_no(outcome).map(Decision::ToAssess),
            Self::ToIssuePlan => yes_no(outcome).map(Decision::ToIssuePlan),
            Self::ReviewOutcome => match outcome {
                Some("maintain") => Ok(Decision::ReviewOutcome { cease: false }),
                Some("cease") => Ok(Decision::ReviewOutcome { cease: true }),
                _ => Err(FieldError::new("/outcome", "invalid", "must be maintain or cease")),
            },
            _ if outcome.is_some() => {
                Err(FieldError::new("/outcome", "not_applicable", "this decision has no outcome"))
            }
            Self::DraftPlanIssued => Ok(Decision::DraftPlanIssued),
            Self::FinalPlanIssued => Ok(Decision::FinalPlanIssued),
            Self::AnnualReviewMeetingHeld => Ok(Decision::AnnualReviewMeetingHeld),
            Self::ReviewReportSent => Ok(Decision::ReviewReportSent),
            Self::AmendmentProposed => Ok(Decision::AmendmentProposed),
            Self::AmendedPlanIssued => Ok(Decision::AmendedPlanIssued),
            Self::PlanCeased => Ok(Decision::PlanCeased),
        }
    }
}

crate::stored_as_text!(DecisionKind, code, parse);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recorded_decision_reads_back_as_the_same_decision() {
        for (kind, outcome) in [
            (DecisionKind::ToAssess, Some("yes")),
            (DecisionKind::ToAssess, Some("no")),
            (DecisionKind::ToIssuePlan, Some("no")),
            (DecisionKind::DraftPlanIssued, None),
            (DecisionKind::ReviewOutcome, Some("cease")),
        ] {
            let decision = kind.decision(outcome).unwrap();
            assert_eq!(kind.recorded(outcome), decision);
        }
        assert_eq!(DecisionKind::ToAssess.decision(Some("maybe")).unwrap_err().pointer, "/outcome");
        assert_eq!(DecisionKind::FinalPlanIssued.decision(Some("yes")).unwrap_err().code, "not_applicable");
        assert_eq!(DecisionKind::ReviewOutcome.recorded(Some("cease")), Decision::ReviewOutcome { cease: true });
        assert_eq!(DecisionKind::parse("lunch"), None);
    }
}
