//! The texts we send. None carries personal data: no names, no dates of
//! birth, no case details. E-mails say something happened and where to log
//! in; SMS and voice carry only the code and the service name (API.md).

pub struct MessageText {
    pub subject: Option<String>,
    pub body: String,
}

pub fn invitation_email(service: &str, local_authority: &str, link: &str, expires_days: i64) -> MessageText {
    MessageText {
        subject: Some(format!("{service}: you have been invited to create an account")),
        body: format!(
            "{local_authority} has invited you to create an account on {service}, where \
             education, health and social care professionals contribute to Education, Health and Care needs \
             assessments.\n\nCreate your account here (the link works once and expires in {expires_days} days):\n{link}\n\n\
             You will choose a password and a second step for logging in: a text message, an authenticator app \
             or a call to a landline.\n\nIf you were not expecting this e-mail you can ignore it."
        ),
    }
}

/// A council invites someone who already has an account (from another
/// council) to work with it too; they accept after logging in.
pub fn membership_invitation_email(
    service: &str,
    local_authority: &str,
    login_url: &str,
    expires_days: i64,
) -> MessageText {
    MessageText {
        subject: Some(format!("{local_authority} invites you to work with them on {service}")),
        body: format!(
            "{local_authority} has invited you to work with them on {service}, with the account you already have. \
             Log in and accept the invitation under your account within {expires_days} days. You keep one login \
             for every council you work with.\n{login_url}"
        ),
    }
}

pub fn login_code_sms(service: &str, code: &str, ttl_minutes: i64) -> MessageText {
    MessageText {
        subject: None,
        body: format!("{code} is your {service} login code. It expires in {ttl_minutes} minutes. Do not share it."),
    }
}

/// Read out by a text-to-speech call: digits are spaced so they are spoken one by one.
pub fn login_code_voice(service: &str, code: &str) -> MessageText {
    let spoken: Vec<String> = code.chars().map(String::from).collect();
    let spoken = spoken.join(", ");
    MessageText { subject: None, body: format!("This is {service}. Your login code is {spoken}. Again: {spoken}.") }
}

pub fn password_reset_email(service: &str, link: &str, ttl_minutes: i64) -> MessageText {
    MessageText {
        subject: Some(format!("{service}: reset your password")),
        body: format!(
            "Someone asked to reset the password of your {service} account. If it was you, follow this link \
             within {ttl_minutes} minutes; you will also need your second login step.\n{link}\n\n\
             If it was not you, you can ignore this e-mail: your password has not changed."
        ),
    }
}

pub fn second_factor_changed_email(service: &str, login_url: &str) -> MessageText {
    MessageText {
        subject: Some(format!("{service}: your login settings changed")),
        body: format!(
            "The second login step of your {service} account was changed. If you did not do this, contact \
             your local authority's assessment team at once.\n{login_url}"
        ),
    }
}

/// A change to the account's passkeys: its owner hears of every one.
pub fn passkey_changed_email(service: &str, what: &str, login_url: &str) -> MessageText {
    MessageText {
        subject: Some(format!("{service}: your passkeys changed")),
        body: format!(
            "{what} If you did not do this, log in, remove any passkey you do not recognise, change your \
             password and tell your local authority's assessment team.\n{login_url}"
        ),
    }
}

/// The account's second step was locked after too many wrong codes: its
/// owner hears of it, since someone may know their password.
pub fn second_step_locked_email(service: &str, minutes: i64) -> MessageText {
    MessageText {
        subject: Some(format!("{service}: too many wrong login codes")),
        body: format!(
            "Too many wrong codes were entered at the second step of logging in to your {service} account, \
             so that step is locked for {minutes} minutes. If this was not you, someone may know your password: \
             reset it once the lock ends, and tell your local authority's assessment team."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sms_holds_only_the_code_and_service() {
        let text = login_code_sms("EHC Hub", "123456", 10);
        assert!(text.body.contains("123456"));
        assert!(text.body.len() <= 160, "one SMS segment");
    }

    #[test]
    fn voice_spells_out_digits() {
        assert!(login_code_voice("EHC Hub", "405").body.contains("4, 0, 5"));
    }
}

/// What happened on a case, for the people who need to know. Texts name the
/// service, the case reference and the change, never the child or family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseEvent {
    RequestIssued,
    AdvicePublished,
    AdviceReleased,
    AdviceReturned,
    EndorsementAsked,
    /// Which decision, and the stage the case is now at.
    DecisionRecorded(crate::statutory::DecisionKind, crate::statutory::Stage),
    RequestDueSoon,
    RequestDueToday,
    RequestEscalated,
    /// An escalation step found nobody to tell: for the council's administrators.
    EscalationUnanswered,
    RequestAssigned,
    RequestReassigned,
    /// One of the authority's statutory steps is due within 7 days.
    StepDueSoon(crate::statutory::StepKind),
    /// One of the authority's statutory steps has passed its limit.
    StepBreached(crate::statutory::StepKind),
    /// The notice of a review meeting on this day (reg 20(3)).
    ReviewMeetingArranged(chrono::NaiveDate),
    /// The review's advice and information circulated ahead of the meeting
    /// on this day (reg 20(4)).
    ReviewAdviceCirculated(chrono::NaiveDate),
    /// The notice of a decision to cease the plan, with the right to appeal
    /// by this day (reg 31(2)-(3)).
    PlanCeaseNotice(chrono::NaiveDate),
    /// The family made representations on the plan (reg 13(1)(a)).
    RepresentationsMade,
}

impl CaseEvent {
    pub fn code(self) -> &'static str {
        match self {
            Self::RequestIssued => "request_issued",
            Self::AdvicePublished => "advice_published",
            Self::AdviceReleased => "advice_released",
            Self::AdviceReturned => "advice_returned",
            Self::EndorsementAsked => "endorsement_asked",
            Self::DecisionRecorded(..) => "decision_recorded",
            Self::RequestDueSoon => "request_due_soon",
            Self::RequestDueToday => "request_due_today",
            Self::RequestEscalated => "request_escalated",
            Self::EscalationUnanswered => "escalation_unanswered",
            Self::RequestAssigned => "request_assigned",
            Self::RequestReassigned => "request_reassigned",
            Self::StepDueSoon(_) => "step_due_soon",
            Self::StepBreached(_) => "step_breached",
            Self::ReviewMeetingArranged(_) => "review_meeting_arranged",
            Self::ReviewAdviceCirculated(_) => "review_advice_circulated",
            Self::PlanCeaseNotice(_) => "plan_cease_notice",
            Self::RepresentationsMade => "representations_made",
        }
    }

    fn what(self, reference: &str) -> String {
        match self {
            Self::RequestIssued => format!("A request for advice has been issued to you on case {reference}."),
            Self::AdvicePublished => format!("Advice has been submitted on case {reference}."),
            Self::AdviceReleased => {
                format!("Your advice on case {reference} has been released so that you can change it.")
            }
            Self::AdviceReturned => format!("Your advice on case {reference} has been returned for amendment."),
            Self::EndorsementAsked => format!("Advice on case {reference} is waiting for your endorsement."),
            Self::DecisionRecorded(kind, stage) => format!(
                "On case {reference}, {} has been recorded. The case is now at the stage: {}.",
                kind.words(),
                stage.words()
            ),
            Self::RequestDueSoon => format!("A request for advice on case {reference} is due within 7 days."),
            Self::RequestDueToday => format!("A request for advice on case {reference} is due today."),
            Self::RequestEscalated => {
                format!("A request for advice on case {reference} is overdue and has been escalated to you.")
            }
            Self::EscalationUnanswered => format!(
                "A request for advice on case {reference} is overdue, and its escalation had nobody to receive it. \
                 Set the escalation policy of the organisation it was addressed to (who is told, and when)."
            ),
            Self::RequestAssigned => format!("A request for advice on case {reference} has been assigned to you."),
            Self::RequestReassigned => format!(
                "A request for advice you were answering on case {reference} has been assigned to a colleague; \
                 your draft went with it, and the change is in the case's audit log."
            ),
            Self::StepDueSoon(step) => {
                format!("On case {reference}, {} is due within 7 days (see the case's timeline).", step.words())
            }
            Self::StepBreached(step) => {
                format!(
                    "On case {reference}, {} has passed its statutory time limit (see the case's timeline).",
                    step.words()
                )
            }
            Self::ReviewMeetingArranged(on) => format!(
                "You are invited to the review meeting of the EHC plan on case {reference}, on {}. Advice and \
                 information for the review will be shared with everyone invited at least two weeks before it.",
                on.format("%-d %B %Y")
            ),
            Self::ReviewAdviceCirculated(on) => format!(
                "The advice and information for the review meeting on case {reference} ({}) is ready to read.",
                on.format("%-d %B %Y")
            ),
            Self::PlanCeaseNotice(appeal_by) => format!(
                "On case {reference}, the council has decided to cease to maintain the EHC plan. The child's parent \
                 or the young person may appeal this decision to the First-tier Tribunal (Special Educational Needs \
                 and Disability) by {}, or within one month of a mediation certificate if that is later. Before \
                 appealing they must contact a mediation adviser, and mediation is available if they wish. \
                 Disagreement resolution services, and free, impartial information, advice and support about \
                 special educational needs (SENDIASS), are also available. The plan stays in place until then, and \
                 if an appeal is made, until it is decided. The notice on the case gives the details.",
                appeal_by.format("%-d %B %Y")
            ),
            Self::RepresentationsMade => {
                format!("The family has made representations on the plan on case {reference} (see the plan).")
            }
        }
    }
}

/// A team inbox's manager hears of every change to its members' roles.
pub fn team_role_changed_email(service: &str, team_name: &str, login_url: &str) -> MessageText {
    MessageText {
        subject: Some(format!("{service}: a role in your team inbox changed")),
        body: format!(
            "A member's role in the team inbox \"{team_name}\" was changed. If you did not expect this, check the \
             team's members and tell your local authority's assessment team.\n{login_url}"
        ),
    }
}

/// To the council's administrators: a partner system's webhook endpoint
/// failed for days and is disabled. Names the system, never an event's data.
pub fn webhook_disabled_email(service: &str, client_name: &str, days: i64, login_url: &str) -> MessageText {
    MessageText {
        subject: Some(format!("{service}: a partner system's webhook endpoint was disabled")),
        body: format!(
            "A webhook endpoint of the partner system \"{client_name}\" has failed every delivery for {days} days and \
             has been disabled. Its events are still in the events feed. Ask the system's supplier to fix the endpoint \
             and enable it again.\n\n{login_url}\n"
        ),
    }
}

pub fn case_event_email(service: &str, event: CaseEvent, reference: &str, login_url: &str) -> MessageText {
    MessageText {
        subject: Some(format!("{service}: case {reference} has changed")),
        body: format!(
            "{}\n\nLog in to see the details:\n{login_url}\n\nThis e-mail contains no personal details by design.",
            event.what(reference)
        ),
    }
}

#[cfg(test)]
mod event_tests {
    use super::*;

    #[test]
    fn event_e_mails_name_only_the_case_reference() {
        let text = case_event_email("EHC Hub", CaseEvent::AdvicePublished, "R-7K2M9QXB", "https://hub.example/cases/1");
        assert_eq!(text.subject.as_deref(), Some("EHC Hub: case R-7K2M9QXB has changed"));
        assert!(text.body.starts_with("Advice has been submitted on case R-7K2M9QXB."));
    }

    #[test]
    fn a_decision_e_mail_names_the_decision_and_the_stage() {
        use crate::statutory::{DecisionKind, Stage};
        let event = CaseEvent::DecisionRecorded(DecisionKind::ToAssess, Stage::Assessment);
        let text = case_event_email("EHC Hub", event, "R-7K2M9QXB", "https://hub.example/cases/1");
        assert!(
            text.body.starts_with(
                "On case R-7K2M9QXB, the decision whether to assess has been recorded. The case is now at the stage: being assessed."
            ),
            "{}",
            text.body
        );
    }
}
