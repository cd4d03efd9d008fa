//! Reminders and escalations of an outstanding request for advice (seed 000):
//! a reminder 7 days before it is due and on the day; then the team manager
//! on the due date, the service manager N days after it, and the head of
//! service once the statutory 6 weeks (reg 8(1)) have passed without a
//! recorded reg 8(2) exception. Each is raised once per request.

use chrono::{Duration, NaiveDate};

use crate::statutory::advice_due;

/// Days after the due date before the service manager is told, unless the
/// organisation has set its own.
pub const DEFAULT_SERVICE_MANAGER_AFTER_DAYS: i32 = 7;
pub const REMINDER_DAYS_BEFORE: i64 = 7;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, utoipa::ToSchema)]
pub enum AlertKind {
    #[serde(rename = "reminder_due_in_7_days")]
    DueInSevenDays,
    #[serde(rename = "reminder_due_today")]
    DueToday,
    #[serde(rename = "escalated_to_team_manager")]
    TeamManager,
    #[serde(rename = "escalated_to_service_manager")]
    ServiceManager,
    #[serde(rename = "escalated_to_head_of_service")]
    HeadOfService,
}

crate::stored_as_text!(AlertKind, code, parse);

impl AlertKind {
    pub const ALL: [AlertKind; 5] =
        [Self::DueInSevenDays, Self::DueToday, Self::TeamManager, Self::ServiceManager, Self::HeadOfService];

    pub fn code(self) -> &'static str {
        match self {
            Self::DueInSevenDays => "reminder_due_in_7_days",
            Self::DueToday => "reminder_due_today",
            Self::TeamManager => "escalated_to_team_manager",
            Self::ServiceManager => "escalated_to_service_manager",
            Self::HeadOfService => "escalated_to_head_of_service",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn is_escalation(self) -> bool {
        matches!(self, Self::TeamManager | Self::ServiceManager | Self::HeadOfService)
    }
}

/// What the clock needs to know about one outstanding request.
#[derive(Debug, Clone, Copy)]
pub struct OutstandingRequest {
    pub requested_on: NaiveDate,
    /// The local due date (may be shorter than the statutory 6 weeks, e.g. a
    /// DSCO's 2 weeks).
    pub due_on: NaiveDate,
    /// A reg 8(2) exception is recorded for this request.
    pub statutory_exception: bool,
}

/// Every alert that is due on `today` for an outstanding request (including
/// ones whose day has passed while no job ran, except the two reminders,
/// which only make sense before and on the due date).
pub fn alerts_due(request: &OutstandingRequest, service_manager_after_days: i32, today: NaiveDate) -> Vec<AlertKind> {
    let mut due = Vec::new();
    let reminder_from = request.due_on - Duration::days(REMINDER_DAYS_BEFORE);
    // A request issued inside the 7-day window needs no "due in 7 days" note:
    // its issuing e-mail was just sent.
    if today >= reminder_from && today < request.due_on && request.requested_on < reminder_from {
        due.push(AlertKind::DueInSevenDays);
    }
    if today == request.due_on {
        due.push(AlertKind::DueToday);
    }
    if today >= request.due_on {
        due.push(AlertKind::TeamManager);
    }
    // At least a day after the due date: on the day it is the team manager's.
    let service_manager_from = request.due_on + Duration::days(i64::from(service_manager_after_days.max(1)));
    if today >= service_manager_from {
        due.push(AlertKind::ServiceManager);
    }
    if today > advice_due(request.requested_on) && !request.statutory_exception {
        due.push(AlertKind::HeadOfService);
    }
    due
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Torbay's DSCO (seed 000): social care information due 2 weeks after
    /// the request; the statutory limit is 6 weeks.
    fn dsco_request() -> OutstandingRequest {
        OutstandingRequest { requested_on: d("2020-10-16"), due_on: d("2020-10-30"), statutory_exception: false }
    }

    #[test]
    fn each_step_on_its_day() {
        let r = dsco_request();
        let table = [
            ("2020-10-22", vec![]),
            ("2020-10-23", vec![AlertKind::DueInSevenDays]),
            ("2020-10-29", vec![AlertKind::DueInSevenDays]),
            ("2020-10-30", vec![AlertKind::DueToday, AlertKind::TeamManager]),
            ("2020-11-05", vec![AlertKind::TeamManager]),
            ("2020-11-06", vec![AlertKind::TeamManager, AlertKind::ServiceManager]),
            ("2020-11-27", vec![AlertKind::TeamManager, AlertKind::ServiceManager]),
            ("2020-11-28", vec![AlertKind::TeamManager, AlertKind::ServiceManager, AlertKind::HeadOfService]),
        ];
        for (today, expected) in table {
            assert_eq!(alerts_due(&r, 7, d(today)), expected, "on {today}");
        }
    }

    #[test]
    fn a_recorded_exception_spares_the_head_of_service() {
        let r = OutstandingRequest { statutory_exception: true, ..dsco_request() };
        assert!(!alerts_due(&r, 7, d("2021-01-01")).contains(&AlertKind::HeadOfService));
    }

    #[test]
    fn the_service_manager_delay_is_the_organisations() {
        let r = dsco_request();
        assert!(!alerts_due(&r, 14, d("2020-11-12")).contains(&AlertKind::ServiceManager));
        assert!(alerts_due(&r, 14, d("2020-11-13")).contains(&AlertKind::ServiceManager));
    }

    #[test]
    fn a_request_issued_inside_the_window_gets_no_seven_day_reminder() {
        let r =
            OutstandingRequest { requested_on: d("2020-10-26"), due_on: d("2020-10-30"), statutory_exception: false };
        assert_eq!(alerts_due(&r, 7, d("2020-10-27")), vec![]);
    }

    #[test]
    fn codes_round_trip() {
        for kind in AlertKind::ALL {
            assert_eq!(AlertKind::parse(kind.code()), Some(kind));
        }
    }
}
