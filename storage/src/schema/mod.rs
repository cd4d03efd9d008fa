//! One diesel schema for both backends, in portable SQL types only: ids are
//! text UUIDs, times naive UTC (see docs/ARCHITECTURE.md). The tables are in
//! two files by what they hold; how they join is declared here, where every
//! table is in scope.

mod casework;
mod identity;
mod partners;

pub use casework::*;
pub use identity::*;
pub use partners::*;

diesel::joinable!(organisations -> local_authorities (local_authority_id));
diesel::joinable!(users -> organisations (organisation_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::joinable!(team_members -> teams (team_id));
diesel::joinable!(case_participants -> cases (case_id));
diesel::joinable!(advice_requests -> cases (case_id));
diesel::joinable!(advice -> advice_requests (request_id));
diesel::joinable!(documents -> advice_requests (request_id));
diesel::joinable!(memberships -> users (user_id));
diesel::joinable!(memberships -> local_authorities (local_authority_id));

diesel::joinable!(api_client_secrets -> api_clients (client_id));
diesel::joinable!(api_clients -> users (id));
diesel::joinable!(plan_versions -> plans (plan_id));
diesel::joinable!(plans -> cases (case_id));
diesel::joinable!(webhook_endpoints -> api_clients (client_id));
diesel::joinable!(webhook_deliveries -> webhook_endpoints (endpoint_id));
diesel::joinable!(webhook_deliveries -> events (event_id));
diesel::joinable!(webhook_attempts -> webhook_deliveries (delivery_id));

diesel::allow_tables_to_appear_in_same_query!(
    api_clients,
    api_client_secrets,
    client_assertions,
    idempotency_keys,
    events,
    webhook_endpoints,
    webhook_deliveries,
    webhook_attempts,
    plans,
    case_step_alerts,
    phase_transfers,
    review_meetings,
    plan_representations,
    plan_consultations,
    plan_ceasings,
    plan_versions,
    factor_policies,
    passkeys,
    webauthn_ceremonies,
    advice_check_settings,
    memberships,
    local_authorities,
    organisations,
    users,
    invitations,
    mfa_challenges,
    recovery_codes,
    sessions,
    refresh_tokens,
    password_resets,
    rate_limit_events,
    teams,
    team_members,
    cases,
    case_participants,
    advice_requests,
    advice,
    advice_versions,
    documents,
    case_decisions,
    case_exceptions,
    notifications,
    audit_log,
    audit_pending,
    escalation_policies,
    request_alerts,
    closure_periods,
    legal_holds
);
