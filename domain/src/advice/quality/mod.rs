//! Quality checks of advice before it is submitted (seed 002): provision
//! that says who, how much and how often; outcomes that are specific and
//! time-bound; and nothing that must not be published to every party on the
//! case (confidential information, other family members, other people's
//! details). Each finding names a JSON pointer, a code and a plain message,
//! never the text it matched: findings are shown, stored and logged, and must
//! not repeat the personal data they found.

mod outcomes;
mod personal;
mod provision;
mod text;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::form::{AdviceArea, AdviceContent};

/// Every check, by the code findings carry and councils configure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    UnquantifiedProvision,
    VagueProvision,
    OutcomeNotTimeBound,
    OutcomeNotSpecific,
    OutcomeIsProvision,
    ThirdPartyName,
    NhsNumber,
    PhoneNumber,
    PostcodeOrAddress,
    OtherDateOfBirth,
    ConfidentialTopic,
    MissingPep,
    NoLinkToEducation,
}

pub const CHECKS: [Check; 13] = [
    Check::UnquantifiedProvision,
    Check::VagueProvision,
    Check::OutcomeNotTimeBound,
    Check::OutcomeNotSpecific,
    Check::OutcomeIsProvision,
    Check::ThirdPartyName,
    Check::NhsNumber,
    Check::PhoneNumber,
    Check::PostcodeOrAddress,
    Check::OtherDateOfBirth,
    Check::ConfidentialTopic,
    Check::MissingPep,
    Check::NoLinkToEducation,
];

impl Check {
    pub fn code(self) -> &'static str {
        match self {
            Self::UnquantifiedProvision => "unquantified_provision",
            Self::VagueProvision => "vague_provision",
            Self::OutcomeNotTimeBound => "outcome_not_time_bound",
            Self::OutcomeNotSpecific => "outcome_not_specific",
            Self::OutcomeIsProvision => "outcome_is_provision",
            Self::ThirdPartyName => "third_party_name",
            Self::NhsNumber => "nhs_number",
            Self::PhoneNumber => "phone_number",
            Self::PostcodeOrAddress => "postcode_or_address",
            Self::OtherDateOfBirth => "other_date_of_birth",
            Self::ConfidentialTopic => "confidential_topic",
            Self::MissingPep => "missing_pep",
            Self::NoLinkToEducation => "no_link_to_education",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        CHECKS.into_iter().find(|c| c.code() == code)
    }

    /// How a check answers unless the council chose otherwise: what makes
    /// advice unusable or unpublishable is an error; what may be a false
    /// alarm is a warning the author acknowledges.
    pub fn default_severity(self) -> Severity {
        match self {
            Self::UnquantifiedProvision | Self::VagueProvision | Self::NhsNumber | Self::MissingPep => Severity::Error,
            _ => Severity::Warning,
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Self::UnquantifiedProvision => {
                "say how much and how often, with a number and a unit (\"4 hours\", \"3 times a week\", \"termly\")"
            }
            Self::VagueProvision => {
                "is too vague to be provided: say what, how much and how often instead of words like \"as needed\""
            }
            Self::OutcomeNotTimeBound => "give the outcome at least one step with the date it should be achieved by",
            Self::OutcomeNotSpecific => "say what the child or young person will be able to do, so it can be measured",
            Self::OutcomeIsProvision => "describes provision, not an outcome: say what will change for the child",
            Self::ThirdPartyName => {
                "seems to name someone who is not the child and not on the case: advice is read by every party"
            }
            Self::NhsNumber => "seems to hold an NHS number: advice must not carry identifiers",
            Self::PhoneNumber => "seems to hold a phone number: advice is read by every party on the case",
            Self::PostcodeOrAddress => {
                "seems to hold a postcode or an address: a placement address must never be published"
            }
            Self::OtherDateOfBirth => "seems to hold someone else's date of birth",
            Self::ConfidentialTopic => {
                "seems to hold confidential information (adoption, police or criminal records, a parent's health or \
                 money): keep to the child's needs and how they affect their education"
            }
            Self::MissingPep => "is required for a looked-after child: give the Personal Education Plan information",
            Self::NoLinkToEducation => "say how these needs affect the child's education or learning",
        }
    }
}

crate::stored_as_text!(Check, code, parse);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Submit refuses until it is mended.
    Error,
    /// Submit needs the author to acknowledge it.
    Warning,
    /// Not checked in this council.
    Off,
}

impl Severity {
    pub fn code(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Off => "off",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Error, Self::Warning, Self::Off].into_iter().find(|s| s.code() == code)
    }
}

crate::stored_as_text!(Severity, code, parse);

/// One thing to mend or acknowledge, by JSON pointer into the advice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Finding {
    pub pointer: String,
    pub code: Check,
    pub severity: Severity,
    pub message: String,
}

/// What the checks know of the case: the child, the people on the case (so
/// their names are not third parties) and whether the child is looked after.
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub child_names: Vec<String>,
    pub child_date_of_birth: Option<NaiveDate>,
    pub participant_names: Vec<String>,
    pub looked_after: bool,
    pub areas_asked: Vec<AdviceArea>,
}

/// The council's choices: a severity per check it changed.
pub type Settings = Vec<(Check, Severity)>;

fn severity_of(check: Check, settings: &Settings) -> Severity {
    settings.iter().find(|(c, _)| *c == check).map_or(check.default_severity(), |(_, s)| *s)
}

/// Collects raw findings (pointer and check) as the rules find them.
pub(crate) struct Found(Vec<(String, Check)>);

impl Found {
    pub(crate) fn add(&mut self, pointer: impl Into<String>, check: Check) {
        let pointer = pointer.into();
        if !self.0.iter().any(|(p, c)| *p == pointer && *c == check) {
            self.0.push((pointer, check));
        }
    }
}

/// Every finding for the advice, at the severities the council chose.
pub fn check_advice(advice: &AdviceContent, context: &Context, settings: &Settings) -> Vec<Finding> {
    let mut found = Found(Vec::new());
    for field in text::fields(advice) {
        personal::scan(&mut found, &field, context);
    }
    for (i, area) in advice.areas.iter().enumerate() {
        let base = format!("/areas/{i}");
        for (j, p) in area.provisions.iter().enumerate() {
            provision::check(&mut found, &format!("{base}/provisions/{j}"), p);
        }
        for (j, o) in area.outcomes.iter().enumerate() {
            outcomes::check(&mut found, &format!("{base}/outcomes/{j}"), o);
        }
        if area.area == AdviceArea::SocialCare && !outcomes::mentions_education(area) {
            found.add(format!("{base}/needs"), Check::NoLinkToEducation);
        }
    }
    let asks_views = context.areas_asked.contains(&AdviceArea::ViewsInterestsAspirations);
    if context.looked_after && !asks_views && advice.pep.as_deref().map(str::trim).is_none_or(str::is_empty) {
        found.add("/pep", Check::MissingPep);
    }
    found
        .0
        .into_iter()
        .map(|(pointer, code)| (pointer, code, severity_of(code, settings)))
        .filter(|(_, _, severity)| *severity != Severity::Off)
        .map(|(pointer, code, severity)| Finding { pointer, code, severity, message: code.message().to_owned() })
        .collect()
}

#[cfg(test)]
mod examples;

/// What submitting makes of the findings: every error refuses, and so does
/// every warning the author has not acknowledged; the acknowledged warnings
/// present are recorded with the version.
pub fn gate(findings: &[Finding], acknowledged: &[Check]) -> (Vec<crate::field_error::FieldError>, Vec<Check>) {
    use crate::field_error::FieldError;
    let mut refused = Vec::new();
    let mut recorded: Vec<Check> = Vec::new();
    for f in findings {
        match f.severity {
            Severity::Error => refused.push(FieldError::new(f.pointer.clone(), f.code.code(), f.message.clone())),
            Severity::Warning if acknowledged.contains(&f.code) => {
                if !recorded.contains(&f.code) {
                    recorded.push(f.code);
                }
            }
            Severity::Warning => refused.push(FieldError::new(
                f.pointer.clone(),
                f.code.code(),
                format!("{} (a warning: mend it, or acknowledge \"{}\" when submitting)", f.message, f.code.code()),
            )),
            Severity::Off => {}
        }
    }
    (refused, recorded)
}
