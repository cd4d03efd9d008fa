//! Where advice is in its life, and what may happen next (seeds 000, 002).
//!
//! draft ──submit──▶ submitted (published, locked)
//!   │                  │ release (assessment team, with reason)
//!   │                  ▼
//!   │               released ──submit──▶ submitted (a new version)
//!   └─submit (endorsement required)──▶ awaiting_endorsement
//!          endorse ──▶ submitted        return (with reason) ──▶ returned ──submit──▶ …

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AdviceStatus {
    Draft,
    AwaitingEndorsement,
    Returned,
    Submitted,
    Released,
}

impl AdviceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::AwaitingEndorsement => "awaiting_endorsement",
            Self::Returned => "returned",
            Self::Submitted => "submitted",
            Self::Released => "released",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Draft, Self::AwaitingEndorsement, Self::Returned, Self::Submitted, Self::Released]
            .into_iter()
            .find(|v| v.as_str() == s)
    }

    /// Its author may change it: not while it waits for endorsement, and not
    /// once submitted until the assessment team releases it.
    pub fn editable(self) -> bool {
        matches!(self, Self::Draft | Self::Returned | Self::Released)
    }

    /// What submitting leads to.
    pub fn after_submit(self, requires_endorsement: bool) -> Result<Self, Refusal> {
        if !self.editable() {
            return Err(Refusal::Locked);
        }
        Ok(if requires_endorsement { Self::AwaitingEndorsement } else { Self::Submitted })
    }

    pub fn after_endorse(self) -> Result<Self, Refusal> {
        if self == Self::AwaitingEndorsement {
            Ok(Self::Submitted)
        } else {
            Err(Refusal::NotAwaitingEndorsement)
        }
    }

    /// A team manager returns advice waiting for endorsement; a team inbox's
    /// coordinator may also return published advice for amendment.
    pub fn after_return(self, by_coordinator: bool) -> Result<Self, Refusal> {
        match self {
            Self::AwaitingEndorsement => Ok(Self::Returned),
            Self::Submitted if by_coordinator => Ok(Self::Returned),
            _ => Err(Refusal::NotReturnable),
        }
    }

    pub fn after_release(self) -> Result<Self, Refusal> {
        if self == Self::Submitted {
            Ok(Self::Released)
        } else {
            Err(Refusal::NotSubmitted)
        }
    }
}

crate::stored_as_text!(AdviceStatus, as_str, parse);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Locked,
    NotAwaitingEndorsement,
    NotReturnable,
    NotSubmitted,
}

impl Refusal {
    pub fn message(self) -> &'static str {
        match self {
            Refusal::Locked => "The advice is locked: it was submitted. Ask the assessment team to release it.",
            Refusal::NotAwaitingEndorsement => "The advice is not waiting for endorsement.",
            Refusal::NotReturnable => "The advice cannot be returned in its current state.",
            Refusal::NotSubmitted => "Only submitted advice can be released.",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::AdviceStatus::*;
    use super::*;

    #[test]
    fn submitted_advice_is_locked_until_released() {
        assert_eq!(Draft.after_submit(false), Ok(Submitted));
        assert_eq!(Submitted.after_submit(false), Err(Refusal::Locked));
        assert!(!Submitted.editable());
        assert_eq!(Submitted.after_release(), Ok(Released));
        assert!(Released.editable());
        assert_eq!(Released.after_submit(false), Ok(Submitted));
        assert_eq!(Draft.after_release(), Err(Refusal::NotSubmitted));
    }

    #[test]
    fn endorsement_and_return() {
        assert_eq!(Draft.after_submit(true), Ok(AwaitingEndorsement));
        assert!(!AwaitingEndorsement.editable());
        assert_eq!(AwaitingEndorsement.after_endorse(), Ok(Submitted));
        assert_eq!(AwaitingEndorsement.after_return(false), Ok(Returned));
        assert_eq!(Submitted.after_return(false), Err(Refusal::NotReturnable));
        assert_eq!(Submitted.after_return(true), Ok(Returned));
        assert_eq!(Returned.after_submit(true), Ok(AwaitingEndorsement));
        for s in [Draft, AwaitingEndorsement, Returned, Submitted, Released] {
            assert_eq!(AdviceStatus::parse(s.as_str()), Some(s));
        }
    }
}
