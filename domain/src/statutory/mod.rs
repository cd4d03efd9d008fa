//! The law's clock (SEND Regulations 2014, SI 2014/1530, and s.44 of the
//! Children and Families Act 2014): statutory deadlines in calendar days and
//! weeks, the recorded exceptions that lift them, and working-day arithmetic
//! for local service standards. Pure functions of dates.

mod bank_holidays;
mod ceasing;
mod deadlines;
mod decision_kinds;
mod exceptions;
mod review_steps;
mod stages;
mod step_alerts;
mod timeline;

pub use bank_holidays::{add_working_days, is_working_day, BankHolidays};
pub use ceasing::{check_cease, CeaseReason};
pub use deadlines::*;
pub use decision_kinds::{DecisionKind, DecisionOutcome};
pub use exceptions::{
    closure_calendar_of, closure_exception_applies, counts_for_decision_to_assess, Closure, Exception, Setting,
};
pub use stages::{Decision, Stage, StageRefusal};
pub use step_alerts::{alert_for, StepAlert};
pub use timeline::{
    timeline, AdviceFact, ArrangedMeeting, CaseFacts, CeaseFact, RecordedException, Step, StepKind, StepStatus,
    AT_RISK_DAYS,
};

#[cfg(test)]
mod worked_cases;
