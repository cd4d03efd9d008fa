//! What partner systems are told changed (the events feed; webhooks). An
//! event is thin: its type, the ids it is about, the case reference and the
//! time, never a name, a date of birth or free text; the receiver fetches
//! what it may see.

use crate::alerts::AlertKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub enum EventType {
    #[serde(rename = "case.created")]
    CaseCreated,
    #[serde(rename = "advice_request.issued")]
    RequestIssued,
    #[serde(rename = "advice_request.assigned")]
    RequestAssigned,
    #[serde(rename = "advice_request.withdrawn")]
    RequestWithdrawn,
    /// Submitted and waiting for the team manager's endorsement.
    #[serde(rename = "advice.submitted")]
    AdviceSubmitted,
    #[serde(rename = "advice.endorsed")]
    AdviceEndorsed,
    #[serde(rename = "advice.returned")]
    AdviceReturned,
    /// Unlocked by the assessment team so that its author can change it.
    #[serde(rename = "advice.released")]
    AdviceReleased,
    /// A version the case can read (submitted without endorsement, or endorsed).
    #[serde(rename = "advice.published")]
    AdvicePublished,
    #[serde(rename = "document.added")]
    DocumentAdded,
    #[serde(rename = "decision.recorded")]
    DecisionRecorded,
    /// A request for advice is due within 7 days, or today.
    #[serde(rename = "deadline.at_risk")]
    DeadlineAtRisk,
    /// A request for advice has passed its statutory 6 weeks (SI 2014/1530 reg 8(1)).
    #[serde(rename = "deadline.breached")]
    DeadlineBreached,
    /// A draft or the final EHC plan was issued.
    #[serde(rename = "plan.issued")]
    PlanIssued,
}

impl EventType {
    pub const ALL: [EventType; 14] = [
        EventType::CaseCreated,
        EventType::RequestIssued,
        EventType::RequestAssigned,
        EventType::RequestWithdrawn,
        EventType::AdviceSubmitted,
        EventType::AdviceEndorsed,
        EventType::AdviceReturned,
        EventType::AdviceReleased,
        EventType::AdvicePublished,
        EventType::DocumentAdded,
        EventType::DecisionRecorded,
        EventType::DeadlineAtRisk,
        EventType::DeadlineBreached,
        EventType::PlanIssued,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EventType::CaseCreated => "case.created",
            EventType::RequestIssued => "advice_request.issued",
            EventType::RequestAssigned => "advice_request.assigned",
            EventType::RequestWithdrawn => "advice_request.withdrawn",
            EventType::AdviceSubmitted => "advice.submitted",
            EventType::AdviceEndorsed => "advice.endorsed",
            EventType::AdviceReturned => "advice.returned",
            EventType::AdviceReleased => "advice.released",
            EventType::AdvicePublished => "advice.published",
            EventType::DocumentAdded => "document.added",
            EventType::DecisionRecorded => "decision.recorded",
            EventType::DeadlineAtRisk => "deadline.at_risk",
            EventType::DeadlineBreached => "deadline.breached",
            EventType::PlanIssued => "plan.issued",
        }
    }

    pub fn parse(code: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|e| e.code() == code)
    }

    /// The event a reminder or escalation of a request for advice is: at
    /// risk in its last week, breached once past the 6 weeks of reg 8(1)
    /// without a reg 8(2) exception (the head of service's step, alerts.rs).
    pub fn for_alert(kind: AlertKind) -> Option<EventType> {
        match kind {
            AlertKind::DueInSevenDays | AlertKind::DueToday => Some(EventType::DeadlineAtRisk),
            AlertKind::HeadOfService => Some(EventType::DeadlineBreached),
            AlertKind::TeamManager | AlertKind::ServiceManager => None,
        }
    }
}

crate::stored_as_text!(EventType, code, parse);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_type_is_stored_and_shown_by_one_code() {
        for event in EventType::ALL {
            assert_eq!(EventType::parse(event.code()), Some(event));
            assert_eq!(serde_json::to_value(event).unwrap(), event.code());
        }
    }
}
