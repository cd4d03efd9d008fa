//! The family's representations on an issued draft or proposed amendments,
//! with the school or college they ask to be named (reg 13(1)(a), reg
//! 22(2)), and the assessment team's consultation of that institution
//! (s.39(2) CFA 2014) and its answer. Everything audited.

use chrono::NaiveDate;
use ehc_domain::access::Action;
use ehc_domain::messages::CaseEvent;
use ehc_domain::plan::responses::{takes_representations, ConsultationResponse};
use ehc_domain::statutory::{amendment_comments_end, draft_representations_end, DecisionKind, Stage};
use ehc_storage::casework::plan_responses::{self as store, Consultation, Representation};
use ehc_storage::casework::{decisions, plans};

use crate::audit;
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::state::AppState;
use crate::workflow::access::{require, visible_case};
use crate::workflow::case_events;

/// Nobody but the assessment team knows of a plan before its draft is
/// issued (as reading it answers).
fn hidden_until_issued(me: &AuthUser, plan: &plans::Plan) -> Result<(), ApiError> {
    if plan.status == ehc_domain::plan::PlanStatus::Drafting && require(me, Action::WritePlan).is_err() {
        return Err(ApiError::NotFound);
    }
    Ok(())
}

pub struct NewRepresentation {
    pub body: String,
    pub requested_institution: Option<String>,
}

/// Records the family's representations made today, and tells the officers
/// on the case. Refused (409) unless the draft is with the family or
/// amendments are proposed.
pub async fn make(
    state: &AppState,
    me: AuthUser,
    plan_id: String,
    new: NewRepresentation,
) -> Result<Representation, ApiError> {
    let st = state.clone();
    let now = state.now();
    state
        .tx(move |conn| {
            let plan = plans::by_id(conn, &plan_id)?;
            let case = visible_case(conn, &me, &plan.case_id)?;
            hidden_until_issued(&me, &plan)?;
            require(&me, Action::MakeRepresentations)?;
            if new.body.trim().is_empty() {
                return Err(ApiError::validation("/body", "required", "say what you think of the plan"));
            }
            let amending = case.stage == Stage::Amending;
            if !takes_representations(plan.status, amending) {
                return Err(ApiError::Conflict(
                    "The plan takes representations while its draft, or a proposed amendment, is with the family."
                        .to_owned(),
                ));
            }
            // The period the family was given: 15 days, counting the day the
            // draft (or the proposed amendment) was sent.
            let period_end = if amending {
                decisions::last_decided_on(conn, &case.id, DecisionKind::AmendmentProposed)?.map(amendment_comments_end)
            } else {
                plan.draft_issued_on.map(draft_representations_end)
            };
            let today = now.date();
            let requested = new.requested_institution.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
            let r = Representation {
                id: ehc_storage::new_id(),
                plan_id: plan.id.clone(),
                author_id: me.user_id.clone(),
                made_on: today,
                within_period: period_end.is_none_or(|end| today <= end),
                body: new.body.trim().to_owned(),
                requested_institution: requested,
                created_at: now,
            };
            store::add_representation(conn, &r)?;
            let officers = case_events::officers_of(conn, &case)?;
            case_events::notify(conn, &st, &case, CaseEvent::RepresentationsMade, officers, &me.user_id)?;
            audit::record(conn, &me, "plan.representations", Some(&case.id), Some(&r.id))?;
            Ok(r)
        })
        .await
}

/// The plan's representations: all of them for the assessment team, their
/// own for the family; nobody else's business (403).
pub async fn list(state: &AppState, me: AuthUser, plan_id: String) -> Result<Vec<Representation>, ApiError> {
    state
        .tx(move |conn| {
            let plan = plans::by_id(conn, &plan_id)?;
            let case = visible_case(conn, &me, &plan.case_id)?;
            hidden_until_issued(&me, &plan)?;
            let author = if require(&me, Action::WritePlan).is_ok() {
                None
            } else {
                require(&me, Action::MakeRepresentations)?;
                Some(me.user_id.clone())
            };
            let rows = store::representations(conn, &plan.id, author.as_deref())?;
            audit::record(conn, &me, "plan.representations.list", Some(&case.id), Some(&plan.id))?;
            Ok(rows)
        })
        .await
}

pub struct NewConsultation {
    pub institution: String,
    pub consulted_on: NaiveDate,
}

/// Records that the institution was consulted on naming it (s.39(2)).
pub async fn consult(
    state: &AppState,
    me: AuthUser,
    plan_id: String,
    new: NewConsultation,
) -> Result<Consultation, ApiError> {
    let now = state.now();
    state
        .tx(move |conn| {
            let plan = plans::by_id(conn, &plan_id)?;
            let case = visible_case(conn, &me, &plan.case_id)?;
            require(&me, Action::WritePlan)?;
            let mut errors =
                crate::workflow::decisions::date_errors("/consulted_on", new.consulted_on, &case, now.date());
            if new.institution.trim().is_empty() {
                errors.push(ehc_domain::field_error::FieldError::new(
                    "/institution",
                    "required",
                    "name the institution",
                ));
            }
            if !errors.is_empty() {
                return Err(ApiError::Validation(errors));
            }
            let c = Consultation {
                id: ehc_storage::new_id(),
                plan_id: plan.id.clone(),
                institution: new.institution.trim().to_owned(),
                consulted_on: new.consulted_on,
                response: ConsultationResponse::Awaited,
                responded_on: None,
                notes: None,
                recorded_by: me.user_id.clone(),
                recorded_at: now,
            };
            store::add_consultation(conn, c.clone())?;
            audit::record(conn, &me, "plan.consultation", Some(&case.id), Some(&c.id))?;
            Ok(c)
        })
        .await
}

/// Records the institution's answer to a consultation.
pub async fn answer(
    state: &AppState,
    me: AuthUser,
    plan_id: String,
    consultation_id: String,
    (response, responded_on, notes): (ConsultationResponse, Option<NaiveDate>, Option<String>),
) -> Result<Consultation, ApiError> {
    let today = state.now().date();
    state
        .tx(move |conn| {
            let plan = plans::by_id(conn, &plan_id)?;
            let case = visible_case(conn, &me, &plan.case_id)?;
            require(&me, Action::WritePlan)?;
            let found = store::consultation(conn, &consultation_id)?;
            if found.plan_id != plan.id {
                return Err(ApiError::NotFound);
            }
            let refusal = match responded_on {
                Some(on) if on > today => Some(("in_future", "cannot be in the future")),
                Some(on) if on < found.consulted_on => Some(("before_consulted", "cannot be before consulted_on")),
                None if response != ConsultationResponse::Awaited => Some(("required", "give the day it answered")),
                _ => None,
            };
            if let Some((code, message)) = refusal {
                return Err(ApiError::validation("/responded_on", code, message));
            }
            let notes = notes.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
            store::answer_consultation(conn, &found.id, response, responded_on, notes.as_deref())?;
            audit::record(conn, &me, "plan.consultation.answer", Some(&case.id), Some(&found.id))?;
            Ok(store::consultation(conn, &found.id)?)
        })
        .await
}

/// The consultations on the plan, for the assessment team.
pub async fn consultations(state: &AppState, me: AuthUser, plan_id: String) -> Result<Vec<Consultation>, ApiError> {
    state
        .tx(move |conn| {
            let plan = plans::by_id(conn, &plan_id)?;
            let case = visible_case(conn, &me, &plan.case_id)?;
            require(&me, Action::WritePlan)?;
            let rows = store::consultations(conn, &plan.id)?;
            audit::record(conn, &me, "plan.consultation.list", Some(&case.id), Some(&plan.id))?;
            Ok(rows)
        })
        .await
}
