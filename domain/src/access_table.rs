//! Every role × action × state the access model answers, written out as the
//! expected verdict, so a change to a rule shows here as a changed row.

use super::*;
use crate::advice::AdviceStatus::{self, *};
use crate::roles::Role::{self, *};

const ROLES: [Role; 7] =
    [Administrator, AssessmentOfficer, Coordinator, TeamManager, Professional, ParentCarer, YoungPerson];
const STATUSES: [AdviceStatus; 5] = [Draft, AwaitingEndorsement, Returned, Submitted, Released];

/// Authority and case actions: who may, whatever the advice's state.
#[test]
fn authority_and_case_actions_by_role() {
    use Action::*;
    let table: &[(Action, &[Role])] = &[
        (ManageUsers, &[Administrator]),
        (ManageInvitations, &[Administrator, AssessmentOfficer]),
        (Invite(Professional), &[Administrator, AssessmentOfficer]),
        (Invite(ParentCarer), &[Administrator, AssessmentOfficer]),
        (Invite(AssessmentOfficer), &[Administrator]),
        (Invite(Administrator), &[Administrator]),
        (ManageOrganisations, &[Administrator, AssessmentOfficer]),
        (ManageTeams, &[Administrator, AssessmentOfficer]),
        (SetOwnTeamRole, &[]),
        (ManageClosures, &[Administrator, AssessmentOfficer]),
        (ReadClosures, &[Administrator, AssessmentOfficer]),
        (ManageEscalation, &[Administrator, AssessmentOfficer]),
        (ManageAdviceChecks, &[Administrator, AssessmentOfficer]),
        (ManageApiClients, &[Administrator]),
        (ReadReports, &[Administrator, AssessmentOfficer]),
        (OpenCase, &[AssessmentOfficer]),
        (ManageParticipants, &[AssessmentOfficer]),
        (IssueRequest, &[AssessmentOfficer]),
        (WithdrawRequest, &[AssessmentOfficer]),
        (RecordDecision, &[AssessmentOfficer]),
        (ReadCaseAudit, &[AssessmentOfficer]),
        (ExportCase, &[AssessmentOfficer]),
        (PlaceLegalHold, &[AssessmentOfficer]),
        (WritePlan, &[AssessmentOfficer]),
        (MakeRepresentations, &[ParentCarer, YoungPerson]),
        (ReleaseAdvice, &[AssessmentOfficer]),
    ];
    for (action, allowed) in table {
        for role in ROLES {
            for status in STATUSES {
                let verdict = decide(*action, Facts::on_advice(role, Standing::default(), status));
                assert_eq!(verdict.is_ok(), allowed.contains(&role), "{role:?} {action:?} in {status:?}");
            }
        }
    }
    for role in ROLES {
        let whole = case_scope(role) == CaseScope::WholeAuthority;
        assert_eq!(whole, role == AssessmentOfficer, "{role:?} sees every case of the authority");
    }
}

const AUTHOR: Standing = Standing { author: true, edited: false, manages: false, coordinates: false };
const SUBMITTER: Standing = Standing { author: true, edited: true, manages: false, coordinates: false };
const MANAGER: Standing = Standing { author: false, edited: false, manages: true, coordinates: false };
/// A manager who wrote the advice (assigned to themselves).
const MANAGER_AUTHOR: Standing = Standing { author: true, edited: true, manages: true, coordinates: false };
const COORDINATOR: Standing = Standing { author: false, edited: false, manages: false, coordinates: true };
const COORDINATOR_AUTHOR: Standing = Standing { author: true, edited: true, manages: false, coordinates: true };
/// Anyone else on the case: the family, officers, other professionals.
const ELSEWHERE: Standing = Standing { author: false, edited: false, manages: false, coordinates: false };

/// Advice actions by standing and state. Letters: R read the working copy
/// (and unpublished versions), W write, E endorse, T return, A assign.
#[test]
fn advice_actions_by_standing_and_state() {
    let table: &[(&str, Standing, [&str; 5])] = &[
        //                       Draft   Awaiting Returned Submitted Released
        ("author", AUTHOR, ["RW", "RW", "RW", "RW", "RW"]),
        ("submitter", SUBMITTER, ["RW", "RW", "RW", "RW", "RW"]),
        ("manager", MANAGER, ["ET", "RET", "ET", "ET", "ET"]),
        ("manager who wrote it", MANAGER_AUTHOR, ["RW", "RW", "RW", "RW", "RW"]),
        ("coordinator", COORDINATOR, ["TA", "TA", "TA", "TA", "TA"]),
        ("coordinator who wrote it", COORDINATOR_AUTHOR, ["RWA", "RWA", "RWA", "RWA", "RWA"]),
        ("anyone else", ELSEWHERE, ["", "", "", "", ""]),
    ];
    let letters = [
        ('R', Action::ReadWorkingCopy),
        ('R', Action::ReadUnpublishedVersions),
        ('W', Action::WriteAdvice),
        ('E', Action::Endorse),
        ('T', Action::ReturnAdvice),
        ('A', Action::Assign),
    ];
    for (name, standing, by_status) in table {
        for (status, expected) in STATUSES.iter().zip(by_status) {
            // The role does not change these: standing decides.
            for role in ROLES {
                for (letter, action) in letters {
                    let verdict = decide(action, Facts::on_advice(role, *standing, *status));
                    assert_eq!(
                        verdict.is_ok(),
                        expected.contains(letter),
                        "{name} ({role:?}) {action:?} in {status:?}"
                    );
                }
            }
        }
    }
}

/// Team roles matter only where the table above says they do: an author's
/// own reads and writes, and anything an officer or the family is refused
/// outright, need no lookup.
#[test]
fn team_roles_are_looked_up_only_when_they_can_change_the_verdict() {
    use Action::*;
    let facts = |standing, status| Facts::on_advice(Professional, standing, status);
    assert!(!depends_on_teams(ReadWorkingCopy, facts(AUTHOR, Draft)));
    assert!(
        !depends_on_teams(ReadWorkingCopy, facts(ELSEWHERE, Submitted)),
        "published: only the author's copy is at stake"
    );
    assert!(depends_on_teams(ReadWorkingCopy, facts(ELSEWHERE, AwaitingEndorsement)), "the endorser may read it");
    assert!(!depends_on_teams(WriteAdvice, facts(ELSEWHERE, Draft)));
    assert!(depends_on_teams(Endorse, facts(ELSEWHERE, AwaitingEndorsement)));
    assert!(!depends_on_teams(Endorse, facts(AUTHOR, AwaitingEndorsement)), "never their own");
    assert!(!depends_on_teams(ReleaseAdvice, Facts::on_advice(AssessmentOfficer, ELSEWHERE, Submitted)));
}

/// `/me/requests` offers only what `decide` allows; a coordinator is never
/// asked to endorse, and a plain team member is not asked to assign.
#[test]
fn what_is_asked_of_you() {
    use AskedOfYou::*;
    let ask = |standing, status, unassigned| asked_of_you(Facts::on_advice(Professional, standing, status), unassigned);
    assert_eq!(ask(AUTHOR, Draft, false), Some(ProvideAdvice));
    assert_eq!(ask(MANAGER, AwaitingEndorsement, false), Some(Endorse));
    assert_eq!(ask(MANAGER_AUTHOR, AwaitingEndorsement, false), Some(ProvideAdvice), "not their own");
    assert_eq!(ask(COORDINATOR, AwaitingEndorsement, false), None, "with the manager, not the coordinator");
    assert_eq!(ask(COORDINATOR, Draft, true), Some(Assign));
    assert_eq!(ask(ELSEWHERE, Draft, true), None, "a plain member cannot assign");
    assert_eq!(ask(ELSEWHERE, AwaitingEndorsement, false), None);
}

/// A team role reaches only its own team's requests.
#[test]
fn a_team_role_reaches_only_that_teams_requests() {
    let team_only = RequestLink::default();
    assert!(!reaches_request(Role::Professional, team_only), "on the case only through another team");
    for link in [
        RequestLink { on_case_in_person: true, ..team_only },
        RequestLink { named: true, ..team_only },
        RequestLink { in_addressed_team: true, ..team_only },
        RequestLink { manages_author: true, ..team_only },
    ] {
        assert!(reaches_request(Role::Professional, link), "{link:?}");
    }
    assert!(reaches_request(Role::AssessmentOfficer, team_only), "officers see the whole authority");
    assert!(!reaches_request(Role::ParentCarer, team_only));
}

/// A council's rule for strong second steps binds its staff only, and only
/// sessions proven by a code over the phone network.
#[test]
fn strong_factors_are_required_of_staff_when_the_council_says() {
    assert!(needs_strong_factor(AssessmentOfficer, true, false));
    assert!(needs_strong_factor(Administrator, true, false));
    assert!(!needs_strong_factor(AssessmentOfficer, true, true), "a passkey or app session");
    assert!(!needs_strong_factor(AssessmentOfficer, false, false), "the council does not require it");
    assert!(!needs_strong_factor(Professional, true, false), "partners' staff are not the council's");
}

#[test]
fn an_organisations_system_acts_only_for_its_own_active_practitioners() {
    assert!(may_act_for("trust", "trust", Professional, true));
    assert!(may_act_for("trust", "trust", Coordinator, true));
    assert!(!may_act_for("trust", "trust", Professional, false), "disabled");
    assert!(!may_act_for("trust", "school", Professional, true), "another organisation's");
    assert!(!may_act_for("trust", "trust", AssessmentOfficer, true), "never the council's staff");
    assert!(!may_act_for("trust", "trust", Administrator, true));
}
