//! What must not be published to every party on the case (seed 002):
//! identifiers and contact details, other people's names and dates of birth,
//! and confidential topics. Heuristics, so most are warnings the author
//! acknowledges; a finding never repeats what it matched.

use chrono::NaiveDate;

use super::text::{has_any, words, Field};
use super::{Check, Context, Found};

/// Whether ten digits are an NHS number: the modulus-11 check digit of the
/// NHS number standard (weights 10 down to 2; 11 → 0; 10 is never valid).
pub fn is_nhs_number(digits: &[u32]) -> bool {
    if digits.len() != 10 {
        return false;
    }
    let sum: u32 = digits[..9].iter().zip((2..=10).rev()).map(|(d, w)| d * w).sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return false,
        c => c,
    };
    check == digits[9]
}

/// Runs of digits, allowing the single spaces and hyphens people type
/// inside numbers ("943 476 5919", "07700-900123"), with a leading `+`.
fn digit_runs(text: &str) -> Vec<(bool, Vec<u32>)> {
    let chars: Vec<char> = text.chars().collect();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let plus = i > 0 && chars[i - 1] == '+';
        let mut digits = Vec::new();
        while i < chars.len() {
            if let Some(d) = chars[i].to_digit(10) {
                digits.push(d);
                i += 1;
            } else if matches!(chars[i], ' ' | '-') && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
                i += 1;
            } else {
                break;
            }
        }
        runs.push((plus, digits));
    }
    runs
}

fn is_uk_phone(plus: bool, digits: &[u32]) -> bool {
    match digits {
        [0, rest @ ..] => rest.len() == 10 && !plus,
        [4, 4, rest @ ..] => plus && rest.len() == 10,
        _ => false,
    }
}

/// A UK postcode: outward code (A9, A99, AA9, AA99, A9A, AA9A), a space or
/// not, then inward code (9AA).
fn is_postcode(word: &str, next: Option<&str>) -> bool {
    let joined: String = match next {
        Some(n) if n.len() == 3 => format!("{word}{n}"),
        _ => word.to_owned(),
    };
    let s: Vec<char> = joined.chars().collect();
    if !(5..=7).contains(&s.len()) || !s.iter().all(|c| c.is_ascii_alphanumeric()) {
        return false;
    }
    let (outward, inward) = s.split_at(s.len() - 3);
    let inward_ok = inward[0].is_ascii_digit() && inward[1].is_ascii_uppercase() && inward[2].is_ascii_uppercase();
    let letters = outward.iter().take_while(|c| c.is_ascii_uppercase()).count();
    let outward_ok = (1..=2).contains(&letters)
        && outward.get(letters).is_some_and(char::is_ascii_digit)
        && outward[letters..].iter().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase());
    inward_ok && outward_ok
}

const STREET_WORDS: [&str; 14] = [
    "road", "street", "avenue", "lane", "close", "drive", "way", "crescent", "court", "place", "grove", "gardens",
    "terrace", "rd",
];

/// A house number, a capitalised name, then a street word ("14 Acacia Avenue").
fn has_street_address(text: &str) -> bool {
    let raw: Vec<&str> = text.split_whitespace().collect();
    raw.windows(3).any(|w| {
        w[0].chars().all(|c| c.is_ascii_digit())
            && w[1].chars().next().is_some_and(char::is_uppercase)
            && STREET_WORDS.contains(&w[2].trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase().as_str())
    })
}

const TITLES: [&str; 8] = ["mr", "mrs", "ms", "miss", "dr", "mx", "master", "prof"];
const RELATIONS: [&str; 22] = [
    "brother",
    "sister",
    "sibling",
    "siblings",
    "half-brother",
    "half-sister",
    "stepbrother",
    "stepsister",
    "cousin",
    "aunt",
    "auntie",
    "uncle",
    "nan",
    "nana",
    "grandma",
    "grandmother",
    "grandad",
    "grandfather",
    "stepdad",
    "stepmum",
    "boyfriend",
    "girlfriend",
];

/// Capitalised words right after a title ("Mrs Jones") or a relation word
/// ("his brother Kyle"), that are not the child's names or a participant's.
fn names_a_third_party(text: &str, context: &Context) -> bool {
    let known: Vec<String> =
        context.child_names.iter().chain(context.participant_names.iter()).flat_map(|n| words(n)).collect();
    let raw: Vec<&str> = text.split_whitespace().collect();
    raw.windows(2).any(|w| {
        let lead = w[0].trim_matches(|c: char| !c.is_alphanumeric() && c != '-').to_lowercase();
        let name = w[1].trim_matches(|c: char| !c.is_alphanumeric());
        let capitalised = name.chars().next().is_some_and(char::is_uppercase) && name.len() > 1;
        (TITLES.contains(&lead.as_str()) || RELATIONS.contains(&lead.as_str()))
            && capitalised
            && !known.contains(&name.to_lowercase())
    })
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Dates written as 19/07/2014, 19-07-2014, 2014-07-19 or 19 July 2014.
fn dates_in(text: &str) -> Vec<NaiveDate> {
    let mut found = Vec::new();
    for token in text.split_whitespace() {
        let t = token.trim_matches(|c: char| !c.is_ascii_digit());
        for format in ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y"] {
            if let Ok(d) = NaiveDate::parse_from_str(t, format) {
                found.push(d);
            }
        }
    }
    let w = words(text);
    for i in 0..w.len().saturating_sub(2) {
        if let Some(month) = MONTHS.iter().position(|m| *m == w[i + 1]) {
            let day = w[i].trim_end_matches(|c: char| c.is_alphabetic()).parse::<u32>();
            if let (Ok(day), Ok(year)) = (day, w[i + 2].parse::<i32>()) {
                if let Some(d) = u32::try_from(month + 1).ok().and_then(|m| NaiveDate::from_ymd_opt(year, m, day)) {
                    found.push(d);
                }
            }
        }
    }
    found
}

/// A date of birth in the text that is not the child's.
fn other_date_of_birth(text: &str, context: &Context) -> bool {
    let mentions_birth = has_any(text, &["born", "dob", "d.o.b", "date of birth", "birthday", "aged"]);
    mentions_birth && dates_in(text).into_iter().any(|d| Some(d) != context.child_date_of_birth)
}

const CONFIDENTIAL: [&str; 20] = [
    "adoption",
    "adopted",
    "adoptive",
    "placement address",
    "foster address",
    "police",
    "arrested",
    "arrest",
    "criminal record",
    "criminal records",
    "conviction",
    "convicted",
    "prison",
    "probation",
    "offence",
    "offending",
    "domestic abuse",
    "domestic violence",
    "mash referral",
    "section 47",
];
const PARENTS: [&str; 8] = ["mum", "mother", "mum's", "mother's", "dad", "father", "dad's", "father's"];
const PARENT_MATTERS: [&str; 12] = [
    "depression",
    "mental health",
    "illness",
    "diagnosis",
    "debt",
    "debts",
    "benefits",
    "finances",
    "money",
    "alcohol",
    "drinking",
    "drug",
];

/// Confidential topics, and a parent's health or money close together.
fn confidential(text: &str) -> bool {
    if has_any(text, &CONFIDENTIAL) {
        return true;
    }
    let w = words(text);
    w.iter().enumerate().any(|(i, word)| {
        PARENTS.contains(&word.as_str()) && {
            let near = w[i + 1..w.len().min(i + 7)].join(" ");
            has_any(&near, &PARENT_MATTERS)
        }
    })
}

pub(super) fn scan(found: &mut Found, field: &Field<'_>, context: &Context) {
    let text = field.text;
    for (plus, digits) in digit_runs(text) {
        if is_nhs_number(&digits) {
            found.add(field.pointer.clone(), Check::NhsNumber);
        }
        if is_uk_phone(plus, &digits) {
            found.add(field.pointer.clone(), Check::PhoneNumber);
        }
    }
    let raw: Vec<&str> = text.split_whitespace().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric())).collect();
    let postcode = raw.iter().enumerate().any(|(i, w)| is_postcode(w, raw.get(i + 1).copied()));
    if postcode || has_street_address(text) {
        found.add(field.pointer.clone(), Check::PostcodeOrAddress);
    }
    if !field.names_expected && names_a_third_party(text, context) {
        found.add(field.pointer.clone(), Check::ThirdPartyName);
    }
    if other_date_of_birth(text, context) {
        found.add(field.pointer.clone(), Check::OtherDateOfBirth);
    }
    if confidential(text) {
        found.add(field.pointer.clone(), Check::ConfidentialTopic);
    }
}
