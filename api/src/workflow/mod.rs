//! The workflow layer: one function per use case, between HTTP and storage.
//! Each takes the principal who asks (an authenticated user today; a partner
//! system once API clients exist) and plain inputs, opens the transaction,
//! asks the access model, applies the domain rule, writes, appends the audit
//! entry and queues the notices, and returns a domain result. Route
//! handlers, CLI commands and scheduled jobs call these; nothing here knows
//! about HTTP requests or responses.

pub mod access;
pub mod advice;
pub mod advice_checks;
pub mod advice_review;
pub mod authority;
pub mod case_details;
pub mod case_events;
pub mod cases;
pub mod decisions;
pub mod documents;
pub mod export;
pub mod factor_policy;
pub mod invitations;
pub mod my_requests;
pub mod participants;
pub mod plan_responses;
pub mod plans;
pub mod records;
pub mod reports;
pub mod requests;
pub mod review_cycle;
