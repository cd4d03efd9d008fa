//! The EHC plan: started by the assessment team from the published advice,
//! edited freely (ETag/If-Match), issued as a draft for the family's
//! representations (reg 13(1)) and then as the final plan (reg 13(2)), each
//! issued version kept unchanged. Issuing records the case's decision, so
//! the timeline and reports follow. The family and everyone on the case
//! read issued versions; the working copy is the assessment team's.

use chrono::NaiveDate;
use ehc_domain::access::Action;
use ehc_domain::advice::AdviceContent;
use ehc_domain::events::EventType;
use ehc_domain::plan::draft::{from_advice, PublishedAdvice};
use ehc_domain::plan::{check_for_issue, earliest_final, IssueStage, PlanContent, PlanStatus};
use ehc_domain::statutory::Stage;
use ehc_storage::casework::advice as advice_store;
use ehc_storage::casework::cases::Case;
use ehc_storage::casework::plans::{self as store, Plan, PlanVersion};
use ehc_storage::casework::requests;
use ehc_storage::DbConn;

use crate::audit;
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::partners::events;
use crate::state::AppState;
use crate::workflow::access::{require, visible_case};

/// What a caller reads of a plan: the working copy (the assessment team),
/// or the latest issued version (everyone else on the case).
pub struct Shown {
    pub plan: Plan,
    pub content: PlanContent,
    /// The issued version shown, when it is not the working copy.
    pub version: Option<i32>,
    pub versions: Vec<PlanVersion>,
}

fn content_of(stored: &str) -> Result<PlanContent, ApiError> {
    serde_json::from_str(stored).map_err(ApiError::internal)
}

/// The plan and its case, if the caller may see the case (404 otherwise).
fn visible_plan(conn: &mut DbConn, me: &AuthUser, plan_id: &str) -> Result<(Plan, Case), ApiError> {
    let plan = store::by_id(conn, plan_id)?;
    let case = visible_case(conn, me, &plan.case_id)?;
    Ok((plan, case))
}

fn shown(conn: &mut DbConn, me: &AuthUser, plan: Plan) -> Result<Shown, ApiError> {
    let versions = store::versions(conn, &plan.id)?;
    if require(me, Action::WritePlan).is_ok() {
        let content = content_of(&plan.content)?;
        return Ok(Shown { plan, content, version: None, versions });
    }
    // Nobody but the assessment team reads a plan before it is issued.
    let latest = versions.last().ok_or(ApiError::NotFound)?;
    let (content, version) = (content_of(&latest.content)?, Some(latest.version));
    Ok(Shown { plan, content, version, versions })
}

/// The newest published version of each request's advice on the case.
fn published_advice(
    conn: &mut DbConn,
    case_id: &str,
) -> Result<Vec<(String, i32, ehc_domain::roles::Specialism, AdviceContent)>, ApiError> {
    let mut found = Vec::new();
    for row in requests::requests_of_case(conn, case_id)? {
        let Some(latest) = advice_store::versions(conn, &row.request.id, true)?.pop() else { continue };
        let content: AdviceContent = serde_json::from_str(&latest.content).map_err(ApiError::internal)?;
        found.push((row.request.id.clone(), latest.version, row.request.specialism, content));
    }
    Ok(found)
}

pub async fn start(state: &AppState, me: AuthUser, case_id: String) -> Result<Shown, ApiError> {
    let now = state.now();
    state
        .tx(move |conn| {
            let case = visible_case(conn, &me, &case_id)?;
            require(&me, Action::WritePlan)?;
            if store::of_case(conn, &case.id)?.is_some() {
                return Err(ApiError::Conflict("The case has a plan already: edit it.".to_owned()));
            }
            let advice = published_advice(conn, &case.id)?;
            let published: Vec<PublishedAdvice<'_>> = advice
                .iter()
                .filter_map(|(id, version, specialism, content)| {
                    Some((uuid::Uuid::parse_str(id).ok()?, version, specialism, content))
                })
                .map(|(id, version, specialism, content)| PublishedAdvice {
                    advice_request_id: id,
                    version: *version,
                    specialism: *specialism,
                    content,
                })
                .collect();
            let draft = from_advice(&published);
            let plan = Plan {
                id: ehc_storage::new_id(),
                case_id: case.id.clone(),
                status: PlanStatus::Drafting,
                revision: 1,
                content: serde_json::to_string(&draft).map_err(ApiError::internal)?,
                draft_issued_on: None,
                final_issued_on: None,
                created_by: me.user_id.clone(),
                created_at: now,
                updated_by: me.user_id.clone(),
                updated_at: now,
            };
            store::insert(conn, plan.clone())?;
            audit::record(conn, &me, "plan.start", Some(&case.id), Some(&plan.id))?;
            shown(conn, &me, plan)
        })
        .await
}

pub async fn show(state: &AppState, me: AuthUser, plan_id: String) -> Result<Shown, ApiError> {
    state
        .tx(move |conn| {
            let (plan, case) = visible_plan(conn, &me, &plan_id)?;
            let shown = shown(conn, &me, plan)?;
            audit::record(conn, &me, "plan.read", Some(&case.id), Some(&shown.plan.id))?;
            Ok(shown)
        })
        .await
}

/// Saves the working copy over `read_revision` (412 if it moved on). A
/// final plan changes only through a review and amendment.
pub async fn edit(
    state: &AppState,
    me: AuthUser,
    plan_id: String,
    read_revision: Option<i32>,
    content: PlanContent,
) -> Result<Shown, ApiError> {
    let now = state.now();
    state
        .tx(move |conn| {
            let (plan, case) = visible_plan(conn, &me, &plan_id)?;
            require(&me, Action::WritePlan)?;
            if read_revision != Some(plan.revision) {
                return Err(ApiError::PreconditionFailed("The plan changed since you read it: read it again."));
            }
            if !plan.status.editable(case.stage == Stage::Amending) {
                return Err(ApiError::Conflict(
                    "The final plan is issued: it changes once amendments are proposed (reg 22).".into(),
                ));
            }
            let stored = serde_json::to_string(&content).map_err(ApiError::internal)?;
            if !store::save(conn, &plan.id, plan.revision, &stored, &me.user_id, now)? {
                return Err(ApiError::PreconditionFailed("The plan changed since you read it: read it again."));
            }
            audit::record(conn, &me, "plan.edit", Some(&case.id), Some(&plan.id))?;
            let plan = store::by_id(conn, &plan.id)?;
            shown(conn, &me, plan)
        })
        .await
}

/// Issues the working copy as a draft (for the family's representations)
/// or as the final plan, dated `issued_on`, recording the case's decision.
pub async fn issue(
    state: &AppState,
    me: AuthUser,
    plan_id: String,
    stage: IssueStage,
    issued_on: NaiveDate,
) -> Result<Shown, ApiError> {
    let now = state.now();
    let st = state.clone();
    state
        .tx(move |conn| {
            let (plan, case) = visible_plan(conn, &me, &plan_id)?;
            require(&me, Action::WritePlan)?;
            let content = content_of(&plan.content)?;
            let amending = case.stage == Stage::Amending;
            let (next, kind) =
                plan.status.after_issue(stage, amending).map_err(|why| ApiError::Conflict(why.into()))?;
            let mut errors = check_for_issue(&content, stage);
            errors.extend(crate::workflow::decisions::date_errors("/issued_on", issued_on, &case, now.date()));
            if let (IssueStage::Final, Some(served)) = (stage, plan.draft_issued_on) {
                if issued_on < earliest_final(served) {
                    errors.push(ehc_domain::field_error::FieldError::new(
                        "/issued_on",
                        "representations_open",
                        format!(
                            "the family has until {} to make representations (reg 13(1)(a)): issue from {}",
                            ehc_domain::plan::representations_close(served),
                            earliest_final(served)
                        ),
                    ));
                }
            }
            if !errors.is_empty() {
                return Err(ApiError::Validation(errors));
            }
            crate::workflow::decisions::record_in(conn, &st, &me, &case, kind, None, issued_on)?;
            let number = i32::try_from(store::versions(conn, &plan.id)?.len()).unwrap_or(i32::MAX - 1) + 1;
            let version = PlanVersion {
                plan_id: plan.id.clone(),
                version: number,
                stage: stage.code().to_owned(),
                content: plan.content.clone(),
                issued_on,
                issued_by: me.user_id.clone(),
                issued_at: now,
            };
            if !store::issue(conn, &plan, next, version)? {
                return Err(ApiError::Conflict("The plan changed while it was issued: read it again.".into()));
            }
            events::record(conn, now, EventType::PlanIssued, &case, None, Some(&plan.id))?;
            audit::record(conn, &me, "plan.issue", Some(&case.id), Some(&plan.id))?;
            let plan = store::by_id(conn, &plan.id)?;
            shown(conn, &me, plan)
        })
        .await
}

/// One issued version (or, for the assessment team, the working copy when
/// `version` is absent), with its case, for the readable document.
pub async fn for_document(
    state: &AppState,
    me: AuthUser,
    plan_id: String,
    version: Option<i32>,
) -> Result<(Case, PlanContent, Option<PlanVersion>), ApiError> {
    state
        .tx(move |conn| {
            let (plan, case) = visible_plan(conn, &me, &plan_id)?;
            let versions = store::versions(conn, &plan.id)?;
            let chosen = match version {
                Some(n) => Some(versions.into_iter().find(|v| v.version == n).ok_or(ApiError::NotFound)?),
                None if require(&me, Action::WritePlan).is_ok() => None,
                None => Some(versions.into_iter().last().ok_or(ApiError::NotFound)?),
            };
            let content = match &chosen {
                Some(v) => content_of(&v.content)?,
                None => content_of(&plan.content)?,
            };
            audit::record(conn, &me, "plan.document", Some(&case.id), Some(&plan.id))?;
            Ok((case, content, chosen))
        })
        .await
}

/// Records the transfer between phases of education ahead (reg 18): the
/// timeline then shows the review and amendment it needs, and its deadline.
pub async fn set_phase_transfer(
    state: &AppState,
    me: AuthUser,
    case_id: String,
    kind: ehc_domain::statutory::PhaseTransfer,
    transfer_on: NaiveDate,
) -> Result<NaiveDate, ApiError> {
    let now = state.now();
    state
        .tx(move |conn| {
            let case = visible_case(conn, &me, &case_id)?;
            require(&me, Action::WritePlan)?;
            let (earliest, latest) =
                (now.date() - chrono::Duration::days(366), now.date() + chrono::Duration::days(6 * 366));
            if transfer_on < earliest || transfer_on > latest {
                return Err(ApiError::validation(
                    "/transfer_on",
                    "out_of_range",
                    "must be within the past year or the next six years",
                ));
            }
            store::set_phase_transfer(conn, &case.id, kind, transfer_on, &me.user_id, now)?;
            audit::record(conn, &me, "phase_transfer.set", Some(&case.id), None)?;
            Ok(ehc_domain::statutory::phase_transfer_due(kind, transfer_on))
        })
        .await
}
