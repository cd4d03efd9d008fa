//! Step tokens (the signed token a first step hands to the second): which
//! purposes an operation takes them for, checked in one place.

use crate::error::ApiError;
use crate::identity::challenge::{PURPOSE_LOGIN, PURPOSE_PASSWORD_RESET};
use crate::security::tokens::{verify_mfa_step, MfaStepClaims};
use crate::state::AppState;

/// The steps a login's second step answers: a login's, or a password reset's.
pub const LOGIN_PURPOSES: [&str; 2] = [PURPOSE_LOGIN, PURPOSE_PASSWORD_RESET];
pub const LOG_IN_AGAIN: &str = "The step token is invalid or has expired. Log in again.";

/// The claims of a live step token issued for one of `purposes` (and to
/// `user_id`, when given); otherwise 401 with `refusal`.
pub fn step_claims(
    state: &AppState,
    mfa_token: &str,
    purposes: &[&str],
    user_id: Option<&str>,
    refusal: &'static str,
) -> Result<MfaStepClaims, ApiError> {
    verify_mfa_step(mfa_token, state.keys.signing_key(), &state.public_url)
        .filter(|c| purposes.contains(&c.purpose.as_str()) && user_id.is_none_or(|u| c.sub == u))
        .ok_or(ApiError::Unauthorized(refusal))
}
