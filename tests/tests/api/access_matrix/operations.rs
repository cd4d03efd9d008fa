//! Every operation of the spec as the matrix calls it: method, path (with
//! placeholders for the world's ids), a body, and the states it is tried on.

use reqwest::Method;
use serde_json::{json, Value};

use super::world::{State, ADVICE_STATES};

/// One operation: how to call it, on which states, and whether a successful
/// call changes what other cells would see.
pub struct Row {
    pub op: &'static str,
    pub method: Method,
    pub path: &'static str,
    pub body: Option<Value>,
    pub states: &'static [State],
    pub public: bool,
    pub changes_world: bool,
}

pub(super) const NONE: &[State] = &[State::None];
const DOCUMENT_STATES: &[State] = &[State::Draft, State::Published];

pub(super) fn row(
    op: &'static str,
    method: Method,
    path: &'static str,
    body: Option<Value>,
    states: &'static [State],
) -> Row {
    Row { op, method, path, body, states, public: false, changes_world: false }
}

pub fn rows() -> Vec<Row> {
    use Method as M;
    let reason = || Some(json!({"reason": "The provision is not quantified."}));
    let mut rows = vec![
        row("getAdvice", M::GET, "/api/v1/advice-requests/{request}/advice", None, &ADVICE_STATES),
        row(
            "saveAdvice",
            M::PUT,
            "/api/v1/advice-requests/{request}/advice",
            Some(json!({"will_provide": "yes_known_meets_criteria"})),
            &ADVICE_STATES,
        ),
        row(
            "submitAdvice",
            M::POST,
            "/api/v1/advice-requests/{request}/advice/submit",
            Some(json!({})),
            &ADVICE_STATES,
        ),
        row(
            "endorseAdvice",
            M::POST,
            "/api/v1/advice-requests/{request}/advice/endorse",
            Some(json!({})),
            &ADVICE_STATES,
        ),
        row("returnAdvice", M::POST, "/api/v1/advice-requests/{request}/advice/return", reason(), &ADVICE_STATES),
        row("releaseAdvice", M::POST, "/api/v1/advice-requests/{request}/advice/release", reason(), &ADVICE_STATES),
        row("checkAdvice", M::GET, "/api/v1/advice-requests/{request}/advice/checks", None, &ADVICE_STATES),
        row("listAdviceChecks", M::GET, "/api/v1/advice-checks", None, NONE),
        row("setAdviceCheck", M::PUT, "/api/v1/advice-checks/phone_number", Some(json!({"severity": "warning"})), NONE),
        row("listAdviceVersions", M::GET, "/api/v1/advice-requests/{request}/advice/versions", None, &ADVICE_STATES),
        row("getAdviceVersion", M::GET, "/api/v1/advice-requests/{request}/advice/versions/1", None, &ADVICE_STATES),
        row(
            "assignAdviceRequest",
            M::POST,
            "/api/v1/advice-requests/{request}/assign",
            Some(json!({"user_id": "{author}"})),
            &ADVICE_STATES,
        ),
        row("listDocuments", M::GET, "/api/v1/advice-requests/{request}/documents", None, &ADVICE_STATES),
        row("uploadDocument", M::POST, "/api/v1/advice-requests/{request}/documents", None, &ADVICE_STATES),
        row(
            "withdrawAdviceRequest",
            M::POST,
            "/api/v1/advice-requests/{request}/withdraw",
            Some(json!({})),
            &ADVICE_STATES,
        ),
        row("getDocument", M::GET, "/api/v1/documents/{document}", None, DOCUMENT_STATES),
        row("downloadDocument", M::GET, "/api/v1/documents/{document}/content", None, DOCUMENT_STATES),
        row("deleteDocument", M::DELETE, "/api/v1/documents/{document}", None, DOCUMENT_STATES),
        row("listCases", M::GET, "/api/v1/cases", None, NONE),
        row("listApiClients", M::GET, "/api/v1/api-clients", None, NONE),
        // The plan and its review cycle: operations_plans.rs.
        row(
            "registerApiClient",
            M::POST,
            "/api/v1/api-clients",
            Some(json!({"name": "Matrix system", "contact_email": "ict@matrix.example", "scopes": ["cases:read"]})),
            NONE,
        ),
        row("getApiClient", M::GET, "/api/v1/api-clients/0190a000-0000-7000-8000-000000000001", None, NONE),
        row(
            "revokeApiClient",
            M::POST,
            "/api/v1/api-clients/0190a000-0000-7000-8000-000000000001/revoke",
            Some(json!({})),
            NONE,
        ),
        row(
            "addApiClientSecret",
            M::POST,
            "/api/v1/api-clients/0190a000-0000-7000-8000-000000000001/secrets",
            Some(json!({})),
            NONE,
        ),
        row(
            "removeApiClientSecret",
            M::DELETE,
            "/api/v1/api-clients/0190a000-0000-7000-8000-000000000001/secrets/0190a000-0000-7000-8000-000000000002",
            None,
            NONE,
        ),
        row("listEvents", M::GET, "/api/v1/events", None, NONE),
        row("issueClientToken", M::POST, "/api/v1/oauth/token", None, NONE),
        row(
            "createWebhookEndpoint",
            M::POST,
            "/api/v1/webhooks/endpoints",
            Some(json!({"url": "https://cms.example/hook", "event_types": ["case.created"]})),
            NONE,
        ),
        row("listWebhookEndpoints", M::GET, "/api/v1/webhooks/endpoints", None, NONE),
        row("getWebhookEndpoint", M::GET, "/api/v1/webhooks/endpoints/0190a000-0000-7000-8000-000000000003", None, NONE),
        row("deleteWebhookEndpoint", M::DELETE, "/api/v1/webhooks/endpoints/0190a000-0000-7000-8000-000000000003", None, NONE),
        row("rotateWebhookSecret", M::POST, "/api/v1/webhooks/endpoints/0190a000-0000-7000-8000-000000000003/rotate-secret", Some(json!({})), NONE),
        row("enableWebhookEndpoint", M::POST, "/api/v1/webhooks/endpoints/0190a000-0000-7000-8000-000000000003/enable", Some(json!({})), NONE),
        row("listWebhookDeliveries", M::GET, "/api/v1/webhooks/endpoints/0190a000-0000-7000-8000-000000000003/deliveries", None, NONE),
        row(
            "redeliverWebhook",
            M::POST,
            "/api/v1/webhooks/endpoints/0190a000-0000-7000-8000-000000000003/deliveries/0190a000-0000-7000-8000-000000000004/redeliver",
            Some(json!({})),
            NONE,
        ),
        row(
            "createCase",
            M::POST,
            "/api/v1/cases",
            Some(
                json!({"given_name": "Matrix", "family_name": "Example", "date_of_birth": "2017-05-05", "request_received_on": "2026-11-03", "request_source": "school"}),
            ),
            NONE,
        ),
        row("getCase", M::GET, "/api/v1/cases/{case}", None, NONE),
        row("correctCase", M::PATCH, "/api/v1/cases/{case}", Some(json!({"looked_after": false})), NONE),
        row("listAdviceRequests", M::GET, "/api/v1/cases/{case}/advice-requests", None, NONE),
        row(
            "createAdviceRequest",
            M::POST,
            "/api/v1/cases/{case}/advice-requests",
            Some(json!({"specialism": "social_care", "areas": ["social_care"], "addressee_user_id": "{author}"})),
            NONE,
        ),
        row("getCaseAudit", M::GET, "/api/v1/cases/{case}/audit", None, NONE),
        row("listDecisions", M::GET, "/api/v1/cases/{case}/decisions", None, NONE),
        row(
            "recordDecision",
            M::POST,
            "/api/v1/cases/{case}/decisions",
            Some(json!({"kind": "to_assess", "outcome": "yes", "decided_on": "2026-11-20"})),
            NONE,
        ),
        row(
            "recordException",
            M::POST,
            "/api/v1/cases/{case}/exceptions",
            Some(json!({"exception": "no_such_exception", "reason": "Matrix.", "starts_on": "2026-11-20"})),
            NONE,
        ),
        row("exportCase", M::GET, "/api/v1/cases/{case}/export", None, NONE),
        row(
            "placeLegalHold",
            M::PUT,
            "/api/v1/cases/{case}/legal-hold",
            Some(json!({"reason": "Tribunal appeal pending."})),
            NONE,
        ),
        row("liftLegalHold", M::DELETE, "/api/v1/cases/{case}/legal-hold", None, NONE),
        row("listParticipants", M::GET, "/api/v1/cases/{case}/participants", None, NONE),
        row("addParticipant", M::POST, "/api/v1/cases/{case}/participants", Some(json!({"user_id": "{spare}"})), NONE),
        row("removeParticipant", M::DELETE, "/api/v1/cases/{case}/participants/{place}", None, NONE),
        row("getTimeline", M::GET, "/api/v1/cases/{case}/timeline", None, NONE),
        row("listClosures", M::GET, "/api/v1/closures", None, NONE),
        row(
            "createClosure",
            M::POST,
            "/api/v1/closures",
            Some(
                json!({"setting": "college", "first_closed_on": "2027-04-01", "reopens_on": "2027-04-12", "description": "Easter"}),
            ),
            NONE,
        ),
        row("deleteClosure", M::DELETE, "/api/v1/closures/{closure}", None, NONE),
        row("listInvitations", M::GET, "/api/v1/invitations", None, NONE),
        row(
            "createInvitation",
            M::POST,
            "/api/v1/invitations",
            Some(
                json!({"email": "matrix@school.example", "name": "Robin Example", "role": "professional", "specialism": "education"}),
            ),
            NONE,
        ),
        row("revokeInvitation", M::DELETE, "/api/v1/invitations/{invitation}", None, NONE),
        row("getMe", M::GET, "/api/v1/me", None, NONE),
        row("editMe", M::PATCH, "/api/v1/me", Some(json!({"job_title": "Matrix"})), NONE),
        row(
            "acceptMembershipInvitation",
            M::POST,
            "/api/v1/me/invitations/0193a5c2-7d1e-7c3a-9f4b-2e8d6a1b0c9f/accept",
            Some(json!({})),
            NONE,
        ),
        row("myRequests", M::GET, "/api/v1/me/requests", None, NONE),
        row("startSecondFactorChange", M::POST, "/api/v1/me/second-factor/challenge", Some(json!({})), NONE),
        row(
            "changeSecondFactor",
            M::PUT,
            "/api/v1/me/second-factor",
            Some(json!({"mfa_token": "not-a-step-token", "code": "123456", "channel": "totp"})),
            NONE,
        ),
        row(
            "startPasskeyRegistration",
            M::POST,
            "/api/v1/me/passkeys/options",
            Some(json!({"mfa_token": "not-a-step-token", "code": "123456"})),
            NONE,
        ),
        row(
            "registerPasskey",
            M::POST,
            "/api/v1/me/passkeys",
            Some(json!({"ceremony_id": "none", "name": "Laptop", "credential": {}})),
            NONE,
        ),
        row("listPasskeys", M::GET, "/api/v1/me/passkeys", None, NONE),
        row(
            "removePasskey",
            M::POST,
            "/api/v1/me/passkeys/none/remove",
            Some(json!({"mfa_token": "not-a-step-token", "code": "123456"})),
            NONE,
        ),
        row("getFactorPolicy", M::GET, "/api/v1/factor-policy", None, NONE),
        row("setFactorPolicy", M::PUT, "/api/v1/factor-policy", Some(json!({"strong_for_staff": false})), NONE),
        row("listOrganisations", M::GET, "/api/v1/organisations", None, NONE),
        row(
            "createOrganisation",
            M::POST,
            "/api/v1/organisations",
            Some(json!({"name": "Matrix School", "kind": "school"})),
            NONE,
        ),
        row("getEscalation", M::GET, "/api/v1/organisations/{org}/escalation", None, NONE),
        row(
            "setEscalation",
            M::PUT,
            "/api/v1/organisations/{org}/escalation",
            Some(json!({"service_manager_after_days": 5})),
            NONE,
        ),
        row("sen2Return", M::GET, "/api/v1/reports/sen2?year=2026", None, NONE),
        row("timelinessReport", M::GET, "/api/v1/reports/timeliness?from=2026-01-01&to=2026-12-31", None, NONE),
        row("listTeams", M::GET, "/api/v1/teams", None, NONE),
        row(
            "createTeam",
            M::POST,
            "/api/v1/teams",
            Some(json!({"organisation_id": "{org}", "name": "Matrix team"})),
            NONE,
        ),
        row(
            "setTeamMember",
            M::PUT,
            "/api/v1/teams/{team}/members/{spare}",
            Some(json!({"team_role": "member"})),
            NONE,
        ),
        row("listUsers", M::GET, "/api/v1/users", None, NONE),
        row("enableUser", M::POST, "/api/v1/users/{spare}/enable", Some(json!({})), NONE),
        row("disableUser", M::POST, "/api/v1/users/{user}/disable", Some(json!({})), NONE),
        row("chooseCouncil", M::PUT, "/api/v1/me/council", Some(json!({"local_authority_id": "{council_a}"})), NONE),
        row("logout", M::POST, "/api/v1/auth/logout", Some(json!({})), NONE),
    ];
    for op in [
        "submitAdvice",
        "endorseAdvice",
        "returnAdvice",
        "releaseAdvice",
        "withdrawAdviceRequest",
        "deleteDocument",
        "removeParticipant",
        "deleteClosure",
        "revokeInvitation",
        "disableUser",
        "chooseCouncil",
        "logout",
    ] {
        rows.iter_mut().filter(|r| r.op == op).for_each(|r| r.changes_world = true);
    }
    let public = |op, method, path, body: Value| Row {
        op,
        method,
        path,
        body: Some(body),
        states: NONE,
        public: true,
        changes_world: false,
    };
    rows.extend([
        public(
            "login",
            M::POST,
            "/api/v1/auth/login",
            json!({"email": "nobody@school.example", "password": "not the password"}),
        ),
        public("resendCode", M::POST, "/api/v1/auth/mfa/resend", json!({"mfa_token": "not-a-step-token"})),
        public(
            "verifyMfa",
            M::POST,
            "/api/v1/auth/mfa/verify",
            json!({"mfa_token": "not-a-step-token", "code": "123456"}),
        ),
        public(
            "requestPasswordReset",
            M::POST,
            "/api/v1/auth/password-reset",
            json!({"email": "nobody@school.example"}),
        ),
        public(
            "completePasswordReset",
            M::POST,
            "/api/v1/auth/password-reset/complete",
            json!({"token": "not-a-token", "password": "correct horse battery staple 42"}),
        ),
        public("refreshTokens", M::POST, "/api/v1/auth/refresh", json!({"refresh_token": "not-a-token"})),
        public(
            "register",
            M::POST,
            "/api/v1/auth/register",
            json!({"token": "not-a-token", "password": "correct horse battery staple 42", "channel": "totp"}),
        ),
        public(
            "confirmTotp",
            M::POST,
            "/api/v1/auth/totp/confirm",
            json!({"mfa_token": "not-a-step-token", "code": "123456"}),
        ),
        public(
            "passkeyLoginOptions",
            M::POST,
            "/api/v1/auth/mfa/passkey/options",
            json!({"mfa_token": "not-a-step-token"}),
        ),
        public(
            "passkeyLoginVerify",
            M::POST,
            "/api/v1/auth/mfa/passkey/verify",
            json!({"mfa_token": "not-a-step-token", "credential": {}}),
        ),
        public(
            "confirmPasskey",
            M::POST,
            "/api/v1/auth/passkey/confirm",
            json!({"mfa_token": "not-a-step-token", "ceremony_id": "none", "name": "Phone", "credential": {}}),
        ),
        public("inspectInvitation", M::POST, "/api/v1/invitations/inspect", json!({"token": "not-a-token"})),
    ]);
    rows.push(Row {
        op: "healthz",
        method: M::GET,
        path: "/healthz",
        body: None,
        states: NONE,
        public: true,
        changes_world: false,
    });
    rows.push(Row {
        op: "readyz",
        method: M::GET,
        path: "/readyz",
        body: None,
        states: NONE,
        public: true,
        changes_world: false,
    });
    rows.extend(super::operations_plans::rows());
    rows
}
