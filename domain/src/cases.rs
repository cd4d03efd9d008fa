//! Cases: the child or young person an assessment is about.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Who made the request for statutory assessment (SEN2 request source).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestSource {
    ParentOrYoungPerson,
    School,
    Health,
    SocialCare,
    Other,
}

impl RequestSource {
    pub const ALL: [RequestSource; 5] =
        [Self::ParentOrYoungPerson, Self::School, Self::Health, Self::SocialCare, Self::Other];

    pub fn code(self) -> &'static str {
        match self {
            Self::ParentOrYoungPerson => "parent_or_young_person",
            Self::School => "school",
            Self::Health => "health",
            Self::SocialCare => "social_care",
            Self::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

crate::stored_as_text!(RequestSource, code, parse);

/// How someone takes part in a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ParticipantKind {
    Professional,
    TeamInbox,
    ParentCarer,
    YoungPerson,
    Officer,
}

impl ParticipantKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Professional => "professional",
            Self::TeamInbox => "team_inbox",
            Self::ParentCarer => "parent_carer",
            Self::YoungPerson => "young_person",
            Self::Officer => "officer",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Professional, Self::TeamInbox, Self::ParentCarer, Self::YoungPerson, Self::Officer]
            .into_iter()
            .find(|k| k.as_str() == code)
    }

    /// How a user takes part in a case follows from their role.
    pub fn for_role(role: Option<crate::roles::Role>) -> Self {
        use crate::roles::Role;
        match role {
            Some(Role::ParentCarer) => Self::ParentCarer,
            Some(Role::YoungPerson) => Self::YoungPerson,
            Some(Role::AssessmentOfficer | Role::Administrator) => Self::Officer,
            _ => Self::Professional,
        }
    }
}

crate::stored_as_text!(ParticipantKind, as_str, parse);

/// A short reference for messages, carrying no personal data: derived from
/// the case id only, e.g. `R-7K2M9Q`.
pub fn case_reference(case_id: &uuid::Uuid) -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    // The random bits of a UUIDv7 are at the end.
    let bytes = case_id.as_bytes();
    let mut n =
        u64::from_be_bytes([bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]]);
    let mut out = String::from("R-");
    for _ in 0..8 {
        out.push(ALPHABET[(n % 32) as usize] as char);
        n /= 32;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_references_are_short_and_stable() {
        let id = uuid::Uuid::parse_str("01936b2e-1c1f-7cc2-9d1e-7f1f3c1a2b3c").unwrap();
        let r = case_reference(&id);
        assert_eq!(r, case_reference(&id));
        assert_eq!(r.len(), 10);
        assert!(r.starts_with("R-"));
    }
}
