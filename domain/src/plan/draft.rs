//! A first draft of the plan from the published advice: the family's views
//! into A, needs by area into B, C or D, outcomes and steps into E, and
//! provision into F, G or H2 by the area it was advised for, each item
//! keeping the advice version it came from; K lists every version used.
//! The officer then edits freely (social care provision under s.2 CSDPA
//! 1970 is moved to H1 by them: advice does not say which it is).

use super::{Gathered, PlanContent, PlanOutcome, PlanProvision, Source, Statement};
use crate::advice::{AdviceArea, AdviceContent, Provision};
use crate::roles::Specialism;

/// One published advice version of the case.
pub struct PublishedAdvice<'a> {
    pub advice_request_id: uuid::Uuid,
    pub version: i32,
    pub specialism: Specialism,
    pub content: &'a AdviceContent,
}

fn statement(text: &Option<String>, source: &Source) -> Option<Statement> {
    let text = text.as_deref().map(str::trim).filter(|t| !t.is_empty())?;
    Some(Statement { text: Some(text.to_owned()), source: Some(source.clone()) })
}

fn provision(p: &Provision, source: &Source) -> PlanProvision {
    PlanProvision {
        support_needed: p.support_needed.clone(),
        provided_by: p.provided_by.clone(),
        staff_student_ratio: p.staff_student_ratio.clone(),
        quantity: p.quantity.clone(),
        frequency: p.frequency.clone(),
        source: Some(source.clone()),
    }
}

pub fn from_advice(advice: &[PublishedAdvice<'_>]) -> PlanContent {
    let mut plan = PlanContent::default();
    for published in advice {
        let source = Source { advice_request_id: published.advice_request_id, version: published.version };
        let content = published.content;
        if let Some(views) = &content.views {
            for text in [&views.views, &views.interests, &views.aspirations, &views.communication] {
                plan.a_views.extend(statement(text, &source));
            }
        }
        for area in &content.areas {
            let (needs, provisions) = match area.area {
                AdviceArea::Health => (&mut plan.c_health_needs, &mut plan.g_health_provision),
                AdviceArea::SocialCare => (&mut plan.d_social_care_needs, &mut plan.h2_other_social_care_provision),
                AdviceArea::ViewsInterestsAspirations => (&mut plan.a_views, &mut plan.f_special_educational_provision),
                _ => (&mut plan.b_special_educational_needs, &mut plan.f_special_educational_provision),
            };
            needs.extend(statement(&area.needs, &source));
            provisions.extend(area.provisions.iter().map(|p| provision(p, &source)));
            plan.e_outcomes.extend(area.outcomes.iter().map(|o| PlanOutcome {
                text: o.text.clone(),
                steps: o.steps.clone(),
                source: Some(source.clone()),
            }));
        }
        if plan.j_personal_budget.is_none() {
            plan.j_personal_budget = statement(&content.personal_budget, &source);
        }
        plan.k_advice.push(Gathered {
            advice_request_id: published.advice_request_id,
            version: published.version,
            specialism: published.specialism,
        });
    }
    plan
}
