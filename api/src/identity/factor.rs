//! What a new second factor needs before it is stored: the phone encrypted
//! and masked, or a fresh authenticator secret (encrypted) with its QR code.
//! Shared by registration and the change of second factor.

use ehc_domain::phone::mask_phone;
use ehc_domain::second_factor::SecondFactor;

use crate::error::ApiError;
use crate::security::totp::{self, Enrolment};
use crate::state::AppState;

pub struct NewFactor {
    pub phone_ciphertext: Option<Vec<u8>>,
    pub phone_masked: Option<String>,
    /// For an authenticator app: shown once to the user to scan.
    pub enrolment: Option<Enrolment>,
    pub totp_ciphertext: Option<Vec<u8>>,
}

/// `phone` is the checked E.164 number, for sms and voice.
pub fn prepare(state: &AppState, channel: SecondFactor, phone: Option<&str>) -> Result<NewFactor, ApiError> {
    let phone_ciphertext = phone.map(|p| state.keys.encrypt(p.as_bytes())).transpose().map_err(ApiError::internal)?;
    let enrolment = if channel == SecondFactor::Totp {
        Some(totp::enrol(&state.service_name).map_err(ApiError::internal)?)
    } else {
        None
    };
    let totp_ciphertext =
        enrolment.as_ref().map(|e| state.keys.encrypt(&e.secret_bytes)).transpose().map_err(ApiError::internal)?;
    Ok(NewFactor { phone_ciphertext, phone_masked: phone.map(mask_phone), enrolment, totp_ciphertext })
}
