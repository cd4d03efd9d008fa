//! Cases, their participants, decisions and statutory timeline as the API
//! shows them.

use chrono::{DateTime, NaiveDate, Utc};
use ehc_domain::cases::{ParticipantKind, RequestSource};
use ehc_domain::statutory::{DecisionKind, Exception, Stage, Step, StepKind, StepStatus};
use ehc_storage::casework::cases::Case;
use ehc_storage::casework::decisions::CaseDecision;
use ehc_storage::casework::participants::Participant;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct ChildView {
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: NaiveDate,
    pub upn: Option<String>,
    pub nhs_number: Option<String>,
    pub uln: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseView {
    #[schema(format = Uuid)]
    pub id: String,
    /// Used in messages instead of any personal detail.
    #[schema(example = "R-7K2M9QXB")]
    pub reference: String,
    pub child: ChildView,
    pub request_received_on: NaiveDate,
    pub request_source: RequestSource,
    pub looked_after: bool,
    pub stage: Stage,
    pub created_at: DateTime<Utc>,
}

impl From<Case> for CaseView {
    fn from(c: Case) -> Self {
        CaseView {
            id: c.id,
            reference: c.reference,
            child: ChildView {
                given_name: c.given_name,
                family_name: c.family_name,
                date_of_birth: c.date_of_birth,
                upn: c.upn,
                nhs_number: c.nhs_number,
                uln: c.uln,
            },
            request_received_on: c.request_received_on,
            request_source: c.request_source,
            looked_after: c.looked_after,
            stage: c.stage,
            created_at: c.created_at.and_utc(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipantView {
    #[schema(format = Uuid)]
    pub id: String,
    pub kind: ParticipantKind,
    #[schema(format = Uuid)]
    pub user_id: Option<String>,
    #[schema(format = Uuid)]
    pub team_id: Option<String>,
    pub name: Option<String>,
    /// Invited, not yet registered.
    pub pending: bool,
    pub added_at: DateTime<Utc>,
    /// Never changes while the participant is on the case: `If-Match` on removing them.
    pub etag: String,
}

/// The ETag of a record that never changes once made (a participant, a
/// decision): a digest of its id, so it names that record and no other.
pub fn fixed_etag(prefix: char, id: &str) -> String {
    use sha2::{Digest, Sha256};
    format!("\"{prefix}{}\"", &hex::encode(Sha256::digest(id.as_bytes()))[..20])
}

pub fn participant_view((p, user_name, team_name): (Participant, Option<String>, Option<String>)) -> ParticipantView {
    ParticipantView {
        etag: fixed_etag('p', &p.id),
        pending: p.pending_email.is_some(),
        name: user_name.or(team_name),
        id: p.id,
        kind: p.kind,
        user_id: p.user_id,
        team_id: p.team_id,
        added_at: p.added_at.and_utc(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionView {
    #[schema(format = Uuid)]
    pub id: String,
    pub kind: DecisionKind,
    #[schema(value_type = Option<ehc_domain::statutory::DecisionOutcome>)]
    pub outcome: Option<String>,
    pub decided_on: NaiveDate,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
    /// The case's stage after this decision.
    pub stage: Option<Stage>,
    /// A decision never changes (the next one follows it).
    pub etag: String,
}

/// A case's `ETag`: its revision of details.
pub fn case_etag(revision: i32) -> String {
    format!("\"c{revision}\"")
}

/// The revision an `If-Match` names, if it names one.
pub fn case_revision_from(tag: &str) -> Option<i32> {
    tag.trim().trim_start_matches("W/").trim_matches('"').strip_prefix('c')?.parse().ok()
}

pub fn decision_view(d: CaseDecision, stage: Option<Stage>) -> DecisionView {
    DecisionView {
        etag: fixed_etag('d', &d.id),
        id: d.id,
        kind: d.kind,
        outcome: d.outcome,
        decided_on: d.decided_on,
        recorded_by: d.recorded_by,
        recorded_at: d.recorded_at.and_utc(),
        stage,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StepView {
    pub step: StepKind,
    /// The regulation and its limit, e.g. `reg 10(1): 16 weeks`.
    pub rule: String,
    #[schema(format = Uuid)]
    pub advice_request_id: Option<String>,
    pub due_on: NaiveDate,
    pub done_on: Option<NaiveDate>,
    /// `at_risk`: due within 7 days.
    pub status: StepStatus,
    /// The regulation and recorded reason, when excepted.
    pub exception: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineView {
    #[schema(format = Uuid)]
    pub case_id: String,
    pub stage: Stage,
    pub steps: Vec<StepView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExceptionView {
    #[schema(format = Uuid)]
    pub id: String,
    pub exception: Exception,
    pub regulation: String,
    #[schema(format = Uuid)]
    pub advice_request_id: Option<String>,
    pub reason: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

/// The timeline view of a case's statutory steps.
pub fn timeline_view(case: Case, steps: Vec<Step>) -> TimelineView {
    let steps = steps
        .into_iter()
        .map(|s| StepView {
            step: s.step,
            rule: s.rule.to_owned(),
            advice_request_id: s.advice_request_id,
            due_on: s.due_on,
            done_on: s.done_on,
            status: s.status,
            exception: s.exception,
        })
        .collect();
    TimelineView { case_id: case.id, stage: case.stage, steps }
}
