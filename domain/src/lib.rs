//! Pure rules and types of the EHC hub: who may do what, what a valid phone
//! number or password is, the limits of one-time passcodes, and the texts of
//! the messages we send. Nothing here performs I/O.

pub mod access;
pub mod advice;
pub mod alerts;
pub mod audit;
pub mod cases;
pub mod codes;
pub mod documents;
pub mod email;
pub mod events;
pub mod field_error;
pub mod messages;
pub mod otp_policy;
pub mod password;
pub mod phone;
pub mod plan;
pub mod reports;
pub mod retention;
pub mod review_reports;
pub mod roles;
pub mod scopes;
pub mod second_factor;
pub mod sen2;
pub mod sen2_xml;
pub mod statutory;
pub mod upload_checks;
pub mod webhooks;
