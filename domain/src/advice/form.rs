use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The areas a request for advice may ask about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AdviceArea {
    SocialCare,
    Health,
    SenCommunicationAndInteraction,
    SenCognitionAndLearning,
    SenSensoryAndPhysical,
    SenSocialEmotionalMentalHealth,
    /// Section A: the views, interests and aspirations of the child and
    /// parent or the young person (reg 6(1)(a)), asked of the family.
    ViewsInterestsAspirations,
}

/// "Will you provide information & advice for this child/young person?"
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WillProvideAdvice {
    NoOther,
    NoNotKnownNotMeetingCriteria,
    NoKnownNotMeetingCriteria,
    YesAllocatedWorker,
    YesNotKnownMeetsCriteria,
    YesKnownMeetsCriteria,
}

impl WillProvideAdvice {
    pub fn is_yes(self) -> bool {
        matches!(self, Self::YesAllocatedWorker | Self::YesNotKnownMeetsCriteria | Self::YesKnownMeetsCriteria)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    Education,
    Training,
}

/// A short-term target towards an outcome.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub text: Option<String>,
    /// Date to be achieved by.
    pub target_date: Option<NaiveDate>,
}

/// A long-term, SMART outcome for the next key stage.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    pub text: Option<String>,
    pub kind: Option<OutcomeKind>,
    #[serde(default)]
    pub steps: Vec<Step>,
}

/// Provision must be specific and quantified: who, how much, how often.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Provision {
    pub support_needed: Option<String>,
    pub provided_by: Option<String>,
    pub staff_student_ratio: Option<String>,
    pub quantity: Option<String>,
    pub frequency: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AreaAdvice {
    pub area: AdviceArea,
    /// Strengths related to learning in this area.
    pub strengths: Option<String>,
    /// Special educational needs related to learning in this area.
    pub needs: Option<String>,
    #[serde(default)]
    pub outcomes: Vec<Outcome>,
    #[serde(default)]
    pub provisions: Vec<Provision>,
}

/// The family's own contribution (section A, seed 001), in their words.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FamilyViews {
    /// What matters to the child or young person now, and their views.
    pub views: Option<String>,
    /// Their interests, and what people like and admire about them.
    pub interests: Option<String>,
    /// Hopes and aspirations for the future (and for adulthood from Year 9).
    pub aspirations: Option<String>,
    /// How best to communicate with them and support them.
    pub communication: Option<String>,
}

/// The whole advice. Every field may be empty in a draft; submitting checks it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdviceContent {
    pub will_provide: Option<WillProvideAdvice>,
    pub details: Option<String>,
    #[serde(default)]
    pub areas: Vec<AreaAdvice>,
    /// For a looked-after child: the Personal Education Plan information.
    pub pep: Option<String>,
    pub personal_budget: Option<String>,
    /// Section A, when the family is asked for their views.
    pub views: Option<FamilyViews>,
}
