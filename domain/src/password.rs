//! Password rules: long, and not guessable (NCSC guidance favours length and
//! a block-list over composition rules). Strength is zxcvbn's estimate, which
//! knows common passwords, keyboard patterns and the user's own details.

use crate::field_error::FieldError;

pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 128;
/// zxcvbn scores 0–4; 3 means "safely unguessable: moderate protection from
/// offline slow-hash scenario".
pub const MIN_STRENGTH_SCORE: u8 = 3;

/// Checks a new password; `personal` are words about the user (name, e-mail)
/// that must not make the password easier to guess.
pub fn check_new_password(password: &str, personal: &[&str], pointer: &str) -> Vec<FieldError> {
    let length = password.chars().count();
    if length < MIN_PASSWORD_CHARS {
        return vec![FieldError::new(
            pointer,
            "too_short",
            format!("must be at least {MIN_PASSWORD_CHARS} characters"),
        )];
    }
    if length > MAX_PASSWORD_CHARS {
        return vec![FieldError::new(pointer, "too_long", format!("must be at most {MAX_PASSWORD_CHARS} characters"))];
    }
    let score = u8::from(zxcvbn::zxcvbn(password, personal).score());
    if score < MIN_STRENGTH_SCORE {
        return vec![FieldError::new(
            pointer,
            "too_weak",
            "is too easy to guess: avoid common words, names and patterns; a few random words work well",
        )];
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_passwords_are_rejected() {
        assert_eq!(check_new_password("Tr0ub4dor&3", &[], "/password")[0].code, "too_short");
    }

    #[test]
    fn common_and_personal_passwords_are_rejected() {
        assert_eq!(check_new_password("password1234", &[], "/password")[0].code, "too_weak");
        assert_eq!(check_new_password("qwertyuiop123", &[], "/password")[0].code, "too_weak");
        assert_eq!(
            check_new_password("jane.bloggs@school.uk", &["jane.bloggs@school.uk"], "/password")[0].code,
            "too_weak"
        );
    }

    #[test]
    fn long_random_passphrases_pass() {
        assert!(check_new_password("correct horse battery staple orbit", &[], "/password").is_empty());
    }
}
