//! HTTP endpoints, one group per file. Each handler is registered through
//! utoipa-actix-web so the served routes and the spec cannot differ.

pub mod advice;
pub mod advice_checks;
pub mod advice_requests;
pub mod advice_review;
pub mod api_clients;
pub mod audit_log;
pub mod case_details;
pub mod cases;
pub mod closures;
pub mod decisions;
pub mod documents;
pub mod escalations;
pub mod events;
pub mod export;
pub mod health;
pub mod invitations;
pub mod legal_holds;
pub mod login;
pub mod me;
pub mod my_requests;
pub mod oauth;
pub mod organisations;
pub mod participants;
pub mod passkeys;
pub mod password_reset;
pub mod plan_responses;
pub mod plans;
pub mod registration;
pub mod reports;
pub mod review_cycle;
pub mod teams;
pub mod users;
pub mod webhooks;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::healthz).service(health::readyz);
    cfg.service(
        utoipa_actix_web::scope("/api/v1")
            .service(invitations::create_invitation)
            .service(invitations::list_invitations)
            .service(invitations::revoke_invitation)
            .service(invitations::inspect_invitation)
            .service(registration::register)
            .service(registration::confirm_totp)
            .service(login::login)
            .service(login::verify_mfa)
            .service(login::resend_code)
            .service(login::refresh)
            .service(login::logout)
            .service(oauth::issue_client_token)
            .service(password_reset::request_password_reset)
            .service(password_reset::complete_password_reset)
            .service(me::get_me)
            .service(me::edit_me)
            .service(me::start_factor_change)
            .service(me::change_second_factor)
            .service(me::accept_membership_invitation)
            .service(me::choose_council)
            .service(passkeys::start_passkey_registration)
            .service(passkeys::register_passkey)
            .service(passkeys::list_passkeys)
            .service(passkeys::remove_passkey)
            .service(passkeys::passkey_login_options)
            .service(passkeys::passkey_login_verify)
            .service(passkeys::confirm_passkey)
            .service(plans::start_plan)
            .service(plans::get_plan)
            .service(plans::edit_plan)
            .service(plans::issue_plan)
            .service(plans::plan_document)
            .service(plans::set_phase_transfer)
            .service(plan_responses::make_representations)
            .service(plan_responses::list_representations)
            .service(plan_responses::consult_institution)
            .service(plan_responses::list_consultations)
            .service(plan_responses::answer_consultation)
            .service(review_cycle::arrange_review_meeting)
            .service(review_cycle::circulate_review_advice)
            .service(review_cycle::cease_plan)
            .service(events::list_events)
            .service(webhooks::create_webhook_endpoint)
            .service(webhooks::list_webhook_endpoints)
            .service(webhooks::get_webhook_endpoint)
            .service(webhooks::delete_webhook_endpoint)
            .service(webhooks::rotate_webhook_secret)
            .service(webhooks::enable_webhook_endpoint)
            .service(webhooks::list_webhook_deliveries)
            .service(webhooks::redeliver_webhook)
            .service(api_clients::register_api_client)
            .service(api_clients::list_api_clients)
            .service(api_clients::get_api_client)
            .service(api_clients::add_api_client_secret)
            .service(api_clients::remove_api_client_secret)
            .service(api_clients::revoke_api_client)
            .service(users::list_users)
            .service(users::enable_user)
            .service(users::get_factor_policy)
            .service(users::set_factor_policy)
            .service(users::disable_user)
            .service(organisations::list_organisations)
            .service(organisations::create_organisation)
            .service(teams::create_team)
            .service(teams::list_teams)
            .service(teams::set_team_member)
            .service(cases::create_case)
            .service(cases::list_cases)
            .service(cases::get_case)
            .service(case_details::correct_case)
            .service(participants::add_participant)
            .service(participants::list_participants)
            .service(participants::remove_participant)
            .service(advice_requests::create_advice_request)
            .service(advice_requests::list_advice_requests)
            .service(my_requests::my_requests)
            .service(advice_requests::assign)
            .service(advice_requests::withdraw)
            .service(advice::get_advice)
            .service(advice::save_advice)
            .service(advice::submit_advice)
            .service(advice::check_advice)
            .service(advice_checks::list_advice_checks)
            .service(advice_checks::set_advice_check)
            .service(advice_review::endorse_advice)
            .service(advice_review::return_advice)
            .service(advice_review::release_advice)
            .service(advice::list_versions)
            .service(advice::get_version)
            .service(documents::upload_document)
            .service(documents::list_documents)
            .service(documents::get_document)
            .service(documents::download_document)
            .service(documents::delete_document)
            .service(decisions::record_decision)
            .service(decisions::list_decisions)
            .service(decisions::record_exception)
            .service(decisions::get_timeline)
            .service(closures::create_closure)
            .service(closures::list_closures)
            .service(closures::delete_closure)
            .service(escalations::get_escalation)
            .service(escalations::set_escalation)
            .service(audit_log::get_case_audit)
            .service(export::export_case)
            .service(legal_holds::place_legal_hold)
            .service(legal_holds::lift_legal_hold)
            .service(reports::timeliness_report)
            .service(reports::sen2_return),
    );
}
