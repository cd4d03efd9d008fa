//! Cases: opened by the assessment team for a request for assessment,
//! listed and read within the access model's scope, with their statutory
//! timeline.

use chrono::NaiveDate;
use ehc_domain::access::Action;
use ehc_domain::cases::{case_reference, check_date_of_birth, clean_name, ParticipantKind};
use ehc_domain::events::EventType;
use ehc_domain::field_error::FieldError;
use ehc_domain::statutory::{self, Stage};
use ehc_storage::casework::cases::{self, Case, CaseFilter, OverdueCandidates};
use ehc_storage::casework::participants::{self, Who};
use ehc_storage::casework::requests;
use ehc_storage::DbConn;

use crate::audit;
use crate::auth::{AuthUser, Caller};
use crate::error::ApiError;
use crate::state::AppState;
use crate::views::cases::{timeline_view, TimelineView};
use crate::workflow::access::{reaches, require, viewer, visible_case};

/// What an officer records when a request for assessment arrives.
pub struct NewCase {
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: NaiveDate,
    pub upn: Option<String>,
    pub nhs_number: Option<String>,
    pub uln: Option<String>,
    pub request_received_on: NaiveDate,
    pub request_source: ehc_domain::cases::RequestSource,
    pub looked_after: bool,
}

pub async fn open(state: &AppState, me: AuthUser, body: NewCase) -> Result<Case, ApiError> {
    require(&me, Action::OpenCase)?;
    let today = state.now().date();
    let mut errors = Vec::new();
    let given_name = clean_name("/given_name", &body.given_name).map_err(|e| errors.push(e)).unwrap_or_default();
    let family_name = clean_name("/family_name", &body.family_name).map_err(|e| errors.push(e)).unwrap_or_default();
    if body.date_of_birth > today {
        errors.push(FieldError::new("/date_of_birth", "in_future", "cannot be in the future"));
    } else if let Some(e) = check_date_of_birth(body.date_of_birth, body.request_received_on) {
        errors.push(e);
    }
    if body.request_received_on > today {
        errors.push(FieldError::new("/request_received_on", "in_future", "cannot be in the future"));
    }
    if let Some(n) = &body.nhs_number {
        if !n.chars().all(|c| c.is_ascii_digit()) {
            errors.push(FieldError::new("/nhs_number", "invalid", "must be 10 digits"));
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let id = uuid::Uuid::now_v7();
    let now = state.now();
    let case = Case {
        id: id.to_string(),
        local_authority_id: me.local_authority_id.clone(),
        reference: case_reference(&id),
        given_name,
        family_name,
        date_of_birth: body.date_of_birth,
        upn: body.upn,
        nhs_number: body.nhs_number,
        uln: body.uln,
        request_received_on: body.request_received_on,
        request_source: body.request_source,
        looked_after: body.looked_after,
        stage: Stage::RequestReceived,
        revision: 1,
        created_by: me.user_id.clone(),
        created_at: now,
    };
    let stored = case.clone();
    state
        .tx(move |conn| {
            cases::insert_case(conn, &stored)?;
            // The officer who opens a case is its caseworker: told what
            // happens on it. A partner system is no caseworker: it hears of
            // changes from the feed and its webhooks.
            if !me.is_client() {
                let officer = Who::User(&stored.created_by);
                participants::add_participant(
                    conn,
                    &stored.id,
                    officer,
                    ParticipantKind::Officer,
                    &stored.created_by,
                    now,
                )?;
            }
            crate::partners::events::record(conn, now, EventType::CaseCreated, &stored, None, None)?;
            audit::record(conn, &me, "case.create", Some(&stored.id), None)
        })
        .await?;
    Ok(case)
}

/// A page of the cases the caller sees (`limit + 1` rows: the extra one says
/// there is more). A stage no case can be at matches nothing.
/// The cases the caller may see after `after_id`, at most `limit + 1` (the
/// extra one says a page follows). `overdue` keeps the cases with a
/// statutory step past its limit and not done, as their timeline says: storage narrows
/// the candidates, the timeline decides, batch by batch until the page is
/// full.
pub async fn list(
    state: &AppState,
    me: AuthUser,
    stage: Option<Stage>,
    overdue: bool,
    after_id: Option<String>,
    limit: i64,
) -> Result<Vec<Case>, ApiError> {
    let today = state.now().date();
    let overdue = overdue
        .then(|| OverdueCandidates { today, received_by: statutory::clock_may_have_run_out_if_received_by(today) });
    let v = viewer(&me);
    state
        .tx(move |conn| {
            let mut filter = CaseFilter { stage, overdue, after_id, limit: limit + 1 };
            let mut rows = Vec::new();
            loop {
                let batch = cases::list_cases(conn, &v, &filter)?;
                let scanned = batch.len() as i64;
                filter.after_id = batch.last().map(|c| c.id.clone());
                for case in batch {
                    if overdue.is_none() || has_overdue_step(conn, &case, today)? {
                        rows.push(case);
                    }
                }
                if overdue.is_none() || rows.len() as i64 > limit || scanned < filter.limit {
                    break;
                }
            }
            rows.truncate(usize::try_from(limit + 1).unwrap_or(usize::MAX));
            let shown = rows.iter().take(usize::try_from(limit).unwrap_or(usize::MAX));
            audit::record_each(conn, &me, "case.list", shown.map(|c| c.id.as_str()))?;
            Ok(rows)
        })
        .await
}

fn has_overdue_step(conn: &mut DbConn, case: &Case, today: NaiveDate) -> Result<bool, ApiError> {
    let facts = crate::case_facts::load(conn, case)?;
    Ok(statutory::timeline(&facts, today).iter().any(|step| step.is_overdue()))
}

/// A busy read: the caller's session is confirmed in the same transaction.
pub async fn read(state: &AppState, caller: Caller, case_id: String) -> Result<Case, ApiError> {
    state
        .tx(move |conn| {
            let me = caller.confirm(conn)?;
            let case = visible_case(conn, &me, &case_id)?;
            audit::record(conn, &me, "case.read", Some(&case.id), None)?;
            Ok(case)
        })
        .await
}

pub async fn timeline(state: &AppState, me: AuthUser, case_id: String) -> Result<TimelineView, ApiError> {
    let today = state.now().date();
    state
        .tx(move |conn| {
            let case = visible_case(conn, &me, &case_id)?;
            audit::record(conn, &me, "timeline.read", Some(&case.id), None)?;
            let mut view = timeline_of(conn, case, today)?;
            // The steps of requests the caller does not reach are not theirs
            // to see (a team role reaches only its team's requests).
            let mut in_person = None;
            let mut kept = Vec::with_capacity(view.steps.len());
            for step in view.steps {
                let shown = match &step.advice_request_id {
                    Some(id) => {
                        let request = requests::request_by_id(conn, id)?;
                        reaches(conn, &me, &request, &mut in_person)?
                    }
                    None => true,
                };
                if shown {
                    kept.push(step);
                }
            }
            view.steps = kept;
            Ok(view)
        })
        .await
}

/// The case's statutory timeline as of `today`.
pub fn timeline_of(conn: &mut DbConn, case: Case, today: NaiveDate) -> Result<TimelineView, ApiError> {
    let facts = crate::case_facts::load(conn, &case)?;
    Ok(timeline_view(case, statutory::timeline(&facts, today)))
}
