//! Queries behind partner IT systems: their clients, the stored answers of
//! Idempotency-Key, and the events feed.

pub mod api_clients;
pub mod events;
pub mod idempotency;
pub mod webhooks;
