//! The EHC plan (SI 2014/1530 reg 12): its sections A to K, a draft made
//! from the published advice with each item keeping the advice version it
//! came from, the checks before a draft or final plan is issued, and the
//! family's time to make representations on a draft (reg 13(1)).

pub mod draft;
pub mod responses;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::advice::Step;
use crate::field_error::FieldError;
use crate::statutory::DecisionKind;

/// The advice version an item of the plan came from (section K lists them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub advice_request_id: uuid::Uuid,
    pub version: i32,
}

/// A statement in a section (A views, B/C/D needs, J the personal budget).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    pub text: Option<String>,
    pub source: Option<Source>,
}

/// Section E: an outcome and the steps towards it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanOutcome {
    pub text: Option<String>,
    #[serde(default)]
    pub steps: Vec<Step>,
    pub source: Option<Source>,
}

/// Sections F, G, H1 and H2: provision, specific and quantified (who, how
/// much, how often), as advice's provision must be.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanProvision {
    pub support_needed: Option<String>,
    pub provided_by: Option<String>,
    pub staff_student_ratio: Option<String>,
    pub quantity: Option<String>,
    pub frequency: Option<String>,
    pub source: Option<Source>,
}

/// Section I: the school or other institution named (final plan only).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Placement {
    pub institution: Option<String>,
    /// The type of institution (reg 12(1)(i)), e.g. "mainstream primary school".
    pub kind: Option<String>,
}

/// Section K: one piece of advice and information gathered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Gathered {
    pub advice_request_id: uuid::Uuid,
    pub version: i32,
    /// The adviser's field, as the request named it.
    pub specialism: crate::roles::Specialism,
}

/// The plan's sections, as reg 12(1) names them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanContent {
    /// A: the views, interests and aspirations of the child and parent, or the young person.
    #[serde(default)]
    pub a_views: Vec<Statement>,
    /// B: special educational needs.
    #[serde(default)]
    pub b_special_educational_needs: Vec<Statement>,
    /// C: health care needs related to the special educational needs.
    #[serde(default)]
    pub c_health_needs: Vec<Statement>,
    /// D: social care needs related to the special educational needs or disability.
    #[serde(default)]
    pub d_social_care_needs: Vec<Statement>,
    /// E: the outcomes sought, with the steps towards them.
    #[serde(default)]
    pub e_outcomes: Vec<PlanOutcome>,
    /// F: special educational provision.
    #[serde(default)]
    pub f_special_educational_provision: Vec<PlanProvision>,
    /// G: health care provision.
    #[serde(default)]
    pub g_health_provision: Vec<PlanProvision>,
    /// H1: social care provision under s.2 of the Chronically Sick and Disabled Persons Act 1970.
    #[serde(default)]
    pub h1_social_care_provision_csdpa: Vec<PlanProvision>,
    /// H2: other social care provision.
    #[serde(default)]
    pub h2_other_social_care_provision: Vec<PlanProvision>,
    /// I: the placement; named in the final plan only.
    pub i_placement: Option<Placement>,
    /// J: the personal budget, if any.
    pub j_personal_budget: Option<Statement>,
    /// K: the advice and information gathered during the assessment.
    #[serde(default)]
    pub k_advice: Vec<Gathered>,
}

/// Where a plan is in its making.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    /// Being written by the assessment team; nobody else reads it.
    Drafting,
    /// A draft was sent to the family for representations (reg 13(1)).
    DraftIssued,
    /// The final plan was issued (reg 13(2)).
    Final,
}

impl PlanStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Drafting => "drafting",
            Self::DraftIssued => "draft_issued",
            Self::Final => "final",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Drafting, Self::DraftIssued, Self::Final].into_iter().find(|s| s.code() == code)
    }

    /// What issuing at `stage` makes of the plan, and the case's decision it
    /// records; why not, otherwise (a conflict with the plan's state). A
    /// final plan is amended only while amendments are proposed (reg 22).
    pub fn after_issue(self, stage: IssueStage, amending: bool) -> Result<(PlanStatus, DecisionKind), &'static str> {
        match (stage, self) {
            (IssueStage::Draft, Self::Drafting) => Ok((Self::DraftIssued, DecisionKind::DraftPlanIssued)),
            (IssueStage::Draft, _) => Err("The draft has been issued already."),
            (IssueStage::Final, Self::DraftIssued) => Ok((Self::Final, DecisionKind::FinalPlanIssued)),
            (IssueStage::Final, Self::Drafting) => Err("Issue a draft first: the family has 15 days to respond."),
            (IssueStage::Final, Self::Final) => Err("The final plan has been issued already."),
            (IssueStage::Amended, Self::Final) if amending => Ok((Self::Final, DecisionKind::AmendedPlanIssued)),
            (IssueStage::Amended, _) => Err("Only an issued final plan with amendments proposed (reg 22) is amended."),
        }
    }

    /// Whether the working copy may be edited: until the final plan is
    /// issued, and again while amendments to it are proposed.
    pub fn editable(self, amending: bool) -> bool {
        self != Self::Final || amending
    }
}

crate::stored_as_text!(PlanStatus, code, parse);

/// Which stage an issue makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IssueStage {
    Draft,
    Final,
    /// The plan amended after a proposal (reg 22(3)): the case is amending.
    Amended,
}

impl IssueStage {
    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Final => "final",
            Self::Amended => "amended",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Draft, Self::Final, Self::Amended].into_iter().find(|s| s.code() == code)
    }
}

pub use crate::statutory::{draft_representations_end as representations_close, earliest_final_plan as earliest_final};

fn blank(text: &Option<String>) -> bool {
    text.as_deref().is_none_or(|t| t.trim().is_empty())
}

/// What must hold before the plan is issued at `stage`: every provision
/// says who provides it, how much and how often (the advice's own rule for
/// provision, reg 12(1)(f)-(h) "specified"); a final plan names the
/// placement (section I); a draft names none (the family may ask for one).
pub fn check_for_issue(content: &PlanContent, stage: IssueStage) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let sections = [
        ("f_special_educational_provision", &content.f_special_educational_provision),
        ("g_health_provision", &content.g_health_provision),
        ("h1_social_care_provision_csdpa", &content.h1_social_care_provision_csdpa),
        ("h2_other_social_care_provision", &content.h2_other_social_care_provision),
    ];
    for (section, provisions) in sections {
        for (i, p) in provisions.iter().enumerate() {
            for (field, value) in [
                ("support_needed", &p.support_needed),
                ("provided_by", &p.provided_by),
                ("quantity", &p.quantity),
                ("frequency", &p.frequency),
            ] {
                if blank(value) {
                    errors.push(FieldError::new(
                        format!("/{section}/{i}/{field}"),
                        "required",
                        "provision must say what, who, how much and how often",
                    ));
                }
            }
        }
    }
    if content.f_special_educational_provision.is_empty() {
        errors.push(FieldError::new(
            "/f_special_educational_provision",
            "required",
            "a plan specifies special educational provision",
        ));
    }
    let named = content.i_placement.as_ref().is_some_and(|p| !blank(&p.institution));
    match stage {
        IssueStage::Final | IssueStage::Amended if !named => {
            errors.push(FieldError::new("/i_placement/institution", "required", "the final plan names the placement"))
        }
        IssueStage::Draft if named => errors.push(FieldError::new(
            "/i_placement",
            "not_in_draft",
            "a draft plan names no school or institution (reg 13(1): the family may ask for one)",
        )),
        _ => {}
    }
    errors
}

#[cfg(test)]
mod tests;
