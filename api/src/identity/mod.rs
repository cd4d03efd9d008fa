//! The identity workflows behind the auth endpoints, free of HTTP details.

pub mod account;
pub mod challenge;
pub mod factor;
pub mod login;
pub mod memberships;
pub mod passkey_enrolment;
pub mod passkey_login;
pub mod passkeys;
pub mod password_reset;
pub mod registration;
pub mod session;
pub mod step;
