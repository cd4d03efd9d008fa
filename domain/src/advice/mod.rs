//! The advice form (seed 002; DOMAIN.md "Advice requests") and its rules.

mod form;
mod lifecycle;
mod submit_rules;

pub use form::*;
pub use lifecycle::*;
pub use submit_rules::{too_long, validate_for_submit};
