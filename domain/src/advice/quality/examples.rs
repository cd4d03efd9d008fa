//! Worked examples: good and bad provision, good and bad outcomes, data that
//! must not be published, and look-alikes that must not trigger.

use chrono::NaiveDate;

use super::*;
use crate::advice::{AreaAdvice, Outcome, Provision, Step};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn context() -> Context {
    Context {
        child_names: vec!["Zebedee".into(), "Quixote".into()],
        child_date_of_birth: Some(date(2015, 3, 1)),
        participant_names: vec!["Priya Shah".into()],
        looked_after: false,
        areas_asked: vec![AdviceArea::SenCognitionAndLearning],
    }
}

fn area(needs: &str, outcomes: Vec<Outcome>, provisions: Vec<Provision>) -> AdviceContent {
    AdviceContent {
        areas: vec![AreaAdvice {
            area: AdviceArea::SenCognitionAndLearning,
            strengths: Some("Enjoys reading with an adult in class.".into()),
            needs: Some(needs.into()),
            outcomes,
            provisions,
        }],
        ..AdviceContent::default()
    }
}

fn provision(quantity: &str, frequency: &str, support: &str) -> AdviceContent {
    let p = Provision {
        support_needed: Some(support.into()),
        provided_by: Some("Teaching assistant".into()),
        staff_student_ratio: Some("1:1".into()),
        quantity: Some(quantity.into()),
        frequency: Some(frequency.into()),
    };
    area("Finds it hard to follow instructions in class.", vec![], vec![p])
}

fn outcome(text: &str, dated: bool) -> AdviceContent {
    let step = Step { text: Some("Reads a short text aloud".into()), target_date: dated.then(|| date(2027, 7, 1)) };
    let o = Outcome { text: Some(text.into()), kind: None, steps: vec![step] };
    area("Finds it hard to follow instructions in class.", vec![o], vec![])
}

fn in_needs(text: &str) -> AdviceContent {
    area(text, vec![], vec![])
}

fn codes(advice: &AdviceContent, context: &Context) -> Vec<Check> {
    check_advice(advice, context, &Vec::new()).into_iter().map(|f| f.code).collect()
}

#[test]
fn worked_examples() {
    use Check::*;
    // (what, advice, a check that must be found, or None for "nothing").
    let rows: Vec<(&str, AdviceContent, Option<Check>)> = vec![
        // Provision
        ("hours per week", provision("4 hours", "per week", "Short Break club"), None),
        ("minutes daily", provision("30 minutes", "daily", "Precision teaching"), None),
        ("times a week", provision("2 sessions of 20 minutes", "3 times a week", "Speech therapy"), None),
        ("termly review", provision("1 visit", "termly", "Educational psychologist review"), None),
        ("once a fortnight", provision("45 minutes", "once a fortnight", "Occupational therapy"), None),
        ("amount in the frequency", provision("4 hours per week", "weekly in school holidays", "Short breaks"), None),
        ("half-termly", provision("1 session", "half-termly", "Review with parents"), None),
        ("every lesson", provision("5 minutes", "every lesson", "Pre-teaching of vocabulary"), None),
        ("as needed quantity", provision("as needed", "weekly", "Reading support"), Some(VagueProvision)),
        ("regularly frequency", provision("30 minutes", "regularly", "Reading support"), Some(VagueProvision)),
        ("as required", provision("support as required", "daily", "Adult support"), Some(VagueProvision)),
        ("no number", provision("some time", "weekly", "Reading support"), Some(UnquantifiedProvision)),
        ("no unit", provision("3", "weekly", "Reading support"), Some(UnquantifiedProvision)),
        (
            "frequency without period",
            provision("30 minutes", "sometimes", "Reading support"),
            Some(UnquantifiedProvision),
        ),
        ("access to", provision("1 hour", "weekly", "Access to a quiet space"), Some(VagueProvision)),
        ("opportunities for", provision("1 hour", "weekly", "Opportunities for group work"), Some(VagueProvision)),
        ("ongoing", provision("ongoing", "daily", "Mentoring"), Some(VagueProvision)),
        // Outcomes
        ("able to", outcome("By the end of Key Stage 2, to be able to read a short text independently", true), None),
        ("will attend", outcome("Will attend a mainstream class for all lessons by July 2027", true), None),
        ("undated steps", outcome("To be able to read a short text independently", false), Some(OutcomeNotTimeBound)),
        ("no measurable verb", outcome("Happiness and confidence", true), Some(OutcomeNotSpecific)),
        ("provision in disguise", outcome("To receive 1:1 support in class", true), Some(OutcomeIsProvision)),
        ("support from", outcome("Support from a teaching assistant every day", true), Some(OutcomeIsProvision)),
        // Identifiers and contact details
        ("nhs number", in_needs("Seen in clinic, NHS number 943 476 5919."), Some(NhsNumber)),
        ("nhs number run together", in_needs("Ref 9434765919 from the clinic."), Some(NhsNumber)),
        ("ten digits failing the check", in_needs("Clinic reference 9434765918."), None),
        ("mobile number", in_needs("Call the family on 07700 900123."), Some(PhoneNumber)),
        ("international mobile", in_needs("Call +44 7700 900123 after school."), Some(PhoneNumber)),
        ("landline", in_needs("School office 01709 382121 in class hours."), Some(PhoneNumber)),
        ("a year is no phone", in_needs("Since 2022 in class, 3 terms."), None),
        ("postcode", in_needs("Now lives near S60 2TH and attends school."), Some(PostcodeOrAddress)),
        ("postcode no space", in_needs("Placement at S602TH, school nearby."), Some(PostcodeOrAddress)),
        ("street address", in_needs("Lives at 14 Acacia Avenue with carers; school is near."), Some(PostcodeOrAddress)),
        ("a key stage is no postcode", in_needs("Working at KS2 level in class."), None),
        // Other people
        (
            "sibling named",
            in_needs("His brother Kyle is also known to services; school attendance low."),
            Some(ThirdPartyName),
        ),
        ("titled person", in_needs("Mrs Jenkins next door helps; school reports progress."), Some(ThirdPartyName)),
        ("the child's own name", in_needs("Master Zebedee enjoys school."), None),
        ("a participant's name", in_needs("Ms Shah, the SENCo, reports progress in class."), None),
        ("relation without a name", in_needs("Gets on well with his brother; happy at school."), None),
        ("another date of birth", in_needs("Sister born 03/04/2012 also attends the school."), Some(OtherDateOfBirth)),
        ("the child's birth date", in_needs("Born 01/03/2015, attends school."), None),
        ("a date that is no birth", in_needs("Reviewed in class on 03/04/2026."), None),
        // Confidential topics
        ("adoption", in_needs("Adoption order made last year; settled at school."), Some(ConfidentialTopic)),
        ("police", in_needs("Police were called to the home; tired in class."), Some(ConfidentialTopic)),
        (
            "parent's health",
            in_needs("Mum has depression and finds mornings hard; late to school."),
            Some(ConfidentialTopic),
        ),
        ("parent's money", in_needs("Dad is in debt; uniform issues at school."), Some(ConfidentialTopic)),
        (
            "plain school needs",
            in_needs("Finds new information hard to manage after placement moves; school support."),
            None,
        ),
    ];
    assert!(rows.len() >= 40, "{} rows", rows.len());
    for (what, advice, expected) in rows {
        let found = codes(&advice, &context());
        match expected {
            Some(check) => assert!(found.contains(&check), "{what}: expected {check:?}, found {found:?}"),
            None => assert!(found.is_empty(), "{what}: expected nothing, found {found:?}"),
        }
    }
}

#[test]
fn social_care_advice_says_how_needs_touch_education_and_looked_after_children_need_a_pep() {
    let mut advice = in_needs("Struggles to socialise independently outside the home.");
    advice.areas[0].area = AdviceArea::SocialCare;
    advice.areas[0].strengths = Some("Builds trust with familiar adults.".into());
    let mut ctx = context();
    assert!(codes(&advice, &ctx).contains(&Check::NoLinkToEducation));
    advice.areas[0].needs = Some("Struggles to socialise, which makes group work in class hard.".into());
    assert!(!codes(&advice, &ctx).contains(&Check::NoLinkToEducation));
    ctx.looked_after = true;
    assert!(codes(&advice, &ctx).contains(&Check::MissingPep));
    advice.pep = Some("PEP reviewed 2026-10-01.".into());
    assert!(!codes(&advice, &ctx).contains(&Check::MissingPep));
}

#[test]
fn a_council_may_change_a_checks_severity_or_turn_it_off() {
    let advice = in_needs("Call the family on 07700 900123 about school.");
    let found = check_advice(&advice, &context(), &Vec::new());
    assert_eq!(found[0].severity, Severity::Warning);
    let stricter = check_advice(&advice, &context(), &vec![(Check::PhoneNumber, Severity::Error)]);
    assert_eq!(stricter[0].severity, Severity::Error);
    assert!(check_advice(&advice, &context(), &vec![(Check::PhoneNumber, Severity::Off)]).is_empty());
}

#[test]
fn findings_never_repeat_what_they_matched() {
    let advice = in_needs("NHS 943 476 5919, brother Kyle, 07700 900123, S60 2TH, police.");
    for f in check_advice(&advice, &context(), &Vec::new()) {
        for secret in ["943", "Kyle", "07700", "S60"] {
            assert!(!f.message.contains(secret) && !f.pointer.contains(secret), "{f:?}");
        }
    }
}

#[test]
fn nhs_check_digits() {
    assert!(personal::is_nhs_number(&[9, 4, 3, 4, 7, 6, 5, 9, 1, 9]));
    assert!(!personal::is_nhs_number(&[9, 4, 3, 4, 7, 6, 5, 9, 1, 8]));
    assert!(!personal::is_nhs_number(&[1, 2, 3]));
}
