use chrono::NaiveDate;

use super::draft::{from_advice, PublishedAdvice};
use super::*;
use crate::advice::{AdviceArea, AdviceContent, AreaAdvice, FamilyViews, Outcome, Provision};
use crate::roles::Specialism;

fn id(n: u128) -> uuid::Uuid {
    uuid::Uuid::from_u128(n)
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%d/%m/%Y").unwrap()
}

fn area(area: AdviceArea, needs: &str, provided_by: &str) -> AreaAdvice {
    AreaAdvice {
        area,
        strengths: None,
        needs: Some(needs.to_owned()),
        outcomes: vec![Outcome { text: Some(format!("Outcome for {needs}")), kind: None, steps: Vec::new() }],
        provisions: vec![Provision {
            support_needed: Some("Support".to_owned()),
            provided_by: Some(provided_by.to_owned()),
            staff_student_ratio: None,
            quantity: Some("30 minutes".to_owned()),
            frequency: Some("weekly".to_owned()),
        }],
    }
}

#[test]
fn a_draft_puts_each_piece_of_advice_in_its_section_and_keeps_its_source() {
    let school = AdviceContent {
        areas: vec![area(AdviceArea::SenCognitionAndLearning, "Reading", "Class teacher")],
        ..Default::default()
    };
    let health = AdviceContent { areas: vec![area(AdviceArea::Health, "Hearing", "Audiology")], ..Default::default() };
    let care =
        AdviceContent { areas: vec![area(AdviceArea::SocialCare, "Respite", "Short breaks")], ..Default::default() };
    let family = AdviceContent {
        views: Some(FamilyViews { views: Some("I like maths".to_owned()), ..Default::default() }),
        ..Default::default()
    };
    let advice = [
        PublishedAdvice { advice_request_id: id(1), version: 2, specialism: Specialism::Education, content: &school },
        PublishedAdvice { advice_request_id: id(2), version: 1, specialism: Specialism::Health, content: &health },
        PublishedAdvice { advice_request_id: id(3), version: 1, specialism: Specialism::SocialCare, content: &care },
        PublishedAdvice { advice_request_id: id(4), version: 1, specialism: Specialism::FamilyViews, content: &family },
    ];
    let plan = from_advice(&advice);
    assert_eq!(plan.a_views[0].text.as_deref(), Some("I like maths"));
    assert_eq!(plan.b_special_educational_needs[0].source, Some(Source { advice_request_id: id(1), version: 2 }));
    assert_eq!(plan.c_health_needs[0].text.as_deref(), Some("Hearing"));
    assert_eq!(plan.d_social_care_needs[0].text.as_deref(), Some("Respite"));
    assert_eq!(plan.e_outcomes.len(), 3);
    assert_eq!(plan.f_special_educational_provision[0].provided_by.as_deref(), Some("Class teacher"));
    assert_eq!(plan.g_health_provision[0].provided_by.as_deref(), Some("Audiology"));
    assert_eq!(plan.h2_other_social_care_provision[0].provided_by.as_deref(), Some("Short breaks"));
    assert!(plan.h1_social_care_provision_csdpa.is_empty(), "the officer decides what is CSDPA provision");
    assert_eq!(plan.k_advice.len(), 4);
    assert!(check_for_issue(&plan, IssueStage::Draft).is_empty());
    let final_errors = check_for_issue(&plan, IssueStage::Final);
    assert_eq!(final_errors[0].pointer, "/i_placement/institution");
}

#[test]
fn provision_must_be_specified_and_a_draft_names_no_school() {
    let mut plan = PlanContent::default();
    plan.f_special_educational_provision.push(PlanProvision {
        support_needed: Some("Speech and language therapy".to_owned()),
        provided_by: Some("NHS SLT".to_owned()),
        ..Default::default()
    });
    let pointers: Vec<String> = check_for_issue(&plan, IssueStage::Draft).into_iter().map(|e| e.pointer).collect();
    assert_eq!(
        pointers,
        vec!["/f_special_educational_provision/0/quantity", "/f_special_educational_provision/0/frequency"]
    );
    plan.i_placement = Some(Placement { institution: Some("Oakfield Primary".to_owned()), kind: None });
    assert!(check_for_issue(&plan, IssueStage::Draft).iter().any(|e| e.pointer == "/i_placement"));
    assert!(check_for_issue(&PlanContent::default(), IssueStage::Draft)
        .iter()
        .any(|e| e.pointer == "/f_special_educational_provision"));
}

/// Reg 13(1)(a): "at least 15 days, beginning with the day on which the
/// draft plan was served": served on Monday 1 March 2027, the 15th day is
/// Monday 15 March; the final plan may follow from Tuesday 16 March.
#[test]
fn the_family_has_15_days_from_the_day_the_draft_is_served() {
    assert_eq!(representations_close(d("01/03/2027")), d("15/03/2027"));
    assert_eq!(earliest_final(d("01/03/2027")), d("16/03/2027"));
}

#[test]
fn a_plan_is_issued_draft_then_final_and_amended_only_while_amending() {
    use crate::statutory::DecisionKind;
    use PlanStatus::*;
    assert_eq!(Drafting.after_issue(IssueStage::Draft, false), Ok((DraftIssued, DecisionKind::DraftPlanIssued)));
    assert_eq!(DraftIssued.after_issue(IssueStage::Final, false), Ok((Final, DecisionKind::FinalPlanIssued)));
    assert!(Drafting.after_issue(IssueStage::Final, false).is_err(), "a draft first (reg 13(1))");
    assert!(DraftIssued.after_issue(IssueStage::Draft, false).is_err());
    assert!(Final.after_issue(IssueStage::Final, false).is_err());
    assert!(Final.after_issue(IssueStage::Amended, false).is_err(), "nothing proposed (reg 22)");
    assert_eq!(Final.after_issue(IssueStage::Amended, true), Ok((Final, DecisionKind::AmendedPlanIssued)));
    assert!(Drafting.editable(false) && DraftIssued.editable(false));
    assert!(!Final.editable(false) && Final.editable(true));
}
