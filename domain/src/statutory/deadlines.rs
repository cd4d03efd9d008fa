//! Statutory time limits. "Week" and "day" are calendar weeks and days.

use chrono::{Datelike, Duration, Months, NaiveDate};

use crate::field_error::FieldError;

/// Reg 4(1)/5(1): the decision whether to assess, 6 weeks from the request.
pub fn decision_to_assess_due(request_received: NaiveDate) -> NaiveDate {
    request_received + Duration::weeks(6)
}

/// The latest receipt date of a case whose clock may have run out by `today`:
/// the first limit on the plan's clock is reg 5(1)'s, and every later one
/// runs from the same receipt, so a case received after this date can have
/// no breached step but a request for advice given an earlier due date.
pub fn clock_may_have_run_out_if_received_by(today: NaiveDate) -> NaiveDate {
    today - Duration::weeks(6) - Duration::days(1)
}

/// Reg 8(1): advice within 6 weeks of the body receiving the request.
pub fn advice_due(request_for_advice: NaiveDate) -> NaiveDate {
    request_for_advice + Duration::weeks(6)
}

/// The due date of a new request for advice: the statutory 6 weeks of
/// reg 8(1) unless the officer names a date, or a local service standard in
/// working days (seed 000: a DSCO's two weeks). Every failure, by pointer.
pub fn advice_request_due(
    requested_on: NaiveDate,
    today: NaiveDate,
    due_on: Option<NaiveDate>,
    due_in_working_days: Option<u32>,
    holidays: &super::BankHolidays,
) -> Result<NaiveDate, Vec<FieldError>> {
    let mut errors = Vec::new();
    let due = match (due_on, due_in_working_days) {
        (Some(_), Some(_)) => {
            errors.push(FieldError::new(
                "/due_in_working_days",
                "one_of",
                "give due_on or due_in_working_days, not both",
            ));
            advice_due(requested_on)
        }
        (Some(due), None) => due,
        (None, Some(days)) => super::add_working_days(requested_on, days, holidays),
        (None, None) => advice_due(requested_on),
    };
    if due < requested_on {
        errors.push(FieldError::new("/due_on", "before_request", "cannot be before the request date"));
    }
    if requested_on > today {
        errors.push(FieldError::new("/requested_on", "in_future", "cannot be in the future"));
    }
    if errors.is_empty() {
        Ok(due)
    } else {
        Err(errors)
    }
}

/// Reg 10(1): notice of a decision not to issue a plan, 16 weeks from the request.
pub fn decision_not_to_issue_due(request_received: NaiveDate) -> NaiveDate {
    request_received + Duration::weeks(16)
}

/// Reg 13(1): at least 15 days, *beginning with* the day the draft is served,
/// for representations: the last day is the 15th counting that day.
pub fn draft_representations_end(draft_served: NaiveDate) -> NaiveDate {
    draft_served + Duration::days(14)
}

/// The first day a final plan may follow a draft served on `draft_served`:
/// the day after the family's 15 days of reg 13(1)(a) have run.
pub fn earliest_final_plan(draft_served: NaiveDate) -> NaiveDate {
    draft_representations_end(draft_served) + Duration::days(1)
}

/// Reg 13(2): the final plan, 20 weeks from the request.
pub fn final_plan_due(request_received: NaiveDate) -> NaiveDate {
    request_received + Duration::weeks(20)
}

/// s.44: a review within 12 months of the plan or of the last review. A plan
/// dated 29 February is reviewed by 28 February in a common year.
pub fn annual_review_due(plan_or_last_review: NaiveDate) -> NaiveDate {
    plan_or_last_review.checked_add_months(Months::new(12)).unwrap_or(plan_or_last_review + Duration::days(365))
}

/// Reg 20(3): "at least two weeks' notice of the date of the meeting".
pub fn review_notice_by(meeting: NaiveDate) -> NaiveDate {
    meeting - Duration::weeks(2)
}

/// Reg 20(4): the advice and information obtained from those invited is
/// circulated to them "at least two weeks in advance of the review meeting".
pub fn review_advice_by(meeting: NaiveDate) -> NaiveDate {
    meeting - Duration::weeks(2)
}

/// Reg 20(7): the report within 2 weeks of the meeting.
pub fn review_report_due(meeting: NaiveDate) -> NaiveDate {
    meeting + Duration::weeks(2)
}

/// Reg 20(10): the authority's decision within 4 weeks of the meeting.
pub fn review_decision_due(meeting: NaiveDate) -> NaiveDate {
    meeting + Duration::weeks(4)
}

/// Reg 22(2)(c): at least 15 days, beginning with the day the proposed
/// amendments are sent, to comment.
pub fn amendment_comments_end(amendments_sent: NaiveDate) -> NaiveDate {
    amendments_sent + Duration::days(14)
}

/// Reg 22(3): the amended plan within 8 weeks of sending the amendments.
pub fn amended_plan_due(amendments_sent: NaiveDate) -> NaiveDate {
    amendments_sent + Duration::weeks(8)
}

/// Rule 20(1)(c) of the Tribunal Procedure (First-tier Tribunal) (HESC)
/// Rules 2008 (SI 2008/2699): an appeal within 2 months after written notice
/// of the decision was sent (or 1 month from a mediation certificate, if
/// later). Until then the plan is maintained (s.45, CFA 2014), so a plan
/// ceased without appeal ends on this day.
pub fn appeal_deadline(notice_sent: NaiveDate) -> NaiveDate {
    notice_sent.checked_add_months(Months::new(2)).unwrap_or(notice_sent + Duration::days(61))
}

/// The phase transfers with a statutory review deadline (reg 18).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PhaseTransfer {
    /// Early years to school, infant to junior, primary to middle or secondary, middle to secondary.
    SchoolPhase,
    /// Secondary school (year 11) to a post-16 institution or apprenticeship.
    Year11ToPost16,
    /// From one post-16 institution to another.
    Post16ToPost16,
}

impl PhaseTransfer {
    pub fn code(self) -> &'static str {
        match self {
            Self::SchoolPhase => "school_phase",
            Self::Year11ToPost16 => "year11_to_post16",
            Self::Post16ToPost16 => "post16_to_post16",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::SchoolPhase, Self::Year11ToPost16, Self::Post16ToPost16].into_iter().find(|t| t.code() == code)
    }

    /// The rule, as the timeline names it.
    pub fn rule(self) -> &'static str {
        match self {
            Self::SchoolPhase => "reg 18(1)(a): by 15 February of the year of transfer",
            Self::Year11ToPost16 => "reg 18(1)(b): by 31 March of the year of transfer",
            Self::Post16ToPost16 => "reg 18(2): at least 5 months before the transfer",
        }
    }
}

crate::stored_as_text!(PhaseTransfer, code, parse);

/// Reg 18: the plan reviewed and amended to name the next institution by
/// 15 February of the calendar year of a school phase transfer, 31 March
/// for secondary school to post-16, and at least 5 months before a move
/// between post-16 institutions.
pub fn phase_transfer_due(transfer: PhaseTransfer, transfer_on: NaiveDate) -> NaiveDate {
    match transfer {
        PhaseTransfer::Post16ToPost16 => {
            transfer_on.checked_sub_months(Months::new(5)).unwrap_or(transfer_on - Duration::days(153))
        }
        _ => phase_transfer_review_due(transfer_on.year(), transfer).unwrap_or(transfer_on),
    }
}

/// Reg 18: the plan is reviewed and amended by 15 February of the year of
/// transfer (31 March for year 11 to post-16).
pub fn phase_transfer_review_due(transfer_year: i32, transfer: PhaseTransfer) -> Option<NaiveDate> {
    match transfer {
        PhaseTransfer::SchoolPhase => NaiveDate::from_ymd_opt(transfer_year, 2, 15),
        PhaseTransfer::Year11ToPost16 => NaiveDate::from_ymd_opt(transfer_year, 3, 31),
        // Fixed by the day of the move, not the year (phase_transfer_due).
        PhaseTransfer::Post16ToPost16 => None,
    }
}
