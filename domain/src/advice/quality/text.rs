//! The free text of advice, field by field, and the small text tools the
//! checks share.

use super::super::form::AdviceContent;

/// One field of free text: its pointer, its text, and whether naming a
/// person is expected there (`provided_by` names who provides).
pub struct Field<'a> {
    pub pointer: String,
    pub text: &'a str,
    pub names_expected: bool,
}

fn push<'a>(out: &mut Vec<Field<'a>>, pointer: String, text: &'a Option<String>, names_expected: bool) {
    if let Some(text) = text.as_deref().filter(|t| !t.trim().is_empty()) {
        out.push(Field { pointer, text, names_expected });
    }
}

pub fn fields(advice: &AdviceContent) -> Vec<Field<'_>> {
    let mut out = Vec::new();
    push(&mut out, "/details".to_owned(), &advice.details, false);
    push(&mut out, "/pep".to_owned(), &advice.pep, false);
    push(&mut out, "/personal_budget".to_owned(), &advice.personal_budget, false);
    if let Some(v) = &advice.views {
        push(&mut out, "/views/views".to_owned(), &v.views, false);
        push(&mut out, "/views/interests".to_owned(), &v.interests, false);
        push(&mut out, "/views/aspirations".to_owned(), &v.aspirations, false);
        push(&mut out, "/views/communication".to_owned(), &v.communication, false);
    }
    for (i, area) in advice.areas.iter().enumerate() {
        let base = format!("/areas/{i}");
        push(&mut out, format!("{base}/strengths"), &area.strengths, false);
        push(&mut out, format!("{base}/needs"), &area.needs, false);
        for (j, o) in area.outcomes.iter().enumerate() {
            push(&mut out, format!("{base}/outcomes/{j}/text"), &o.text, false);
            for (k, s) in o.steps.iter().enumerate() {
                push(&mut out, format!("{base}/outcomes/{j}/steps/{k}/text"), &s.text, false);
            }
        }
        for (j, p) in area.provisions.iter().enumerate() {
            let pb = format!("{base}/provisions/{j}");
            push(&mut out, format!("{pb}/support_needed"), &p.support_needed, false);
            push(&mut out, format!("{pb}/provided_by"), &p.provided_by, true);
            push(&mut out, format!("{pb}/quantity"), &p.quantity, false);
            push(&mut out, format!("{pb}/frequency"), &p.frequency, false);
        }
    }
    out
}

/// The words of a text, lower-cased, without punctuation at their ends.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '/' | '"'))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether the text holds the phrase as whole words.
pub fn has_phrase(text: &str, phrase: &str) -> bool {
    let hay = format!(" {} ", words(text).join(" "));
    hay.contains(&format!(" {} ", phrase))
}

pub fn has_any(text: &str, phrases: &[&str]) -> bool {
    phrases.iter().any(|p| has_phrase(text, p))
}

const NUMBER_WORDS: [&str; 16] = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "fifteen",
    "twenty", "thirty", "half",
];

/// Whether the text holds a number, in digits or in words.
pub fn has_number(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit()) || words(text).iter().any(|w| NUMBER_WORDS.contains(&w.as_str()))
}
