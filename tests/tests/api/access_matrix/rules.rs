//! What each actor should get, written from the access policy in
//! `shared/design/DOMAIN.md` and `docs/SECURITY.md`, not from the hub's code:
//! case X has the parent, the author (in person) and team DSCO (through its
//! request); the coordinator, manager and author are DSCO members; case Y has
//! only the other parent. Officers of council A see all of A's cases;
//! everyone else only what they take part in; nobody of council B anything.

use super::world::Actor::{self, *};
use super::world::State::{self, *};

/// Any answer that shows the access check was passed (2xx, 409, 412, 422).
pub const THROUGH: u16 = 0;

pub fn on_case_x(a: Actor) -> bool {
    matches!(a, Officer | Coordinator | Manager | Author | Parent)
}

pub fn on_case_y(a: Actor) -> bool {
    matches!(a, Officer | OtherParent)
}

/// Reaches the request in state `s` on case X: a team role reaches only its
/// team's request (the awaiting one, addressed to DSCO); the manager also
/// the requests of their team member, the author.
pub fn reaches(a: Actor, s: State) -> bool {
    match a {
        Officer | Author | Parent | Manager => true,
        Coordinator => s == AwaitingEndorsement,
        _ => false,
    }
}

fn published(s: State) -> bool {
    matches!(s, Published | Released)
}

/// Staff of council A (they manage its records), and of either council.
pub fn staff_a(a: Actor) -> bool {
    matches!(a, Administrator | Officer)
}

pub fn staff(a: Actor) -> bool {
    staff_a(a) || a == Foreign
}

/// 401 for nobody, 404 where they cannot see, else `then`.
fn on_request(a: Actor, s: State, then: u16) -> u16 {
    match a {
        Anonymous => 401,
        _ if !reaches(a, s) => 404,
        _ => then,
    }
}

fn on_case(a: Actor, then: u16) -> u16 {
    match a {
        Anonymous => 401,
        _ if !on_case_x(a) => 404,
        _ => then,
    }
}

fn authority(a: Actor, allowed: bool, then: u16) -> u16 {
    match a {
        Anonymous => 401,
        _ if !allowed => 403,
        _ => then,
    }
}

/// The expected status of `op` for actor `a` on state `s`.
pub fn expected(op: &str, a: Actor, s: State) -> u16 {
    match op {
        // Reading advice: published advice by everyone who reaches it; the
        // working copy by its author, and by the endorser while it waits.
        "getAdvice" => on_request(
            a,
            s,
            match a {
                Author => 200,
                Manager if s == AwaitingEndorsement || published(s) => 200,
                Officer | Parent if published(s) => 200,
                _ => 404,
            },
        ),
        "checkAdvice" => on_request(
            a,
            s,
            match a {
                Author => 200,
                Manager if s == AwaitingEndorsement => 200,
                _ => 404,
            },
        ),
        "listAdviceVersions" | "listDocuments" => on_request(a, s, 200),
        "getAdviceVersion" => on_request(
            a,
            s,
            match (a, s) {
                (_, Draft | Withdrawn) => 404,
                (Author | Manager, _) => 200,
                (Officer | Parent, _) if published(s) => 200,
                _ => 404,
            },
        ),
        // Only the author writes, while the advice is open and unlocked.
        "saveAdvice" => on_request(
            a,
            s,
            match (a, s) {
                (Author, Draft | Released) => 412,
                (Author, _) => 409,
                _ => 403,
            },
        ),
        "submitAdvice" | "uploadDocument" => on_request(
            a,
            s,
            match (a, s) {
                (Author, Draft | Released) => THROUGH,
                (Author, _) => 409,
                _ => 403,
            },
        ),
        // Endorsing is the manager's, never their own work.
        "endorseAdvice" => on_request(
            a,
            s,
            match (a, s) {
                (Manager, AwaitingEndorsement) => 200,
                (Manager, _) => 409,
                _ => 403,
            },
        ),
        // The endorser returns while it waits for them; the team inbox's
        // coordinator too (quality checking, seed 000).
        "returnAdvice" => on_request(
            a,
            s,
            match (a, s) {
                (Manager | Coordinator, AwaitingEndorsement) => 200,
                (Manager, _) => 409,
                _ => 403,
            },
        ),
        "releaseAdvice" => on_request(
            a,
            s,
            match (a, s) {
                (Officer, Published) => 200,
                (Officer, _) => 409,
                _ => 403,
            },
        ),
        "assignAdviceRequest" => on_request(a, s, if a == Coordinator { 200 } else { 403 }),
        // Withdrawing is the assessment team's, until the advice is in
        // (withdrawing again changes nothing).
        "withdrawAdviceRequest" => on_request(
            a,
            s,
            match (a, s) {
                (Officer, Published) => 409,
                (Officer, _) => 200,
                _ => 403,
            },
        ),
        // A draft's documents are the author's; a published one's everyone's
        // who reaches the request; only the author removes, while unlocked.
        "getDocument" | "downloadDocument" => on_request(
            a,
            s,
            match (a, s) {
                (Author, _) => 200,
                (_, Published) => 200,
                _ => 404,
            },
        ),
        "deleteDocument" => on_request(
            a,
            s,
            match (a, s) {
                (Author, Draft) => 204,
                (Author, _) => 409,
                (_, Published) => 403,
                _ => 404,
            },
        ),
        // The case: everyone on it reads; the assessment team acts.
        "getCase" | "listParticipants" | "getTimeline" | "listDecisions" | "listAdviceRequests" => on_case(a, 200),
        // A stale ETag: officers get as far as the revision check.
        "correctCase" => on_case(a, if a == Officer { 412 } else { 403 }),
        "getCaseAudit" | "exportCase" => on_case(a, if a == Officer { 200 } else { 403 }),
        "createAdviceRequest" | "recordDecision" | "addParticipant" => on_case(a, if a == Officer { 201 } else { 403 }),
        "recordException" => on_case(a, if a == Officer { THROUGH } else { 403 }),
        "placeLegalHold" => on_case(a, if a == Officer { 200 } else { 403 }),
        "liftLegalHold" | "removeParticipant" => on_case(a, if a == Officer { 204 } else { 403 }),
        // The authority's own records.
        "listCases" | "getMe" | "editMe" | "myRequests" | "startSecondFactorChange" => authority(a, true, 200),
        "acceptMembershipInvitation" => authority(a, true, 404),
        // A fresh second step is required: a bogus one is refused for all.
        "changeSecondFactor" | "startPasskeyRegistration" | "removePasskey" => 401,
        "registerPasskey" => authority(a, true, 422),
        "listPasskeys" => authority(a, true, 200),
        "logout" => authority(a, true, 204),
        "chooseCouncil" => authority(a, true, if a == Foreign { 422 } else { 200 }),
        "createCase" => authority(a, matches!(a, Officer | Foreign), 201),
        "listUsers" | "getFactorPolicy" | "setFactorPolicy" => authority(a, a == Administrator, 200),
        "disableUser" | "enableUser" => authority(a, a == Administrator, 204),
        "listInvitations" | "listOrganisations" | "listTeams" | "listClosures" | "timelinessReport" | "sen2Return" => {
            authority(a, staff(a), 200)
        }
        "createInvitation" | "createClosure" => authority(a, staff(a), 201),
        "listAdviceChecks" | "setAdviceCheck" => authority(a, staff(a), 200),
        "createOrganisation" => authority(a, staff(a), THROUGH),
        "createTeam" => authority(a, staff(a), if a == Foreign { 422 } else { THROUGH }),
        "revokeInvitation" | "deleteClosure" => authority(a, staff(a), if a == Foreign { 404 } else { 204 }),
        "getEscalation" | "setEscalation" | "setTeamMember" => {
            authority(a, staff(a), if a == Foreign { 404 } else { 200 })
        }
        // Public steps answer the same to everyone: a bogus token or
        // credential is refused, a reset request always accepted.
        "login"
        | "resendCode"
        | "verifyMfa"
        | "refreshTokens"
        | "confirmTotp"
        | "passkeyLoginOptions"
        | "passkeyLoginVerify"
        | "confirmPasskey" => 401,
        "requestPasswordReset" => 202,
        "completePasswordReset" | "register" | "inspectInvitation" => 404,
        "healthz" | "readyz" => 200,
        // The plan: the assessment team starts it; nobody reaches a plan that is not there.
        "startPlan" => on_case(a, if a == Officer { 201 } else { 403 }),
        "setPhaseTransfer" => on_case(a, if a == Officer { 200 } else { 403 }),
        // The review cycle: the case in the matrix has no plan in force yet.
        "arrangeReviewMeeting" | "circulateReviewAdvice" | "ceasePlan" => {
            on_case(a, if a == Officer { 409 } else { 403 })
        }
        "getPlan" | "issuePlan" | "planDocument" => authority(a, true, 404),
        "makeRepresentations"
        | "listRepresentations"
        | "consultInstitution"
        | "listConsultations"
        | "answerConsultation" => authority(a, true, 404),
        // Without If-Match an edit is refused before anything is looked up.
        "editPlan" => authority(a, true, 428),
        // Partner systems: administrators register them; an unknown client is a 404 to them.
        "listApiClients" => authority(a, a == Administrator, 200),
        "registerApiClient" => authority(a, a == Administrator, 201),
        "getApiClient" | "revokeApiClient" | "addApiClientSecret" | "removeApiClientSecret" => {
            authority(a, a == Administrator, 404)
        }
        // The feed is the assessment team's (each their own council's) and partner systems'.
        "listEvents" => authority(a, matches!(a, Officer | Foreign), 200),
        // A partner system's own: a person's token is not one (nor is none).
        "createWebhookEndpoint"
        | "listWebhookEndpoints"
        | "getWebhookEndpoint"
        | "deleteWebhookEndpoint"
        | "rotateWebhookSecret"
        | "enableWebhookEndpoint"
        | "listWebhookDeliveries"
        | "redeliverWebhook" => 401,
        // Not a form: refused as RFC 6749 §5.2 invalid_request, whoever asks.
        "issueClientToken" => 400,
        other => panic!("no rule for {other}"),
    }
}
