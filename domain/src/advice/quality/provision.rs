//! Provision must be specific and quantified (seed 002; SEND Code of
//! Practice 9.69: "detailed and specific ... normally quantified"): who
//! provides it, how much and how often, never "as needed".

use super::super::form::Provision;
use super::text::{has_any, has_number};
use super::{Check, Found};

/// Words that promise nothing measurable.
const VAGUE: [&str; 14] = [
    "as needed",
    "as required",
    "as and when",
    "when needed",
    "when necessary",
    "if needed",
    "if required",
    "regularly",
    "regular",
    "ongoing",
    "flexible",
    "access to",
    "opportunities for",
    "opportunity to",
];

/// Units a quantity is counted in.
const UNITS: [&str; 21] = [
    "minute", "minutes", "mins", "min", "hour", "hours", "hrs", "hr", "session", "sessions", "lesson", "lessons",
    "day", "days", "times", "visit", "visits", "week", "weeks", "block", "blocks",
];

/// Frequencies that need no number.
const FREQUENCIES: [&str; 16] = [
    "daily",
    "weekly",
    "fortnightly",
    "monthly",
    "termly",
    "half termly",
    "half-termly",
    "annually",
    "yearly",
    "every day",
    "each day",
    "every week",
    "each week",
    "every term",
    "each term",
    "every lesson",
];

/// Periods a count may be "per", "a" or "every".
const PERIODS: [&str; 8] = ["day", "week", "fortnight", "month", "term", "half term", "year", "lesson"];

fn counted(text: &str) -> bool {
    has_number(text) && (has_any(text, &UNITS) || text.contains('%') || text.contains(':'))
}

fn recognised_frequency(text: &str) -> bool {
    has_any(text, &FREQUENCIES)
        || PERIODS.iter().any(|p| {
            has_any(text, &[&format!("per {p}"), &format!("a {p}"), &format!("every {p}"), &format!("each {p}")])
        })
}

pub(super) fn check(found: &mut Found, base: &str, p: &Provision) {
    let quantity = p.quantity.as_deref().unwrap_or("");
    let frequency = p.frequency.as_deref().unwrap_or("");
    let support = p.support_needed.as_deref().unwrap_or("");
    for (field, text) in [("quantity", quantity), ("frequency", frequency)] {
        if has_any(text, &VAGUE) {
            found.add(format!("{base}/{field}"), Check::VagueProvision);
        }
    }
    if has_any(support, &VAGUE) {
        found.add(format!("{base}/support_needed"), Check::VagueProvision);
    }
    // A frequency may carry the amount ("4 hours per week"), and a quantity
    // the frequency ("30 minutes daily").
    let both = format!("{quantity} {frequency}");
    if !quantity.trim().is_empty() && !counted(quantity) && !counted(frequency) {
        found.add(format!("{base}/quantity"), Check::UnquantifiedProvision);
    }
    if !frequency.trim().is_empty() && !recognised_frequency(frequency) && !recognised_frequency(&both) {
        found.add(format!("{base}/frequency"), Check::UnquantifiedProvision);
    }
}
