//! The access model: the one place that answers "may this principal do this
//! action on this resource in this state". Every handler, the subject-access
//! export, the labels of `/me/requests` and the choice of who is told about a
//! change ask it; nothing else decides (DOMAIN.md "Access and accounts",
//! seed 004 §7.8: need to know).
//!
//! Facts come in (the caller's role, how they stand to a request for advice,
//! the advice's status); a verdict goes out. Queries only gather the facts
//! and scope lists by the `CaseScope` this model gives.

use crate::advice::AdviceStatus;
use crate::roles::Role;

/// Which cases a principal sees at all; anything outside answers 404.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseScope {
    /// Every case of their own local authority (the assessment team).
    WholeAuthority,
    /// Only the cases they, or a team inbox they belong to, take part in.
    Participating,
}

pub fn case_scope(role: Role) -> CaseScope {
    if role == Role::AssessmentOfficer {
        CaseScope::WholeAuthority
    } else {
        CaseScope::Participating
    }
}

/// The role a partner system's client acts in: a council's own system sees
/// what an assessment officer of that council sees; an organisation's
/// system what that organisation's team inboxes see, as a member of them
/// (never a coordinator or a manager: it assigns and endorses nothing).
pub fn client_role(for_organisation: bool) -> Role {
    if for_organisation {
        Role::Professional
    } else {
        Role::AssessmentOfficer
    }
}

/// Whether an organisation's system may act for a member of the council
/// (`On-Behalf-Of`): an active practitioner of that same organisation, and
/// never the council's own staff, whose standing would open more than the
/// organisation's inboxes.
pub fn may_act_for(client_organisation: &str, member_organisation: &str, member_role: Role, active: bool) -> bool {
    active && client_organisation == member_organisation && !member_role.is_local_authority_staff()
}

/// What a principal reads of the events feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventScope {
    /// Every event of their council (the assessment team, the council's system).
    WholeAuthority,
    /// The events of requests addressed to their organisation's team inboxes.
    OrganisationInboxes,
}

/// The feed is for the assessment team and partner systems; `None` for
/// everyone else (a 403): a person follows their own work in `/me/requests`.
pub fn event_scope(role: Role, organisation_client: bool) -> Option<EventScope> {
    if organisation_client {
        Some(EventScope::OrganisationInboxes)
    } else if case_scope(role) == CaseScope::WholeAuthority {
        Some(EventScope::WholeAuthority)
    } else {
        None
    }
}

/// Whether a reader of `scope` sees an event of their council, which is
/// about a request addressed to one of their own organisation's inboxes or
/// not. The feed's query and the webhooks' fan-out both ask this.
pub fn sees_event(scope: EventScope, addressed_to_own_inbox: bool) -> bool {
    match scope {
        EventScope::WholeAuthority => true,
        EventScope::OrganisationInboxes => addressed_to_own_inbox,
    }
}

/// Whether a session must be opened with a passkey or an authenticator app
/// before it may do anything but add one: the council requires it of its
/// staff (administrators and officers), and the session was proven by a
/// code sent by SMS or voice.
pub fn needs_strong_factor(role: Role, council_requires: bool, proven_by_strong: bool) -> bool {
    council_requires && role.is_local_authority_staff() && !proven_by_strong
}

/// How a principal who can see a case is linked to one of its requests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RequestLink {
    /// A participant of the case in their own name (not only through a team).
    pub on_case_in_person: bool,
    /// The request names them: its addressee, assignee, a copy, its issuer.
    pub named: bool,
    /// A member of the team inbox the request is addressed to.
    pub in_addressed_team: bool,
    /// Manages a team the request's author belongs to (may endorse it).
    pub manages_author: bool,
}

/// A team role grants nothing beyond its team: someone who is on a case only
/// through a team inbox reaches that team's requests and those naming them,
/// never the case's other requests, their advice or their documents.
pub fn reaches_request(role: Role, link: RequestLink) -> bool {
    case_scope(role) == CaseScope::WholeAuthority
        || link.on_case_in_person
        || link.named
        || link.in_addressed_team
        || link.manages_author
}

/// How a principal stands to one request for advice. Gathered from the
/// request, its advice and the team memberships; no rule lives here.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Standing {
    /// Writes the advice: the addressee, or the practitioner a team inbox's
    /// coordinator assigned.
    pub author: bool,
    /// Wrote or changed the working copy since it was last published (saved
    /// or submitted it, before or after a reassignment).
    pub edited: bool,
    /// Manages the team inbox the request is addressed to, or a team the
    /// author belongs to.
    pub manages: bool,
    /// Coordinates the team inbox the request is addressed to.
    pub coordinates: bool,
}

/// Everything a principal may ask to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    // The local authority's own records.
    ManageUsers,
    ManageInvitations,
    Invite(Role),
    ManageOrganisations,
    ManageTeams,
    /// Giving oneself a role in a team (a manager reads unpublished advice).
    SetOwnTeamRole,
    ManageClosures,
    ReadClosures,
    ManageEscalation,
    /// Read and set the council's severities of the advice quality checks.
    ManageAdviceChecks,
    /// Register, rotate and revoke the council's partner systems.
    ManageApiClients,
    ReadReports,
    // A case.
    OpenCase,
    ManageParticipants,
    IssueRequest,
    WithdrawRequest,
    RecordDecision,
    ReadCaseAudit,
    ExportCase,
    PlaceLegalHold,
    /// Start, edit and issue the EHC plan, and read its working copy.
    WritePlan,
    /// Make representations on an issued draft or proposed amendments, and
    /// ask for a school or college (reg 13(1)(a)): the family's own say.
    MakeRepresentations,
    // A request for advice, in the advice's state.
    ReadWorkingCopy,
    ReadUnpublishedVersions,
    WriteAdvice,
    Endorse,
    ReturnAdvice,
    ReleaseAdvice,
    Assign,
}

/// Why not, in words for the caller (answered as 403).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Denied(pub &'static str);

/// The facts an advice action is judged on. Case- and authority-level
/// actions use `Facts::of(role)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    pub role: Role,
    pub standing: Standing,
    pub status: AdviceStatus,
}

impl Facts {
    pub fn of(role: Role) -> Self {
        Facts { role, standing: Standing::default(), status: AdviceStatus::Draft }
    }

    pub fn on_advice(role: Role, standing: Standing, status: AdviceStatus) -> Self {
        Facts { role, standing, status }
    }
}

fn allow(yes: bool, why: &'static str) -> Result<(), Denied> {
    if yes {
        Ok(())
    } else {
        Err(Denied(why))
    }
}

/// The endorser: a manager of the author's or the addressed team who neither
/// wrote nor last changed the advice (nobody endorses their own work).
fn endorser(s: Standing) -> bool {
    s.manages && !s.author && !s.edited
}

/// The verdict. Reading the working copy and unpublished versions is
/// answered here too: a denied reader is shown the published advice instead.
pub fn decide(action: Action, facts: Facts) -> Result<(), Denied> {
    use Action::*;
    let Facts { role, standing, status } = facts;
    let staff = role.is_local_authority_staff();
    let officer = role == Role::AssessmentOfficer;
    match action {
        ManageUsers => allow(role.may_administer_users(), "Only administrators manage users."),
        ManageInvitations => allow(role.may_invite(), "Only the local authority's staff see and revoke invitations."),
        Invite(invited) => allow(role.may_invite_role(invited), "Your role may not invite people with this role."),
        ManageOrganisations => allow(staff, "Only the local authority's staff register and list organisations."),
        ManageTeams => allow(staff, "Only the local authority's staff manage teams."),
        SetOwnTeamRole => allow(false, "Nobody changes their own role in a team: ask another member of staff."),
        ManageClosures => allow(staff, "Only the local authority's staff keep the closure calendar."),
        ReadClosures => allow(staff, "Only the local authority's staff read the closure calendar."),
        ManageEscalation => allow(staff, "Only the local authority's staff manage escalation."),
        ManageAdviceChecks => allow(staff, "Only the local authority's staff set the advice quality checks."),
        ManageApiClients => allow(role.may_administer_users(), "Only administrators register partner systems."),
        ReadReports => allow(staff, "Only the local authority's staff read the reports."),
        OpenCase | ManageParticipants | IssueRequest | WithdrawRequest | RecordDecision | ReadCaseAudit
        | ExportCase | PlaceLegalHold | WritePlan => allow(officer, "Only the assessment team may do this."),
        MakeRepresentations => allow(
            matches!(role, Role::ParentCarer | Role::YoungPerson),
            "Only the child's parent or the young person makes representations on the plan.",
        ),
        // Drafts belong to their author and, while it is with them, the endorser.
        ReadWorkingCopy | ReadUnpublishedVersions => allow(
            standing.author || (status == AdviceStatus::AwaitingEndorsement && endorser(standing)),
            "Only the author, or the endorser while it waits for endorsement, reads unpublished advice.",
        ),
        WriteAdvice => allow(standing.author, "Only the person asked for this advice may write it."),
        Endorse => allow(endorser(standing), "Only the practitioner's team manager endorses advice, never their own."),
        // The endorser while it waits for them; the coordinator of the team
        // inbox once published (quality checking, seed 000). Never the author.
        ReturnAdvice => allow(
            !standing.author && (endorser(standing) || standing.coordinates),
            "Only the team manager or the team's coordinator returns advice.",
        ),
        ReleaseAdvice => allow(officer, "Only the assessment team releases advice."),
        Assign => allow(standing.coordinates, "Only the coordinator of the addressed team assigns its requests."),
    }
}

/// Whether the verdict on `action` could change with the caller's team roles
/// (`manages`, `coordinates`), given the rest of `facts`. When it cannot, a
/// caller need not look the roles up: the rule stays here, only the lookup
/// is saved.
pub fn depends_on_teams(action: Action, facts: Facts) -> bool {
    let verdict = |manages, coordinates| {
        let standing = Standing { manages, coordinates, ..facts.standing };
        decide(action, Facts { standing, ..facts }).is_ok()
    };
    let without = verdict(false, false);
    [verdict(true, false), verdict(false, true), verdict(true, true)].into_iter().any(|v| v != without)
}

/// What a principal is asked to do about an open request, as `/me/requests`
/// labels it: only an action `decide` would let them take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AskedOfYou {
    /// Write (or finish) the advice.
    ProvideAdvice,
    /// Assign your team inbox's request to a practitioner.
    Assign,
    /// Endorse (or return) the advice waiting for you.
    Endorse,
}

pub fn asked_of_you(facts: Facts, unassigned_team_request: bool) -> Option<AskedOfYou> {
    if facts.status == AdviceStatus::AwaitingEndorsement && decide(Action::Endorse, facts).is_ok() {
        return Some(AskedOfYou::Endorse);
    }
    if unassigned_team_request && decide(Action::Assign, facts).is_ok() {
        return Some(AskedOfYou::Assign);
    }
    if decide(Action::WriteAdvice, facts).is_ok() {
        return Some(AskedOfYou::ProvideAdvice);
    }
    None
}

#[cfg(test)]
#[path = "access_table.rs"]
mod access_table;
