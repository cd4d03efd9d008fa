//! Where a request for advice is: open until its advice is published (or it
//! is withdrawn); reopened when published advice goes back to its author.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Open,
    Completed,
    Withdrawn,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 3] = [Self::Open, Self::Completed, Self::Withdrawn];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Completed => "completed",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == code)
    }

    /// Why advice on a request that is not open cannot change, in words.
    pub fn closed_message(self) -> &'static str {
        match self {
            Self::Open => "The request is open.",
            Self::Completed => {
                "The advice was submitted and is locked: ask the assessment team to release it if it must change."
            }
            Self::Withdrawn => "The request was withdrawn: its advice can no longer change.",
        }
    }

    /// A completed request cannot be withdrawn: its advice is published.
    pub fn may_withdraw(self) -> bool {
        self != Self::Completed
    }
}

crate::stored_as_text!(RequestStatus, as_str, parse);
