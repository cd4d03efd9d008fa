//! Queries behind accounts and logins.

pub mod challenges;
pub mod factor_policies;
pub mod invitations;
pub mod memberships;
pub mod organisations;
pub mod passkeys;
pub mod password_resets;
pub mod recovery_codes;
pub mod sessions;
pub mod users;
