//! The SEN2 return as the DfE's person-level XML for COLLECT: `Message` >
//! `Header` (`CollectionDetails`, `Source`) and `Persons` > `Person` >
//! `Requests` > `Assessment` > `NamedPlan`, with `ActivePlans` for a plan
//! in force, as the 2024 collection names its modules and items. The hub
//! writes the items it holds; what it does not (sex, ethnicity, postcode,
//! placements, SEN type) the authority's system adds before submitting.
//! `docs/sen2/ehc-hub-sen2-2024.xsd` describes exactly what is written here.

use chrono::{NaiveDate, NaiveDateTime, Weekday};

use crate::sen2::{assessment_outcome_code, request_outcome_code, Sen2Case};

/// What the header says of the return.
#[derive(Debug, Clone)]
pub struct Sen2Header {
    /// The calendar year the return covers; the collection is the next
    /// January's (SEN2 `Year` = year + 1).
    pub year: i32,
    /// The authority's three-digit DfE number (`LEA`).
    pub authority: String,
    pub made_at: NaiveDateTime,
}

/// The census day of a collection: the third Thursday of January.
pub fn reference_date(collection_year: i32) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(collection_year, 1, Weekday::Thu, 3)
}

/// Text as XML character data: markup escaped, and characters XML 1.0 may
/// not hold (or that hide text) left out.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars().filter(|c| !crate::cases::is_hidden_character(*c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

struct Xml {
    out: String,
    depth: usize,
}

impl Xml {
    fn open(&mut self, name: &str) {
        self.out.push_str(&format!("{}<{name}>\n", "  ".repeat(self.depth)));
        self.depth += 1;
    }

    fn close(&mut self, name: &str) {
        self.depth -= 1;
        self.out.push_str(&format!("{}</{name}>\n", "  ".repeat(self.depth)));
    }

    fn item(&mut self, name: &str, value: &str) {
        self.out.push_str(&format!("{}<{name}>{}</{name}>\n", "  ".repeat(self.depth), text(value)));
    }

    fn maybe(&mut self, name: &str, value: Option<String>) {
        if let Some(v) = value {
            self.item(name, &v);
        }
    }
}

fn person(x: &mut Xml, c: &Sen2Case) {
    x.open("Person");
    x.item("Surname", &c.surname);
    x.item("Forename", &c.forename);
    x.item("PersonBirthDate", &date(c.date_of_birth));
    x.maybe("UPN", c.upn.clone());
    x.maybe("UniqueLearnerNumber", c.uln.clone());
    x.open("Requests");
    x.item("ReceivedDate", &date(c.received));
    x.maybe("RequestOutcomeDate", c.to_assess.map(|(d, _)| date(d)));
    x.item("RequestOutcome", request_outcome_code(c.to_assess.map(|(_, yes)| yes)));
    if matches!(c.to_assess, Some((_, true))) {
        x.open("Assessment");
        x.item("AssessmentOutcome", assessment_outcome_code(c.to_issue.map(|(_, yes)| yes)));
        x.maybe("AssessmentOutcomeDate", c.to_issue.map(|(d, _)| date(d)));
        if c.to_issue.is_some() || c.final_issued.is_some() {
            // Whether an exception to the 20 weeks applies (reg 10(4)).
            x.item("Week20", if c.plan_excepted { "true" } else { "false" });
        }
        if let Some(start) = c.final_issued {
            x.open("NamedPlan");
            x.item("StartDate", &date(start));
            x.maybe("CeaseDate", c.ceased_on.map(date));
            x.maybe("CeaseReason", c.cease_reason.map(|r| r.sen2_code().to_owned()));
            x.close("NamedPlan");
        }
        x.close("Assessment");
    }
    if c.final_issued.is_some() && !c.review_meetings.is_empty() {
        x.open("ActivePlans");
        let mut meetings = c.review_meetings.clone();
        meetings.sort();
        x.maybe("ReviewMeeting", meetings.last().map(|d| date(*d)));
        x.maybe("ReviewOutcome", c.review_outcome.map(str::to_owned));
        x.maybe("LastReview", meetings.iter().rev().nth(1).map(|d| date(*d)));
        x.close("ActivePlans");
    }
    x.close("Requests");
    x.close("Person");
}

/// The whole return: the header, then one `Person` per case.
pub fn message(header: &Sen2Header, cases: &[Sen2Case]) -> String {
    let mut x = Xml { out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"), depth: 0 };
    x.open("Message");
    x.open("Header");
    x.open("CollectionDetails");
    x.item("Collection", "SEN2");
    let collection_year = header.year + 1;
    x.item("Year", &collection_year.to_string());
    x.maybe("ReferenceDate", reference_date(collection_year).map(date));
    x.close("CollectionDetails");
    x.open("Source");
    x.item("SourceLevel", "L");
    x.item("LEA", &header.authority);
    x.item("SoftwareCode", "EHC Hub");
    x.item("Release", env!("CARGO_PKG_VERSION"));
    x.item("DateTime", &header.made_at.format("%Y-%m-%dT%H:%M:%S").to_string());
    x.close("Source");
    x.close("Header");
    x.open("Persons");
    for c in cases {
        person(&mut x, c);
    }
    x.close("Persons");
    x.close("Message");
    debug_assert_eq!(x.depth, 0);
    x.out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::RequestSource;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_census_day_is_the_third_thursday_of_january() {
        assert_eq!(reference_date(2024), Some(d("2024-01-18")));
        assert_eq!(reference_date(2027), Some(d("2027-01-21")));
    }

    #[test]
    fn a_person_with_a_ceased_plan() {
        let c = Sen2Case {
            reference: "R-1".into(),
            upn: None,
            uln: Some("1234567890".into()),
            surname: "O'Neill & <Sons>".into(),
            forename: "Sam".into(),
            date_of_birth: d("2010-01-02"),
            received: d("2025-01-06"),
            source: RequestSource::School,
            to_assess: Some((d("2025-02-10"), true)),
            to_issue: Some((d("2025-04-10"), true)),
            final_issued: Some(d("2025-05-20")),
            plan_excepted: false,
            review_meetings: vec![d("2026-05-01")],
            review_outcome: Some("C"),
            ceased_on: Some(d("2026-08-01")),
            cease_reason: Some(crate::statutory::CeaseReason::NeedsMetWithoutPlan),
        };
        let header =
            Sen2Header { year: 2026, authority: "999".into(), made_at: d("2027-01-05").and_hms_opt(9, 0, 0).unwrap() };
        let xml = message(&header, &[c]);
        assert!(xml.contains("<Surname>O&apos;Neill &amp; &lt;Sons&gt;</Surname>"));
        assert!(xml.contains("<Year>2027</Year>"));
        assert!(xml.contains("<CeaseReason>2</CeaseReason>"));
        assert!(xml.contains("<ReviewOutcome>C</ReviewOutcome>"));
        assert!(!xml.contains("<UPN>"), "an item the case lacks is left out");
    }
}
