//! The advice form (seed 002; DOMAIN.md "Advice requests") and its rules.

mod form;
mod lifecycle;
pub mod quality;
mod request_rules;
mod request_status;
mod submit_rules;

pub use form::*;
pub use lifecycle::*;
pub use request_rules::{asks_views, check_addressee, check_request};
pub use request_status::RequestStatus;
pub use submit_rules::{too_long, validate_for_submit};
