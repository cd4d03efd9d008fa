//! The review meeting arranged ahead (reg 20(1)-(4)): its notice to those on
//! the case and the circulation of the review's advice; and ceasing a plan
//! (s.45, regs 29-31) with its reason and the notice of the right to appeal.

use chrono::NaiveDate;
use ehc_domain::access::Action;
use ehc_domain::messages::CaseEvent;
use ehc_domain::retention::retained_until;
use ehc_domain::statutory::{
    appeal_deadline, check_cease, review_advice_by, review_notice_by, ArrangedMeeting, CeaseFact, CeaseReason,
    DecisionKind,
};
use ehc_storage::casework::cases::Case;
use ehc_storage::casework::review_cycle::{self as store, Ceasing};

use crate::audit;
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::state::AppState;
use crate::workflow::access::{require, visible_case};
use crate::workflow::{case_events, decisions};

/// An arranged meeting with the days its notice and circulation are due.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ReviewMeetingView {
    pub meeting_on: NaiveDate,
    /// The day the hub sent the notice to those on the case.
    pub notice_given_on: NaiveDate,
    /// Reg 20(3): notice at least two weeks before.
    pub notice_due_by: NaiveDate,
    /// Reg 20(4): the advice and information circulated by this day.
    pub circulate_by: NaiveDate,
    pub circulated_on: Option<NaiveDate>,
}

fn view(m: ArrangedMeeting) -> ReviewMeetingView {
    ReviewMeetingView {
        meeting_on: m.meeting_on,
        notice_given_on: m.notice_given_on,
        notice_due_by: review_notice_by(m.meeting_on),
        circulate_by: review_advice_by(m.meeting_on),
        circulated_on: m.circulated_on,
    }
}

fn plan_in_force(case: &Case) -> Result<(), ApiError> {
    if case.stage.plan_maintained() {
        Ok(())
    } else {
        Err(ApiError::Conflict(format!("The case has no plan in force (stage {}).", case.stage.as_str())))
    }
}

/// Arranges the next review meeting and gives everyone on the case notice
/// of it today. A meeting moved is arranged again; its advice, if already
/// circulated, is kept as circulated.
pub async fn arrange_meeting(
    state: &AppState,
    me: AuthUser,
    case_id: String,
    meeting_on: NaiveDate,
) -> Result<ReviewMeetingView, ApiError> {
    let st = state.clone();
    let today = state.now().date();
    state
        .tx(move |conn| {
            let case = visible_case(conn, &me, &case_id)?;
            require(&me, Action::RecordDecision)?;
            plan_in_force(&case)?;
            if meeting_on < today || meeting_on > today + chrono::Duration::days(400) {
                return Err(ApiError::validation(
                    "/meeting_on",
                    "out_of_range",
                    "must be from today to about 13 months ahead (a review is due within 12 months, s.44)",
                ));
            }
            let earlier = store::meeting_of(conn, &case.id)?.filter(|m| m.meeting_on >= today);
            let meeting = ArrangedMeeting {
                meeting_on,
                notice_given_on: today,
                circulated_on: earlier.and_then(|m| m.circulated_on),
            };
            store::arrange_meeting(conn, &case.id, meeting, &me.user_id, st.now())?;
            let everyone = case_events::participants_of(conn, &case)?;
            case_events::notify(conn, &st, &case, CaseEvent::ReviewMeetingArranged(meeting_on), everyone, &me.user_id)?;
            audit::record(conn, &me, "review_meeting.arrange", Some(&case.id), None)?;
            Ok(view(meeting))
        })
        .await
}

/// Records the review's advice and information circulated today (reg
/// 20(4)) and tells everyone on the case it is there to read. Circulating
/// again (more advice came in) tells them again; the step keeps the first day.
pub async fn circulate(state: &AppState, me: AuthUser, case_id: String) -> Result<ReviewMeetingView, ApiError> {
    let st = state.clone();
    let today = state.now().date();
    state
        .tx(move |conn| {
            let case = visible_case(conn, &me, &case_id)?;
            require(&me, Action::RecordDecision)?;
            let Some(mut meeting) = store::meeting_of(conn, &case.id)? else {
                return Err(ApiError::Conflict("No review meeting is arranged on this case.".to_owned()));
            };
            if meeting.circulated_on.is_none() {
                store::mark_circulated(conn, &case.id, today)?;
                meeting.circulated_on = Some(today);
            }
            let everyone = case_events::participants_of(conn, &case)?;
            let event = CaseEvent::ReviewAdviceCirculated(meeting.meeting_on);
            case_events::notify(conn, &st, &case, event, everyone, &me.user_id)?;
            audit::record(conn, &me, "review_meeting.circulate", Some(&case.id), None)?;
            Ok(view(meeting))
        })
        .await
}

/// A plan ceased, as the API shows it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CeaseView {
    pub reason: CeaseReason,
    pub details: Option<String>,
    /// The ground in s.45(1) the reason rests on.
    pub ground: &'static str,
    /// SEN2's `CeaseReason` code.
    pub sen2_code: &'static str,
    pub decided_on: NaiveDate,
    /// The notice of reg 31(2)-(3), with the right to appeal, sent today.
    pub notice_sent_on: NaiveDate,
    /// The last day to appeal (HESC rule 20(1)(c)); the plan is maintained
    /// until then and, if an appeal is made, until it is decided.
    pub appeal_by: NaiveDate,
    /// The day the plan ends if no appeal is made.
    pub ceases_on: NaiveDate,
    /// The first day the case's records may be purged (`docs/SECURITY.md`).
    pub retained_until: NaiveDate,
}

pub struct NewCease {
    pub reason: CeaseReason,
    pub details: Option<String>,
    pub decided_on: NaiveDate,
}

/// Ceases the plan: checks the reason against the law for the person's age
/// (regs 29-30), records the decision (the stage moves to ceased), and sends
/// everyone on the case the notice with the right to appeal (reg 31).
pub async fn cease(state: &AppState, me: AuthUser, case_id: String, new: NewCease) -> Result<CeaseView, ApiError> {
    let st = state.clone();
    let today = state.now().date();
    let retention_years = state.retention_years;
    state
        .tx(move |conn| {
            let case = visible_case(conn, &me, &case_id)?;
            require(&me, Action::RecordDecision)?;
            plan_in_force(&case)?;
            let appeal_by = appeal_deadline(today);
            let details = new.details.map(|d| d.trim().to_owned()).filter(|d| !d.is_empty());
            check_cease(new.reason, case.date_of_birth, new.decided_on, appeal_by, details.as_deref())
                .map_err(|e| ApiError::Validation(vec![e]))?;
            let decision = (DecisionKind::PlanCeased, None, new.decided_on);
            decisions::record_noticed(conn, &st, &me, &case, decision, |_| CaseEvent::PlanCeaseNotice(appeal_by))?;
            let fact = CeaseFact { decided_on: new.decided_on, notice_sent_on: today, ceases_on: appeal_by };
            let ceasing = Ceasing { case_id: case.id.clone(), reason: new.reason, details: details.clone(), fact };
            if !store::record_ceasing(conn, &ceasing, &me.user_id, st.now())? {
                return Err(ApiError::Conflict("This case's plan has already ceased.".to_owned()));
            }
            audit::record(conn, &me, "plan.cease", Some(&case.id), None)?;
            Ok(CeaseView {
                reason: new.reason,
                details,
                ground: new.reason.ground(),
                sen2_code: new.reason.sen2_code(),
                decided_on: new.decided_on,
                notice_sent_on: today,
                appeal_by,
                ceases_on: appeal_by,
                retained_until: retained_until(case.date_of_birth, retention_years, Some(appeal_by)),
            })
        })
        .await
}
