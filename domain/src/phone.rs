//! UK telephone numbers for second-factor codes (seed 002): a mobile for SMS,
//! or a dedicated landline for voice calls. Stored in E.164, shown only masked.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneKind {
    Mobile,
    Landline,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhoneError {
    NotUkNumber,
    WrongLength,
    NotMobile,
    NotLandline,
}

impl fmt::Display for PhoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PhoneError::NotUkNumber => "must be a UK telephone number, e.g. +447700900123 or 07700 900123",
            PhoneError::WrongLength => "has the wrong number of digits for a UK number",
            PhoneError::NotMobile => "must be a UK mobile number (starting 07) to receive text messages",
            PhoneError::NotLandline => "must be a UK geographic landline (starting 01 or 02) to receive voice calls",
        })
    }
}

impl PhoneError {
    pub fn code(&self) -> &'static str {
        match self {
            PhoneError::NotUkNumber => "not_uk_number",
            PhoneError::WrongLength => "wrong_length",
            PhoneError::NotMobile => "not_mobile",
            PhoneError::NotLandline => "not_landline",
        }
    }
}

/// Parses a number as typed by a person and checks it suits the channel.
/// Returns the E.164 form, e.g. `+447700900123`.
pub fn parse_uk_phone(raw: &str, kind: PhoneKind) -> Result<String, PhoneError> {
    let compact: String = raw.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.')).collect();
    let national = if let Some(rest) = compact.strip_prefix("+44") {
        rest.strip_prefix('0').unwrap_or(rest)
    } else if let Some(rest) = compact.strip_prefix("0044") {
        rest
    } else if let Some(rest) = compact.strip_prefix('0') {
        rest
    } else {
        return Err(PhoneError::NotUkNumber);
    };
    if national.is_empty() || !national.chars().all(|c| c.is_ascii_digit()) {
        return Err(PhoneError::NotUkNumber);
    }
    let digits = national.as_bytes();
    match kind {
        PhoneKind::Mobile => {
            // 07xxx xxxxxx, excluding 070 (personal numbering) and 076 (pagers).
            if digits[0] != b'7' || matches!(digits.get(1), Some(b'0') | Some(b'6')) {
                return Err(PhoneError::NotMobile);
            }
            if digits.len() != 10 {
                return Err(PhoneError::WrongLength);
            }
        }
        PhoneKind::Landline => {
            // Geographic numbers only: a switchboard's 03/08 number cannot
            // be a dedicated line.
            if !matches!(digits[0], b'1' | b'2') {
                return Err(PhoneError::NotLandline);
            }
            let length_ok = if digits[0] == b'2' { digits.len() == 10 } else { matches!(digits.len(), 9 | 10) };
            if !length_ok {
                return Err(PhoneError::WrongLength);
            }
        }
    }
    Ok(format!("+44{national}"))
}

/// The only form in which a number is ever shown: `•••••••123`.
pub fn mask_phone(e164: &str) -> String {
    let last: String = e164.chars().rev().take(3).collect::<Vec<_>>().into_iter().rev().collect();
    format!("•••••••{last}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_common_ways_of_writing_a_mobile() {
        for raw in ["07700 900123", "+44 7700 900123", "+44 (0)7700-900123", "00447700900123"] {
            assert_eq!(parse_uk_phone(raw, PhoneKind::Mobile), Ok("+447700900123".to_owned()), "{raw}");
        }
    }

    #[test]
    fn mobile_rules() {
        assert_eq!(parse_uk_phone("01709 123456", PhoneKind::Mobile), Err(PhoneError::NotMobile));
        assert_eq!(parse_uk_phone("07000 123456", PhoneKind::Mobile), Err(PhoneError::NotMobile));
        assert_eq!(parse_uk_phone("07700 90012", PhoneKind::Mobile), Err(PhoneError::WrongLength));
        assert_eq!(parse_uk_phone("+33612345678", PhoneKind::Mobile), Err(PhoneError::NotUkNumber));
        assert_eq!(parse_uk_phone("call me", PhoneKind::Mobile), Err(PhoneError::NotUkNumber));
        assert_eq!(parse_uk_phone("07700 9001a3", PhoneKind::Mobile), Err(PhoneError::NotUkNumber));
    }

    #[test]
    fn landline_rules() {
        assert_eq!(parse_uk_phone("01709 382121", PhoneKind::Landline), Ok("+441709382121".to_owned()));
        assert_eq!(parse_uk_phone("020 7946 0000", PhoneKind::Landline), Ok("+442079460000".to_owned()));
        assert_eq!(parse_uk_phone("0300 123 4567", PhoneKind::Landline), Err(PhoneError::NotLandline));
        assert_eq!(parse_uk_phone("07700 900123", PhoneKind::Landline), Err(PhoneError::NotLandline));
        assert_eq!(parse_uk_phone("020 7946 000", PhoneKind::Landline), Err(PhoneError::WrongLength));
    }

    #[test]
    fn masks_all_but_last_three_digits() {
        assert_eq!(mask_phone("+447700900123"), "•••••••123");
    }
}
