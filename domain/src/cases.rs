//! Cases: the child or young person an assessment is about.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::field_error::FieldError;
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

/// A request for assessment is for a child or a young person, and a young
/// person is "over compulsory school age but under 25" (Children and
/// Families Act 2014, s.83(2)): no one is 25 on the day it is received. (A
/// plan already made may run on to the end of the academic year in which
/// they turn 25, SI 2014/1530 reg 46; that is a plan's end, not a request.)
pub const AGE_LIMIT_AT_REQUEST: u32 = 25;

/// A date of birth the law's age range allows for a request received on
/// `received`: not after it, and under 25 on it. A date far in the past is
/// refused rather than stored, because the retention purge would delete such
/// a case at once.
pub fn check_date_of_birth(date_of_birth: NaiveDate, received: NaiveDate) -> Option<FieldError> {
    if date_of_birth > received {
        return Some(FieldError::new("/date_of_birth", "after_request", "cannot be after the request was received"));
    }
    let reaches_limit = date_of_birth.checked_add_months(chrono::Months::new(AGE_LIMIT_AT_REQUEST * 12))?;
    (received >= reaches_limit).then(|| {
        FieldError::new(
            "/date_of_birth",
            "out_of_range",
            "the child or young person must be under 25 when the request is received (s.83(2) of the Act)",
        )
    })
}

/// A name as given, trimmed, or why it cannot be stored: empty once trimmed,
/// or holding control or text-direction characters (which would go out raw
/// in the SEN2 return and could reorder what a reader sees).
/// Characters that are invisible or turn text around (control characters,
/// zero-width and text-direction marks): never in a name, never in a report.
pub fn is_hidden_character(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

pub fn clean_name(pointer: &str, raw: &str) -> Result<String, FieldError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(FieldError::new(pointer, "required", "is required"));
    }
    if name.chars().any(is_hidden_character) {
        return Err(FieldError::new(
            pointer,
            "invalid_characters",
            "must not contain control or text-direction characters",
        ));
    }
    Ok(name.to_owned())
}

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
    fn a_child_or_young_person_is_under_25_when_the_request_arrives() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let received = d("2026-11-02");
        assert_eq!(check_date_of_birth(d("2015-03-01"), received), None);
        assert_eq!(check_date_of_birth(d("2026-11-02"), received), None, "born that day");
        assert_eq!(check_date_of_birth(d("2001-11-03"), received), None, "24, a day short of 25");
        assert_eq!(check_date_of_birth(d("2001-11-02"), received).unwrap().code, "out_of_range", "25 that day");
        assert_eq!(check_date_of_birth(d("1800-01-01"), received).unwrap().code, "out_of_range");
        assert_eq!(check_date_of_birth(d("2026-11-03"), received).unwrap().code, "after_request");
    }

    #[test]
    fn names_are_trimmed_and_hidden_characters_refused() {
        assert_eq!(clean_name("/given_name", "  Ada  ").unwrap(), "Ada");
        assert_eq!(clean_name("/given_name", "Zoë-Jane O'Neil").unwrap(), "Zoë-Jane O'Neil");
        assert_eq!(clean_name("/given_name", "   ").unwrap_err().code, "required");
        for bad in ["Ada\u{0}", "Ada\tLovelace", "evil\u{202E}txt.exe", "A\u{200B}da"] {
            assert_eq!(clean_name("/given_name", bad).unwrap_err().code, "invalid_characters", "{bad:?}");
        }
    }

    #[test]
    fn case_references_are_short_and_stable() {
        let id = uuid::Uuid::parse_str("01936b2e-1c1f-7cc2-9d1e-7f1f3c1a2b3c").unwrap();
        let r = case_reference(&id);
        assert_eq!(r, case_reference(&id));
        assert_eq!(r.len(), 10);
        assert!(r.starts_with("R-"));
    }
}
