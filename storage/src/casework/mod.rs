//! Queries behind cases and advice. Every read that takes an id from a
//! caller is scoped by who asks: what they may not see is "not found".

pub mod advice;
pub mod advice_checks;
pub mod alerts;
pub mod cases;
pub mod closures;
pub mod decisions;
pub mod documents;
pub mod participants;
pub mod plan_responses;
pub mod plans;
pub mod requests;
pub mod retention;
pub mod review_cycle;
pub mod step_alerts;
pub mod teams;
