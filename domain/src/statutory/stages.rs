//! Where a case is in the process, moved on by recorded decisions.

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    RequestReceived,
    Assessment,
    NotAssessed,
    Drafting,
    NotIssued,
    DraftIssued,
    PlanInForce,
    Review,
    /// A proposed amended plan is out for representations (reg 22).
    Amending,
    Ceased,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Whether to carry out an assessment (reg 5).
    ToAssess(bool),
    /// Whether to issue a plan after assessment (reg 10).
    ToIssuePlan(bool),
    DraftPlanIssued,
    FinalPlanIssued,
    AnnualReviewMeetingHeld,
    /// The review meeting's report sent (reg 20(7)); the case stays in review.
    ReviewReportSent,
    /// A proposed amended plan sent for representations (reg 22(2)): the
    /// decision to amend, after a review or at any time the plan is in force.
    AmendmentProposed,
    /// The amended plan issued (reg 22(3)).
    AmendedPlanIssued,
    /// After a review: keep the plan (or amend it), or cease it. Deciding to
    /// cease leaves the case in review: the cease itself (reg 31) follows.
    ReviewOutcome {
        cease: bool,
    },
    /// The plan ceases to be maintained (s.45), after the notice of reg 31(2).
    PlanCeased,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageRefusal {
    pub stage: Stage,
}

impl Stage {
    pub const ALL: [Stage; 10] = [
        Stage::RequestReceived,
        Stage::Assessment,
        Stage::NotAssessed,
        Stage::Drafting,
        Stage::NotIssued,
        Stage::DraftIssued,
        Stage::PlanInForce,
        Stage::Review,
        Stage::Amending,
        Stage::Ceased,
    ];

    /// The stages in which a final plan is maintained (s.37): in force, under
    /// review or being amended. It stops at `Ceased` (s.45).
    pub const PLAN_MAINTAINED: [Stage; 3] = [Stage::PlanInForce, Stage::Review, Stage::Amending];

    /// The stages in which a plan exists and has not ceased: its draft issued
    /// (reg 13) or the final plan maintained.
    pub const PLAN_OPEN: [Stage; 4] = [Stage::DraftIssued, Stage::PlanInForce, Stage::Review, Stage::Amending];

    /// Whether a final plan is maintained at this stage.
    pub fn plan_maintained(self) -> bool {
        Self::PLAN_MAINTAINED.contains(&self)
    }

    /// The stage as a message to those on the case says it.
    pub fn words(self) -> &'static str {
        match self {
            Stage::RequestReceived => "request for assessment received",
            Stage::Assessment => "being assessed",
            Stage::NotAssessed => "not to be assessed",
            Stage::Drafting => "plan being drafted",
            Stage::NotIssued => "no plan to be issued",
            Stage::DraftIssued => "draft plan issued",
            Stage::PlanInForce => "plan in force",
            Stage::Review => "plan under review",
            Stage::Amending => "plan being amended",
            Stage::Ceased => "plan ceased",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::RequestReceived => "request_received",
            Stage::Assessment => "assessment",
            Stage::NotAssessed => "not_assessed",
            Stage::Drafting => "drafting",
            Stage::NotIssued => "not_issued",
            Stage::DraftIssued => "draft_issued",
            Stage::PlanInForce => "plan_in_force",
            Stage::Review => "review",
            Stage::Amending => "amending",
            Stage::Ceased => "ceased",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// The stage a decision leads to, or a refusal when it does not fit.
    /// The stage after each of a case's decisions, taken in the order they
    /// were recorded from a new case's stage (`None` for one that did not
    /// fit, which recording would have refused).
    pub fn replay(decisions: &[Decision]) -> Vec<Option<Stage>> {
        let mut stage = Stage::RequestReceived;
        decisions
            .iter()
            .map(|d| {
                let next = stage.after(*d).ok();
                if let Some(next) = next {
                    stage = next;
                }
                next
            })
            .collect()
    }

    pub fn after(self, decision: Decision) -> Result<Stage, StageRefusal> {
        use Decision::*;
        use Stage::*;
        match (self, decision) {
            (RequestReceived, ToAssess(true)) => Ok(Assessment),
            (RequestReceived, ToAssess(false)) => Ok(NotAssessed),
            (Assessment, ToIssuePlan(true)) => Ok(Drafting),
            (Assessment, ToIssuePlan(false)) => Ok(NotIssued),
            (Drafting, DraftPlanIssued) => Ok(DraftIssued),
            (DraftIssued, FinalPlanIssued) => Ok(PlanInForce),
            (PlanInForce, AnnualReviewMeetingHeld) => Ok(Review),
            (Review, ReviewReportSent) => Ok(Review),
            (Review | PlanInForce, AmendmentProposed) => Ok(Amending),
            (Amending, AmendedPlanIssued) => Ok(PlanInForce),
            (Review, ReviewOutcome { cease: false }) => Ok(PlanInForce),
            (Review, ReviewOutcome { cease: true }) => Ok(Review),
            (PlanInForce | Review | Amending, PlanCeased) => Ok(Ceased),
            (stage, _) => Err(StageRefusal { stage }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Decision::*;

    #[test]
    fn an_open_plan_is_a_draft_issued_or_a_maintained_plan() {
        use super::Stage;
        let open: Vec<Stage> = Stage::ALL.into_iter().filter(|s| Stage::PLAN_OPEN.contains(s)).collect();
        let expected: Vec<Stage> =
            Stage::ALL.into_iter().filter(|s| *s == Stage::DraftIssued || s.plan_maintained()).collect();
        assert_eq!(open, expected);
        // Every stage a plan can cease from is one where it is maintained.
        for s in Stage::ALL {
            assert_eq!(s.after(PlanCeased).is_ok(), s.plan_maintained(), "{s:?}");
        }
    }
    use super::Stage::*;

    #[test]
    fn decisions_move_the_case_through_its_stages() {
        let path = [
            ToAssess(true),
            ToIssuePlan(true),
            DraftPlanIssued,
            FinalPlanIssued,
            AnnualReviewMeetingHeld,
            ReviewOutcome { cease: false },
        ];
        let mut stage = RequestReceived;
        for d in path {
            stage = stage.after(d).unwrap();
        }
        assert_eq!(stage, PlanInForce);
        assert_eq!(RequestReceived.after(ToAssess(false)), Ok(NotAssessed));
        assert_eq!(Assessment.after(ToIssuePlan(false)), Ok(NotIssued));
        assert!(RequestReceived.after(FinalPlanIssued).is_err(), "no final plan before a decision to assess");
        assert!(NotAssessed.after(ToIssuePlan(true)).is_err());
        assert_eq!(Review.after(ReviewOutcome { cease: true }), Ok(Review), "reg 31's notice comes first");
        assert_eq!(Review.after(PlanCeased), Ok(Ceased));
        assert_eq!(PlanInForce.after(PlanCeased), Ok(Ceased), "s.45: at any time");
        assert!(Drafting.after(PlanCeased).is_err(), "no plan to cease");
        for s in super::Stage::ALL {
            assert_eq!(super::Stage::parse(s.as_str()), Some(s));
        }
    }
}

crate::stored_as_text!(Stage, as_str, parse);
