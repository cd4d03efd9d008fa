//! The DfE's SEN2 return, person level: the fields the hub holds for each
//! request for an EHC needs assessment, with the return's codes. Fields the
//! hub does not hold (sex, postcode, ethnicity, placements, SEN type) are
//! left for the LA's case-management system, which owns them.
//!
//! The codes follow the SEN2 2024 collection's schema (docs/REPORTS.md); the
//! DfE revises the return each year, so a council checks them against the
//! year it submits. The XML form is `sen2_xml.rs`.

use chrono::NaiveDate;

use crate::cases::RequestSource;

/// The column headings, in order.
pub const HEADER: [&str; 18] = [
    "UPN",
    "UniqueLearnerNumber",
    "Surname",
    "Forename",
    "PersonBirthDate",
    "ReceivedDate",
    "RequestSource",
    "RequestOutcomeDate",
    "RequestOutcome",
    "AssessmentOutcomeDate",
    "AssessmentOutcome",
    "TwentyWeekExceptions",
    "PlanStartDate",
    "ReviewMeetingDates",
    "ReviewOutcome",
    "CeaseDate",
    "CeaseReason",
    "ReferenceInHub",
];

/// SEN2 request source: 1 parent or young person, 2 early years setting,
/// school or college, 3 health, 4 social care, 5 other.
pub fn request_source_code(source: RequestSource) -> &'static str {
    match source {
        RequestSource::ParentOrYoungPerson => "1",
        RequestSource::School => "2",
        RequestSource::Health => "3",
        RequestSource::SocialCare => "4",
        RequestSource::Other => "5",
    }
}

/// `RequestOutcome`: Y the LA went on to assess, N it decided not to, A no
/// decision yet.
pub fn request_outcome_code(decided_to_assess: Option<bool>) -> &'static str {
    match decided_to_assess {
        Some(true) => "Y",
        Some(false) => "N",
        None => "A",
    }
}

/// `AssessmentOutcome`: Y decided to issue a plan, N decided not to, A no
/// decision yet.
pub fn assessment_outcome_code(decided_to_issue: Option<bool>) -> &'static str {
    match decided_to_issue {
        Some(true) => "Y",
        Some(false) => "N",
        None => "A",
    }
}

/// What the hub holds about one request for assessment.
#[derive(Debug, Clone)]
pub struct Sen2Case {
    pub reference: String,
    pub upn: Option<String>,
    pub uln: Option<String>,
    pub surname: String,
    pub forename: String,
    pub date_of_birth: NaiveDate,
    pub received: NaiveDate,
    pub source: RequestSource,
    pub to_assess: Option<(NaiveDate, bool)>,
    pub to_issue: Option<(NaiveDate, bool)>,
    pub final_issued: Option<NaiveDate>,
    pub plan_excepted: bool,
    pub review_meetings: Vec<NaiveDate>,
    /// The last review's outcome: A amend, C cease, M maintain.
    pub review_outcome: Option<&'static str>,
    /// The day the plan ceased (the end of the time to appeal, s.45).
    pub ceased_on: Option<NaiveDate>,
    pub cease_reason: Option<crate::statutory::CeaseReason>,
}

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// One CSV row, in `HEADER` order.
pub fn row(c: &Sen2Case) -> Vec<String> {
    let opt = |d: Option<NaiveDate>| d.map(date).unwrap_or_default();
    vec![
        c.upn.clone().unwrap_or_default(),
        c.uln.clone().unwrap_or_default(),
        c.surname.clone(),
        c.forename.clone(),
        date(c.date_of_birth),
        date(c.received),
        request_source_code(c.source).to_owned(),
        opt(c.to_assess.map(|(d, _)| d)),
        request_outcome_code(c.to_assess.map(|(_, yes)| yes)).to_owned(),
        opt(c.to_issue.map(|(d, _)| d)),
        // An assessment's outcome once there is an assessment.
        if matches!(c.to_assess, Some((_, true))) {
            assessment_outcome_code(c.to_issue.map(|(_, yes)| yes)).to_owned()
        } else {
            String::new()
        },
        // Only meaningful once a plan is issued or refused.
        if c.final_issued.is_some() || c.to_issue.is_some() {
            if c.plan_excepted { "1" } else { "0" }.to_owned()
        } else {
            String::new()
        },
        opt(c.final_issued),
        c.review_meetings.iter().map(|d| date(*d)).collect::<Vec<_>>().join(";"),
        c.review_outcome.unwrap_or_default().to_owned(),
        opt(c.ceased_on),
        c.cease_reason.map(|r| r.sen2_code().to_owned()).unwrap_or_default(),
        c.reference.clone(),
    ]
}

/// One CSV field: quoted when it must be, never read as a formula by a
/// spreadsheet (a leading =, +, -, @ gets an apostrophe), and without control
/// or text-direction characters (rows stored before names were checked may
/// hold them).
pub fn csv_field(value: &str) -> String {
    let value: String = value.chars().filter(|c| !crate::cases::is_hidden_character(*c)).collect();
    let value = if value.starts_with(['=', '+', '-', '@']) { format!("'{value}") } else { value };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

pub fn csv_line(fields: &[String]) -> String {
    let mut line = fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_direction_characters_never_reach_the_csv() {
        assert_eq!(csv_field("Ada\u{0}\u{202E}txt"), "Adatxt");
        assert_eq!(csv_field("line\nbreak"), "linebreak");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_field("Smith, Jo"), "\"Smith, Jo\"");
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_row_carries_the_codes_and_dates() {
        let c = Sen2Case {
            reference: "R-ABC".into(),
            upn: Some("A123456789012".into()),
            uln: None,
            surname: "O'Neill, Jr".into(),
            forename: "=Sam".into(),
            date_of_birth: d("2014-07-19"),
            received: d("2026-01-05"),
            source: RequestSource::Health,
            to_assess: Some((d("2026-02-10"), true)),
            to_issue: Some((d("2026-04-20"), true)),
            final_issued: Some(d("2026-05-20")),
            plan_excepted: false,
            review_meetings: vec![],
            review_outcome: Some("A"),
            ceased_on: Some(d("2027-03-01")),
            cease_reason: Some(crate::statutory::CeaseReason::MovedAbroad),
        };
        let r = row(&c);
        assert_eq!(r.len(), HEADER.len());
        assert_eq!(r[6], "3");
        assert_eq!(r[8], "Y");
        assert_eq!(r[14..17], ["A".to_owned(), "2027-03-01".to_owned(), "7".to_owned()]);
        assert_eq!(r[10], "Y");
        assert_eq!(r[11], "0");
        assert_eq!(csv_line(&r).split(',').nth(2), Some("\"O'Neill"));
        assert!(csv_line(&r).contains(",'=Sam,"), "no formula injection");
    }
}
