//! Settings with rules of their own: keys production accepts, the SMTP relay,
//! the retention period and extra bank holidays.

use secrecy::{ExposeSecret, SecretString};

use super::settings::{err, ConfigError, Settings};
use super::{SmtpConfig, SmtpTls};

/// Values known to be examples; production refuses them as keys.
const KNOWN_DEV_KEYS: &[&str] =
    &["change-me", "changeme", "secret", "dev", "development", "ehc-hub-dev-signing-key-not-for-production"];
pub const MIN_SIGNING_KEY_CHARS: usize = 32;

pub(crate) fn production_signing_key(s: &Settings) -> Result<SecretString, ConfigError> {
    let key = s.get("EHC_SIGNING_KEY").ok_or_else(|| err("EHC_SIGNING_KEY", "is required in production"))?;
    if key.chars().count() < MIN_SIGNING_KEY_CHARS {
        return Err(err("EHC_SIGNING_KEY", format!("must be at least {MIN_SIGNING_KEY_CHARS} characters")));
    }
    if KNOWN_DEV_KEYS.contains(&key.to_lowercase().as_str())
        || key.chars().all(|c| c == key.chars().next().unwrap_or(c))
    {
        return Err(err("EHC_SIGNING_KEY", "is a default or trivial value"));
    }
    Ok(SecretString::from(key))
}

pub(crate) fn production_encryption_key(s: &Settings) -> Result<SecretString, ConfigError> {
    s.get("EHC_ENCRYPTION_KEY")
        .map(SecretString::from)
        .ok_or_else(|| err("EHC_ENCRYPTION_KEY", "is required in production (32 random bytes, base64)"))
}

pub(crate) fn check_encryption_key(key: &SecretString) -> Result<(), ConfigError> {
    use base64::Engine;
    match base64::engine::general_purpose::STANDARD.decode(key.expose_secret()) {
        Ok(bytes) if bytes.len() == 32 => Ok(()),
        _ => Err(err("EHC_ENCRYPTION_KEY", "must be 32 bytes encoded in base64 (e.g. `openssl rand -base64 32`)")),
    }
}

pub(crate) fn smtp_config(s: &Settings) -> Result<SmtpConfig, ConfigError> {
    let tls = match s.get("EHC_SMTP_TLS").as_deref() {
        None | Some("starttls") => SmtpTls::StartTls,
        Some("tls") => SmtpTls::Tls,
        Some("none") => SmtpTls::None,
        Some(other) => return Err(err("EHC_SMTP_TLS", format!("must be starttls, tls or none, not {other:?}"))),
    };
    Ok(SmtpConfig {
        host: s.required("EHC_SMTP_HOST")?,
        port: s.parsed("EHC_SMTP_PORT", if tls == SmtpTls::Tls { 465 } else { 587 })?,
        tls,
        username: s.get("EHC_SMTP_USERNAME"),
        password: s.get("EHC_SMTP_PASSWORD").map(SecretString::from),
    })
}

/// Records of SEND files are commonly kept until date of birth + 31 years
/// (seed 004); fewer than 25 would purge the records of people the hub may
/// still serve (0-25).
pub(crate) fn retention_years(s: &Settings) -> Result<u32, ConfigError> {
    let years: u32 = s.parsed("EHC_RETENTION_YEARS", 31)?;
    if years < 26 {
        return Err(err("EHC_RETENTION_YEARS", "must be at least 26: people up to 25 may still be served"));
    }
    Ok(years)
}

/// `EHC_EXTRA_BANK_HOLIDAYS`: comma-separated dates, `2031-01-01,2031-04-18`.
pub(crate) fn extra_bank_holidays(s: &Settings) -> Result<Vec<chrono::NaiveDate>, ConfigError> {
    let Some(list) = s.get("EHC_EXTRA_BANK_HOLIDAYS") else { return Ok(Vec::new()) };
    list.split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| {
            chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| err("EHC_EXTRA_BANK_HOLIDAYS", format!("{d:?} is not a date like 2031-01-01")))
        })
        .collect()
}
