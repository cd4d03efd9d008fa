//! HTTP endpoints, one group per file. Each handler is registered through
//! utoipa-actix-web so the served routes and the spec cannot differ.

pub mod health;
pub mod invitations;
pub mod login;
pub mod me;
pub mod organisations;
pub mod password_reset;
pub mod registration;
pub mod users;

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
            .service(password_reset::request_password_reset)
            .service(password_reset::complete_password_reset)
            .service(me::get_me)
            .service(me::start_factor_change)
            .service(me::change_second_factor)
            .service(users::list_users)
            .service(users::disable_user)
            .service(organisations::list_organisations)
            .service(organisations::create_organisation),
    );
}
