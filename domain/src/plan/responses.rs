//! The family's say on a draft or a proposed amendment: representations and
//! a request that a particular school or college be named (reg 13(1)(a);
//! reg 22(2) for an amendment), and the authority's consultation of the
//! institution asked for (s.39(2) CFA 2014) with its answer.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::PlanStatus;

/// Whether a plan takes representations now: its draft is with the family,
/// or amendments to the final plan are proposed.
pub fn takes_representations(status: PlanStatus, amending: bool) -> bool {
    status == PlanStatus::DraftIssued || (status == PlanStatus::Final && amending)
}

/// What the institution consulted said (s.39(2)-(3)): it is named unless it
/// is unsuitable, or would be incompatible with others' efficient education
/// or the efficient use of resources (s.39(4)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsultationResponse {
    /// Asked; no answer yet.
    Awaited,
    /// It can meet the child's or young person's needs.
    Agreed,
    /// It says it cannot, with its reasons.
    Declined,
}

impl ConsultationResponse {
    pub fn code(self) -> &'static str {
        match self {
            Self::Awaited => "awaited",
            Self::Agreed => "agreed",
            Self::Declined => "declined",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Awaited, Self::Agreed, Self::Declined].into_iter().find(|r| r.code() == code)
    }
}

crate::stored_as_text!(ConsultationResponse, code, parse);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn representations_while_the_family_has_the_draft_or_amendments() {
        assert!(!takes_representations(PlanStatus::Drafting, false), "nothing issued to respond to");
        assert!(takes_representations(PlanStatus::DraftIssued, false), "reg 13(1)");
        assert!(!takes_representations(PlanStatus::Final, false));
        assert!(takes_representations(PlanStatus::Final, true), "reg 22(2)");
        for r in [ConsultationResponse::Awaited, ConsultationResponse::Agreed, ConsultationResponse::Declined] {
            assert_eq!(ConsultationResponse::parse(r.code()), Some(r));
        }
    }
}
