//! The second login step (seed 002): a code by SMS to a UK mobile (the
//! default), a code read out by a call to a dedicated UK landline, or an
//! authenticator app. A phone is needed, and of the right kind, for the first
//! two; never for the app.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::field_error::FieldError;
use crate::phone::{parse_uk_phone, PhoneKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SecondFactor {
    /// A code by text message to a UK mobile.
    Sms,
    /// A code read out by a call to a dedicated UK landline.
    Voice,
    /// An authenticator app, set up by scanning a QR code.
    Totp,
    /// A passkey (WebAuthn): the device's fingerprint, face or PIN.
    Passkey,
}

impl SecondFactor {
    pub const ALL: [SecondFactor; 4] = [Self::Sms, Self::Voice, Self::Totp, Self::Passkey];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sms => "sms",
            Self::Voice => "voice",
            Self::Totp => "totp",
            Self::Passkey => "passkey",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == code)
    }

    /// Passkeys and authenticator apps: no code travels over the phone
    /// network, where it can be intercepted or redirected.
    pub fn is_strong(self) -> bool {
        matches!(self, Self::Totp | Self::Passkey)
    }

    /// Checks the phone given for this factor; the E.164 number, or the
    /// failures pushed onto `errors`.
    pub fn phone(self, phone: Option<&str>, errors: &mut Vec<FieldError>) -> Option<String> {
        let kind = match self {
            Self::Sms => PhoneKind::Mobile,
            Self::Voice => PhoneKind::Landline,
            Self::Totp | Self::Passkey => {
                if phone.is_some() {
                    errors.push(FieldError::new("/phone", "not_applicable", "is not used with this second step"));
                }
                return None;
            }
        };
        match phone {
            None => {
                errors.push(FieldError::new("/phone", "required", "is required for this channel"));
                None
            }
            Some(raw) => parse_uk_phone(raw, kind)
                .map_err(|e| errors.push(FieldError::new("/phone", e.code(), e.to_string())))
                .ok(),
        }
    }
}

crate::stored_as_text!(SecondFactor, as_str, parse);

/// What a person calls a passkey ("Work laptop"): trimmed, 1 to 60
/// characters, nothing invisible.
pub fn check_passkey_name(raw: &str) -> Result<String, FieldError> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > 60 || name.chars().any(crate::cases::is_hidden_character) {
        return Err(FieldError::new("/name", "invalid", "must be 1 to 60 characters, without control characters"));
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_factor_takes_its_own_kind_of_phone() {
        let mut errors = Vec::new();
        assert_eq!(SecondFactor::Sms.phone(Some("07700 900123"), &mut errors).as_deref(), Some("+447700900123"));
        assert!(errors.is_empty());
        assert_eq!(SecondFactor::Voice.phone(Some("07700 900123"), &mut errors), None, "a mobile is not a landline");
        assert_eq!(SecondFactor::Totp.phone(Some("07700 900123"), &mut errors), None);
        assert_eq!(SecondFactor::Sms.phone(None, &mut errors), None);
        let codes: Vec<&str> = errors.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(codes.len(), 3);
        assert_eq!(&codes[1..], ["not_applicable", "required"]);
    }
}
