//! Outcomes must be SMART (seed 002): specific (what the child will be able
//! to do), time-bound (steps with dates), and about the child, not the help.

use super::super::form::{AreaAdvice, Outcome};
use super::text::{has_any, words};
use super::{Check, Found};

/// Verbs and phrases that say what the child will do or achieve.
const MEASURABLE: [&str; 40] = [
    "be able",
    "able to",
    "will",
    "can",
    "achieve",
    "attend",
    "read",
    "write",
    "communicate",
    "access",
    "manage",
    "use",
    "develop",
    "complete",
    "demonstrate",
    "participate",
    "take part",
    "travel",
    "make",
    "maintain",
    "improve",
    "increase",
    "reduce",
    "follow",
    "understand",
    "express",
    "request",
    "ask",
    "join",
    "contribute",
    "dress",
    "eat",
    "cope",
    "engage",
    "progress",
    "gain",
    "learn",
    "speak",
    "recognise",
    "identify",
];

/// Openings that describe help given, not a change in the child.
const PROVISION_OPENINGS: [&str; 9] = [
    "to receive",
    "receive",
    "to be given",
    "to be provided",
    "to have support",
    "to have access to",
    "1:1 support",
    "support from",
    "to be supported by",
];

/// Words that tie social care needs to learning (seed 002 asks how they
/// affect the child's access to education).
const EDUCATION: [&str; 14] = [
    "school",
    "education",
    "educational",
    "learning",
    "learn",
    "class",
    "classroom",
    "lessons",
    "college",
    "nursery",
    "teacher",
    "teachers",
    "curriculum",
    "setting",
];

pub(super) fn check(found: &mut Found, base: &str, outcome: &Outcome) {
    let text = outcome.text.as_deref().unwrap_or("").trim();
    if !outcome.steps.iter().any(|s| s.target_date.is_some()) {
        found.add(base.to_owned(), Check::OutcomeNotTimeBound);
    }
    if text.is_empty() {
        return;
    }
    let opening = words(text).into_iter().take(4).collect::<Vec<_>>().join(" ");
    if PROVISION_OPENINGS.iter().any(|p| opening.starts_with(p)) {
        found.add(format!("{base}/text"), Check::OutcomeIsProvision);
    } else if !has_any(text, &MEASURABLE) {
        found.add(format!("{base}/text"), Check::OutcomeNotSpecific);
    }
}

pub(super) fn mentions_education(area: &AreaAdvice) -> bool {
    let texts = [area.needs.as_deref(), area.strengths.as_deref()];
    texts.into_iter().flatten().any(|t| has_any(t, &EDUCATION))
}
