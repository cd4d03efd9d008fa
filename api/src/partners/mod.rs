//! Partner IT systems: registering their clients (administrators), the
//! OAuth 2.0 client-credentials grant, safe retries (Idempotency-Key) and
//! the events feed. Use cases, free of HTTP details, like `workflow/`.

pub mod clients;
pub mod dispatch;
pub mod events;
pub mod grant;
pub mod jwk;
pub mod signature;
pub mod webhooks;
