//! Authenticator-app codes (RFC 6238: SHA-1, 6 digits, 30 s). A code is
//! accepted one step either side of now, and each step only once (the
//! caller records the step; see `users::claim_totp_step`).

use ehc_domain::otp_policy::{TOTP_SKEW_STEPS, TOTP_STEP_SECONDS};
use totp_rs::{Algorithm, Builder, Secret, Totp};

pub struct Enrolment {
    pub secret_bytes: Vec<u8>,
    pub otpauth_uri: String,
    pub qr_png_base64: String,
}

fn totp(secret: &[u8], issuer: &str) -> Result<Totp, String> {
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(TOTP_SKEW_STEPS as u16)
        .with_step_duration(TOTP_STEP_SECONDS as u64)
        .with_secret(secret.to_vec())
        .with_issuer(Some(issuer))
        // The label shows in the app; it is neutral so the QR code holds no personal data.
        .with_account_name("login")
        .build()
        .map_err(|e| e.to_string())
}

/// A new secret with its provisioning URI and QR code.
pub fn enrol(issuer: &str) -> Result<Enrolment, String> {
    let secret = Secret::generate();
    let t = totp(secret.as_bytes(), issuer)?;
    Ok(Enrolment {
        otpauth_uri: t.to_url().map_err(|e| e.to_string())?,
        qr_png_base64: t.to_qr_base64().map_err(|e| e.to_string())?,
        secret_bytes: secret.as_bytes().to_vec(),
    })
}

/// The time step the code belongs to, if it matches any step within the skew.
pub fn matching_step(secret: &[u8], code: &str, unix_now: i64) -> Option<i64> {
    let t = totp(secret, "EHC Hub").ok()?;
    t.check(code, u64::try_from(unix_now).ok()?).and_then(|step| i64::try_from(step).ok())
}

/// The code for a moment (tests and tools).
pub fn code_at(secret: &[u8], unix_time: i64) -> Option<String> {
    let t = totp(secret, "EHC Hub").ok()?;
    Some(t.generate(u64::try_from(unix_time).ok()?).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_codes_within_one_step() {
        let enrolment = enrol("EHC Hub").unwrap();
        let secret = &enrolment.secret_bytes;
        let now = 1_700_000_000i64;
        assert_eq!(matching_step(secret, &code_at(secret, now).unwrap(), now), Some(now / 30));
        assert_eq!(matching_step(secret, &code_at(secret, now - 30).unwrap(), now), Some(now / 30 - 1));
        assert_eq!(matching_step(secret, &code_at(secret, now - 95).unwrap(), now), None);
        assert!(enrolment.otpauth_uri.starts_with("otpauth://totp/"));
    }
}
