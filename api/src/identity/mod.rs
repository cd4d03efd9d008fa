//! The identity workflows behind the auth endpoints, free of HTTP details.

pub mod challenge;
pub mod session;
