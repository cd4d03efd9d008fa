//! What submitted advice must contain. Every failure is reported at once,
//! each by JSON pointer into the advice body.

use chrono::NaiveDate;

use super::form::{AdviceArea, AdviceContent, WillProvideAdvice};
use crate::field_error::FieldError;

const MAX_TEXT_CHARS: usize = 20_000;

fn blank(text: &Option<String>) -> bool {
    text.as_deref().map(str::trim).is_none_or(str::is_empty)
}

fn require(errors: &mut Vec<FieldError>, text: &Option<String>, pointer: String) {
    if blank(text) {
        errors.push(FieldError::new(pointer, "required", "is required"));
    }
}

/// Checks advice for submission against the areas asked, on `today`.
pub fn validate_for_submit(
    advice: &AdviceContent,
    areas_asked: &[AdviceArea],
    looked_after: bool,
    today: NaiveDate,
) -> Vec<FieldError> {
    if areas_asked.contains(&AdviceArea::ViewsInterestsAspirations) {
        return validate_views(advice);
    }
    let mut errors = Vec::new();
    let Some(answer) = advice.will_provide else {
        errors.push(FieldError::new("/will_provide", "required", "is required"));
        return errors;
    };
    if answer == WillProvideAdvice::NoOther {
        require(&mut errors, &advice.details, "/details".to_owned());
    }
    if !answer.is_yes() {
        return errors;
    }
    for asked in areas_asked {
        if !advice.areas.iter().any(|a| a.area == *asked) {
            errors.push(FieldError::new(
                "/areas",
                "area_missing",
                format!("advice is needed for the area {}", area_name(*asked)),
            ));
        }
    }
    for (i, area) in advice.areas.iter().enumerate() {
        let base = format!("/areas/{i}");
        if !areas_asked.contains(&area.area) {
            errors.push(FieldError::new(format!("{base}/area"), "not_asked", "was not asked for in this request"));
        }
        require(&mut errors, &area.strengths, format!("{base}/strengths"));
        require(&mut errors, &area.needs, format!("{base}/needs"));
        for (j, outcome) in area.outcomes.iter().enumerate() {
            let ob = format!("{base}/outcomes/{j}");
            require(&mut errors, &outcome.text, format!("{ob}/text"));
            if outcome.kind.is_none() {
                errors.push(FieldError::new(
                    format!("{ob}/kind"),
                    "required",
                    "say whether this is an education or a training outcome",
                ));
            }
            if outcome.steps.is_empty() {
                errors.push(FieldError::new(
                    format!("{ob}/steps"),
                    "required",
                    "at least one short-term step is needed",
                ));
            }
            for (k, step) in outcome.steps.iter().enumerate() {
                let sb = format!("{ob}/steps/{k}");
                require(&mut errors, &step.text, format!("{sb}/text"));
                match step.target_date {
                    None => errors.push(FieldError::new(format!("{sb}/target_date"), "required", "is required")),
                    Some(d) if d <= today => errors.push(FieldError::new(
                        format!("{sb}/target_date"),
                        "not_in_future",
                        "must be a date in the future",
                    )),
                    Some(_) => {}
                }
            }
        }
        for (j, p) in area.provisions.iter().enumerate() {
            let pb = format!("{base}/provisions/{j}");
            require(&mut errors, &p.support_needed, format!("{pb}/support_needed"));
            require(&mut errors, &p.provided_by, format!("{pb}/provided_by"));
            require(&mut errors, &p.staff_student_ratio, format!("{pb}/staff_student_ratio"));
            require(&mut errors, &p.quantity, format!("{pb}/quantity"));
            require(&mut errors, &p.frequency, format!("{pb}/frequency"));
        }
    }
    if looked_after {
        require(&mut errors, &advice.pep, "/pep".to_owned());
    }
    errors.extend(too_long(advice));
    errors
}

/// The wire name of an area, for messages.
/// A family's views need their own words on what matters, their interests
/// and their aspirations; how to communicate with them is optional.
fn validate_views(advice: &AdviceContent) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let views = advice.views.clone().unwrap_or_default();
    require(&mut errors, &views.views, "/views/views".to_owned());
    require(&mut errors, &views.interests, "/views/interests".to_owned());
    require(&mut errors, &views.aspirations, "/views/aspirations".to_owned());
    if advice.will_provide.is_some() || !advice.areas.is_empty() {
        errors.push(FieldError::new("/areas", "not_asked", "a request for views asks for the family's views only"));
    }
    errors
}

fn area_name(area: AdviceArea) -> String {
    match area {
        AdviceArea::SocialCare => "social_care",
        AdviceArea::Health => "health",
        AdviceArea::SenCommunicationAndInteraction => "sen_communication_and_interaction",
        AdviceArea::SenCognitionAndLearning => "sen_cognition_and_learning",
        AdviceArea::SenSensoryAndPhysical => "sen_sensory_and_physical",
        AdviceArea::SenSocialEmotionalMentalHealth => "sen_social_emotional_mental_health",
        AdviceArea::ViewsInterestsAspirations => "views_interests_aspirations",
    }
    .to_owned()
}

/// Texts too long to be advice (also enforced on save).
pub fn too_long(advice: &AdviceContent) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut check = |text: &Option<String>, pointer: String| {
        if text.as_ref().is_some_and(|t| t.chars().count() > MAX_TEXT_CHARS) {
            errors.push(FieldError::new(pointer, "too_long", format!("must be at most {MAX_TEXT_CHARS} characters")));
        }
    };
    check(&advice.details, "/details".into());
    check(&advice.pep, "/pep".into());
    check(&advice.personal_budget, "/personal_budget".into());
    for (i, a) in advice.areas.iter().enumerate() {
        check(&a.strengths, format!("/areas/{i}/strengths"));
        check(&a.needs, format!("/areas/{i}/needs"));
    }
    if let Some(v) = &advice.views {
        check(&v.views, "/views/views".into());
        check(&v.interests, "/views/interests".into());
        check(&v.aspirations, "/views/aspirations".into());
        check(&v.communication, "/views/communication".into());
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::super::form::*;
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn complete() -> AdviceContent {
        AdviceContent {
            will_provide: Some(WillProvideAdvice::YesKnownMeetsCriteria),
            details: None,
            areas: vec![AreaAdvice {
                area: AdviceArea::SocialCare,
                strengths: Some("Builds trust with familiar adults".into()),
                needs: Some("Finds new information and relationships hard after placement moves".into()),
                outcomes: vec![Outcome {
                    text: Some("To access and contribute to the local community".into()),
                    kind: Some(OutcomeKind::Education),
                    steps: vec![Step {
                        text: Some("Attend a weekly club".into()),
                        target_date: NaiveDate::from_ymd_opt(2027, 7, 1),
                    }],
                }],
                provisions: vec![Provision {
                    support_needed: Some("Short breaks".into()),
                    provided_by: Some("Short Break club".into()),
                    staff_student_ratio: Some("1:4".into()),
                    quantity: Some("4 hours".into()),
                    frequency: Some("weekly in school holidays".into()),
                }],
            }],
            pep: None,
            personal_budget: None,
            views: None,
        }
    }

    #[test]
    fn complete_advice_passes() {
        assert!(validate_for_submit(&complete(), &[AdviceArea::SocialCare], false, today()).is_empty());
    }

    #[test]
    fn the_coded_answer_is_required_and_no_other_needs_a_reason() {
        let empty = AdviceContent::default();
        let pointers: Vec<_> =
            validate_for_submit(&empty, &[AdviceArea::Health], false, today()).into_iter().map(|e| e.pointer).collect();
        assert_eq!(pointers, vec!["/will_provide"]);
        let no = AdviceContent { will_provide: Some(WillProvideAdvice::NoOther), ..Default::default() };
        let pointers: Vec<_> =
            validate_for_submit(&no, &[AdviceArea::Health], false, today()).into_iter().map(|e| e.pointer).collect();
        assert_eq!(pointers, vec!["/details"]);
        let no_known =
            AdviceContent { will_provide: Some(WillProvideAdvice::NoKnownNotMeetingCriteria), ..Default::default() };
        assert!(
            validate_for_submit(&no_known, &[AdviceArea::Health], false, today()).is_empty(),
            "a coded no needs no areas"
        );
    }

    #[test]
    fn every_failing_field_is_named() {
        let mut advice = complete();
        advice.areas[0].needs = Some("  ".into());
        advice.areas[0].outcomes[0].steps[0].target_date = Some(today());
        advice.areas[0].outcomes[0].kind = None;
        advice.areas[0].provisions[0].frequency = None;
        advice.areas[0].outcomes.push(Outcome {
            text: Some("x".into()),
            kind: Some(OutcomeKind::Training),
            steps: vec![],
        });
        let pointers: Vec<_> =
            validate_for_submit(&advice, &[AdviceArea::SocialCare, AdviceArea::Health], true, today())
                .into_iter()
                .map(|e| e.pointer)
                .collect();
        assert_eq!(
            pointers,
            vec![
                "/areas",
                "/areas/0/needs",
                "/areas/0/outcomes/0/kind",
                "/areas/0/outcomes/0/steps/0/target_date",
                "/areas/0/outcomes/1/steps",
                "/areas/0/provisions/0/frequency",
                "/pep",
            ]
        );
    }

    #[test]
    fn a_familys_views_need_their_own_words_not_the_professional_form() {
        let asked = [AdviceArea::ViewsInterestsAspirations];
        let pointers: Vec<_> = validate_for_submit(&AdviceContent::default(), &asked, false, today())
            .into_iter()
            .map(|e| e.pointer)
            .collect();
        assert_eq!(
            pointers,
            ["/views/views", "/views/interests", "/views/aspirations"],
            "will_provide is not asked of a family"
        );
        let views = FamilyViews {
            views: Some("I like school when it is quiet".into()),
            interests: Some("Trains".into()),
            aspirations: Some("To drive a train".into()),
            communication: None,
        };
        let given = AdviceContent { views: Some(views), ..Default::default() };
        assert!(validate_for_submit(&given, &asked, false, today()).is_empty());
    }
}
