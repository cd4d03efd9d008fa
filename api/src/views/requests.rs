//! Requests for advice as the request table shows them (seed 002).

use chrono::{DateTime, NaiveDate, Utc};
use ehc_domain::access::AskedOfYou;
use ehc_domain::advice::{AdviceArea, AdviceStatus, RequestStatus};
use ehc_domain::alerts::AlertKind;
use ehc_domain::roles::Specialism;
use ehc_storage::casework::alerts::RequestAlert;
use ehc_storage::casework::requests::{AdviceRequest, RequestRow};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

/// A row of the request table a professional sees for a case (seed 002).
#[derive(Debug, Serialize, ToSchema)]
pub struct AdviceRequestView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub case_id: String,
    /// Who it is addressed to: a person or a team inbox.
    pub team_member: Option<String>,
    pub team: Option<String>,
    pub assignee: Option<String>,
    pub job_title: Option<String>,
    pub specialism: Specialism,
    pub areas: Vec<AdviceArea>,
    pub cc: Vec<String>,
    pub notes: Option<String>,
    pub requested_on: NaiveDate,
    pub due_on: NaiveDate,
    pub completed_on: Option<NaiveDate>,
    pub status: RequestStatus,
    pub advice_status: Option<AdviceStatus>,
    pub requires_endorsement: bool,
    /// The row is addressed to you or to a team you belong to.
    pub addressed_to_me: bool,
    pub created_at: DateTime<Utc>,
    /// Reminders and escalations raised on this request, oldest first.
    pub alerts: Vec<AlertView>,
    /// The request's version: send it as `If-Match` when assigning or
    /// withdrawing, so a change made meanwhile is not overwritten (412).
    pub etag: String,
}

/// The request's ETag: a digest of what assigning and withdrawing change
/// (status, addressee, assignee, due date), so it moves whenever they do.
pub fn request_etag(r: &AdviceRequest) -> String {
    let state = format!(
        "{}|{}|{}|{}|{}",
        r.status,
        r.addressee_user_id.as_deref().unwrap_or_default(),
        r.addressee_team_id.as_deref().unwrap_or_default(),
        r.assignee_user_id.as_deref().unwrap_or_default(),
        r.due_on
    );
    format!("\"q{}\"", &hex::encode(Sha256::digest(state.as_bytes()))[..20])
}

/// Whether `If-Match` (when sent) names the request as it is now.
pub fn if_match_holds(r: &AdviceRequest, if_match: Option<&str>) -> bool {
    super::if_match_holds(if_match, &request_etag(r))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AlertView {
    pub kind: AlertKind,
    pub raised_on: NaiveDate,
    /// How many people were told.
    pub recipients: i32,
}

/// The view of a row for `me` (a member of `my_teams`), with its alerts;
/// raised on one day, they read in the order of the escalation ladder.
pub fn request_view(row: RequestRow, my_teams: &[String], me: &str, alerts: &[RequestAlert]) -> AdviceRequestView {
    let r = row.request;
    let etag = request_etag(&r);
    let addressed_to_me = r.addressee_user_id.as_deref() == Some(me)
        || r.assignee_user_id.as_deref() == Some(me)
        || r.addressee_team_id.as_ref().is_some_and(|t| my_teams.contains(t));
    let mut alerts: Vec<AlertView> = alerts
        .iter()
        .filter(|a| a.request_id == r.id)
        .map(|a| AlertView { kind: a.kind, raised_on: a.raised_on, recipients: a.recipients })
        .collect();
    alerts.sort_by_key(|a| (a.raised_on, a.kind));
    AdviceRequestView {
        etag,
        areas: r.areas(),
        cc: r.cc(),
        id: r.id,
        case_id: r.case_id,
        team_member: row.addressee_name,
        team: row.team_name,
        assignee: row.assignee_name,
        job_title: row.addressee_job_title,
        specialism: r.specialism,
        notes: r.notes,
        requested_on: r.requested_on,
        due_on: r.due_on,
        completed_on: r.completed_on,
        status: r.status,
        advice_status: row.advice_status,
        requires_endorsement: r.requires_endorsement,
        addressed_to_me,
        created_at: r.created_at.and_utc(),
        alerts,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MyAction {
    #[schema(format = Uuid)]
    pub request_id: String,
    #[schema(format = Uuid)]
    pub case_id: String,
    /// The case reference (no personal data).
    pub case_reference: String,
    /// The council whose case it is: switch to it (`PUT /api/v1/me/council`)
    /// before opening the case.
    pub local_authority: crate::views::identity::NamedRef,
    pub specialism: Specialism,
    pub areas: Vec<AdviceArea>,
    pub requested_on: NaiveDate,
    pub due_on: NaiveDate,
    pub overdue: bool,
    pub advice_status: Option<AdviceStatus>,
    /// What is asked of you: only what you may do.
    pub action: AskedOfYou,
}
