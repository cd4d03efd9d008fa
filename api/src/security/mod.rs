//! Cryptography used by the identity system, kept in one place.

pub mod hashing_pool;
pub mod passwords;
pub mod secrets;
pub mod tokens;
pub mod totp;
pub mod webauthn;
