//! Configuration: `EHC_*` environment variables over an optional TOML file
//! (`EHC_CONFIG`), validated once at boot and passed into the app. Errors
//! name the variable at fault; secrets are `SecretString` and never printed.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;

use secrecy::{ExposeSecret, SecretString};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Embedded,
    Production,
}

#[derive(Debug, Clone)]
pub enum BlobConfig {
    Local {
        dir: PathBuf,
    },
    S3 {
        endpoint: Option<String>,
        region: String,
        bucket: String,
        access_key_id: String,
        secret_access_key: SecretString,
        path_style: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    None,
    StartTls,
    Tls,
}

#[derive(Debug, Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub username: Option<String>,
    pub password: Option<SecretString>,
}

#[derive(Debug, Clone)]
pub struct NotifyConfig {
    pub api_key: SecretString,
    pub base_url: String,
    pub email_template_id: String,
    pub sms_template_id: String,
}

#[derive(Debug, Clone)]
pub struct VoiceConfig {
    pub url: String,
    pub token: SecretString,
}

/// Where each kind of message goes.
#[derive(Debug, Clone)]
pub enum EmailTransport {
    Outbox,
    Smtp(SmtpConfig),
    Notify,
}

#[derive(Debug, Clone)]
pub enum SmsTransport {
    Outbox,
    Notify,
}

#[derive(Debug, Clone)]
pub enum VoiceTransport {
    Outbox,
    Http(VoiceConfig),
}

#[derive(Debug, Clone)]
pub struct Config {
    pub mode: Mode,
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: SecretString,
    pub db_pool_size: u32,
    pub public_url: String,
    pub service_name: String,
    pub signing_key: SecretString,
    /// 32 bytes for AES-256-GCM (phone numbers and authenticator secrets at rest).
    pub encryption_key: SecretString,
    pub blob: BlobConfig,
    pub outbox_dir: PathBuf,
    pub mail_from: String,
    pub email: EmailTransport,
    pub sms: SmsTransport,
    pub voice: VoiceTransport,
    pub notify: Option<NotifyConfig>,
    pub max_json_bytes: usize,
    pub max_upload_bytes: u64,
    pub clamd_addr: Option<String>,
    /// Use `X-Forwarded-For` for the client address (only behind a proxy you run).
    pub trust_proxy_headers: bool,
    /// Run the notification dispatcher in this instance (default true).
    pub dispatcher: bool,
    /// Run the scheduled jobs (reminders and escalations, the retention
    /// purge) in this instance (default true; safe on several at once).
    pub jobs: bool,
    /// Case records are kept until the date of birth plus this many years.
    pub retention_years: u32,
    /// Days off beyond the shipped England and Wales bank holidays (a later
    /// year's list, a one-off holiday), for working-day service standards.
    pub extra_bank_holidays: Vec<chrono::NaiveDate>,
    pub log_filter: String,
}

#[derive(Debug, thiserror::Error)]
#[error("configuration error in {variable}: {problem}")]
pub struct ConfigError {
    pub variable: String,
    pub problem: String,
}

fn err(variable: &str, problem: impl Into<String>) -> ConfigError {
    ConfigError { variable: variable.to_owned(), problem: problem.into() }
}

/// Values known to be examples; production refuses them as keys.
const KNOWN_DEV_KEYS: &[&str] =
    &["change-me", "changeme", "secret", "dev", "development", "ehc-hub-dev-signing-key-not-for-production"];
pub const MIN_SIGNING_KEY_CHARS: usize = 32;

/// The raw settings: file values first, then the environment on top.
pub struct Settings(HashMap<String, String>);

impl Settings {
    pub fn from_process() -> Result<Settings, ConfigError> {
        let env: HashMap<String, String> = std::env::vars().filter(|(k, _)| k.starts_with("EHC_")).collect();
        Settings::from_env_and_file(env)
    }

    /// `EHC_CONFIG` names a TOML file of flat keys, each the variable name
    /// without `EHC_` in lower case (`database_url = "postgres://…"`).
    pub fn from_env_and_file(env: HashMap<String, String>) -> Result<Settings, ConfigError> {
        let mut values = HashMap::new();
        if let Some(path) = env.get("EHC_CONFIG") {
            let text =
                std::fs::read_to_string(path).map_err(|e| err("EHC_CONFIG", format!("cannot read {path}: {e}")))?;
            let table: toml::Table =
                toml::from_str(&text).map_err(|e| err("EHC_CONFIG", format!("invalid TOML: {e}")))?;
            for (key, value) in table {
                let text = match value {
                    toml::Value::String(s) => s,
                    other => other.to_string(),
                };
                values.insert(format!("EHC_{}", key.to_uppercase()), text);
            }
        }
        values.extend(env);
        Ok(Settings(values))
    }

    pub fn from_map(values: HashMap<String, String>) -> Settings {
        Settings(values)
    }

    fn get(&self, key: &str) -> Option<String> {
        self.0.get(key).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
    }

    fn required(&self, key: &str) -> Result<String, ConfigError> {
        self.get(key).ok_or_else(|| err(key, "is required"))
    }

    fn parsed<T: std::str::FromStr>(&self, key: &str, default: T) -> Result<T, ConfigError>
    where
        T::Err: std::fmt::Display,
    {
        match self.get(key) {
            None => Ok(default),
            Some(v) => v.parse().map_err(|e| err(key, format!("cannot parse {v:?}: {e}"))),
        }
    }

    fn flag(&self, key: &str, default: bool) -> Result<bool, ConfigError> {
        match self.get(key).as_deref() {
            None => Ok(default),
            Some("1" | "true" | "yes" | "on") => Ok(true),
            Some("0" | "false" | "no" | "off") => Ok(false),
            Some(other) => Err(err(key, format!("expected true or false, got {other:?}"))),
        }
    }
}

impl Config {
    pub fn from_settings(s: &Settings) -> Result<Config, ConfigError> {
        let mode = match s.get("EHC_ENV").as_deref() {
            None | Some("embedded") | Some("development") => Mode::Embedded,
            Some("production") => Mode::Production,
            Some(other) => return Err(err("EHC_ENV", format!("must be embedded or production, not {other:?}"))),
        };
        let production = mode == Mode::Production;
        let listen: SocketAddr = s.parsed("EHC_LISTEN", SocketAddr::from(([127, 0, 0, 1], 8080)))?;
        let data_dir = PathBuf::from(s.get("EHC_DATA_DIR").unwrap_or_else(|| "./data".to_owned()));

        let database_url = match s.get("EHC_DATABASE_URL") {
            Some(url) => url,
            None if production => return Err(err("EHC_DATABASE_URL", "is required in production (postgres://…)")),
            None => format!("sqlite://{}", data_dir.join("ehc-hub.db").display()),
        };
        if production && !database_url.starts_with("postgres") {
            return Err(err("EHC_DATABASE_URL", "must be a postgres:// URL in production"));
        }

        let public_url =
            s.get("EHC_PUBLIC_URL").unwrap_or_else(|| format!("http://{listen}")).trim_end_matches('/').to_owned();
        if production && !public_url.starts_with("https://") {
            return Err(err("EHC_PUBLIC_URL", "must be an https:// address in production"));
        }

        let (signing_key, encryption_key) = if production {
            (production_signing_key(s)?, production_encryption_key(s)?)
        } else {
            let keys = crate::dev_keys::load_or_create(&data_dir).map_err(|e| err("EHC_DATA_DIR", e))?;
            (
                s.get("EHC_SIGNING_KEY").map(SecretString::from).unwrap_or(keys.signing_key),
                s.get("EHC_ENCRYPTION_KEY").map(SecretString::from).unwrap_or(keys.encryption_key),
            )
        };
        check_encryption_key(&encryption_key)?;

        let blob = match s.get("EHC_BLOB_STORE").as_deref() {
            None | Some("local") => BlobConfig::Local {
                dir: s.get("EHC_BLOB_DIR").map(PathBuf::from).unwrap_or_else(|| data_dir.join("uploads")),
            },
            Some("s3") => BlobConfig::S3 {
                endpoint: s.get("EHC_S3_ENDPOINT"),
                region: s.required("EHC_S3_REGION")?,
                bucket: s.required("EHC_S3_BUCKET")?,
                access_key_id: s.required("EHC_S3_ACCESS_KEY_ID")?,
                secret_access_key: SecretString::from(s.required("EHC_S3_SECRET_ACCESS_KEY")?),
                path_style: s.flag("EHC_S3_PATH_STYLE", true)?,
            },
            Some(other) => return Err(err("EHC_BLOB_STORE", format!("must be local or s3, not {other:?}"))),
        };

        let notify = match s.get("EHC_NOTIFY_API_KEY") {
            None => None,
            Some(key) => Some(NotifyConfig {
                api_key: SecretString::from(key),
                base_url: s
                    .get("EHC_NOTIFY_BASE_URL")
                    .unwrap_or_else(|| "https://api.notifications.service.gov.uk".to_owned()),
                email_template_id: s.required("EHC_NOTIFY_EMAIL_TEMPLATE_ID")?,
                sms_template_id: s.required("EHC_NOTIFY_SMS_TEMPLATE_ID")?,
            }),
        };
        let needs_notify =
            |var: &str| if notify.is_some() { Ok(()) } else { Err(err(var, "notify needs EHC_NOTIFY_API_KEY")) };

        let email = match s.get("EHC_EMAIL").as_deref() {
            None | Some("outbox") => EmailTransport::Outbox,
            Some("smtp") => EmailTransport::Smtp(smtp_config(s)?),
            Some("notify") => {
                needs_notify("EHC_EMAIL")?;
                EmailTransport::Notify
            }
            Some(other) => return Err(err("EHC_EMAIL", format!("must be outbox, smtp or notify, not {other:?}"))),
        };
        let sms = match s.get("EHC_SMS").as_deref() {
            None | Some("outbox") => SmsTransport::Outbox,
            Some("notify") => {
                needs_notify("EHC_SMS")?;
                SmsTransport::Notify
            }
            Some(other) => return Err(err("EHC_SMS", format!("must be outbox or notify, not {other:?}"))),
        };
        let voice = match s.get("EHC_VOICE").as_deref() {
            None | Some("outbox") => VoiceTransport::Outbox,
            Some("http") => VoiceTransport::Http(VoiceConfig {
                url: s.required("EHC_VOICE_URL")?,
                token: SecretString::from(s.required("EHC_VOICE_TOKEN")?),
            }),
            Some(other) => return Err(err("EHC_VOICE", format!("must be outbox or http, not {other:?}"))),
        };
        if production {
            // The dev outbox writes codes to disk in clear: never in production.
            for (var, is_outbox) in [
                ("EHC_EMAIL", matches!(email, EmailTransport::Outbox)),
                ("EHC_SMS", matches!(sms, SmsTransport::Outbox)),
                ("EHC_VOICE", matches!(voice, VoiceTransport::Outbox)),
            ] {
                if is_outbox {
                    return Err(err(var, "the development outbox cannot be used in production"));
                }
            }
        }

        Ok(Config {
            mode,
            listen,
            outbox_dir: s.get("EHC_OUTBOX_DIR").map(PathBuf::from).unwrap_or_else(|| data_dir.join("outbox")),
            data_dir,
            database_url: SecretString::from(database_url),
            db_pool_size: s.parsed("EHC_DB_POOL_SIZE", 16)?,
            public_url,
            service_name: s.get("EHC_SERVICE_NAME").unwrap_or_else(|| "EHC Hub".to_owned()),
            signing_key,
            encryption_key,
            blob,
            mail_from: s.get("EHC_MAIL_FROM").unwrap_or_else(|| "EHC Hub <no-reply@ehc-hub.invalid>".to_owned()),
            email,
            sms,
            voice,
            notify,
            max_json_bytes: s.parsed("EHC_MAX_JSON_BYTES", 256 * 1024)?,
            max_upload_bytes: s.parsed("EHC_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)?,
            clamd_addr: s.get("EHC_CLAMD_ADDR"),
            trust_proxy_headers: s.flag("EHC_TRUST_PROXY_HEADERS", false)?,
            dispatcher: s.flag("EHC_DISPATCHER", true)?,
            jobs: s.flag("EHC_JOBS", true)?,
            retention_years: retention_years(s)?,
            extra_bank_holidays: extra_bank_holidays(s)?,
            log_filter: s.get("EHC_LOG").unwrap_or_else(|| "info".to_owned()),
        })
    }

    pub fn database_url(&self) -> &str {
        self.database_url.expose_secret()
    }
}

fn production_signing_key(s: &Settings) -> Result<SecretString, ConfigError> {
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

fn production_encryption_key(s: &Settings) -> Result<SecretString, ConfigError> {
    s.get("EHC_ENCRYPTION_KEY")
        .map(SecretString::from)
        .ok_or_else(|| err("EHC_ENCRYPTION_KEY", "is required in production (32 random bytes, base64)"))
}

fn check_encryption_key(key: &SecretString) -> Result<(), ConfigError> {
    use base64::Engine;
    match base64::engine::general_purpose::STANDARD.decode(key.expose_secret()) {
        Ok(bytes) if bytes.len() == 32 => Ok(()),
        _ => Err(err("EHC_ENCRYPTION_KEY", "must be 32 bytes encoded in base64 (e.g. `openssl rand -base64 32`)")),
    }
}

fn smtp_config(s: &Settings) -> Result<SmtpConfig, ConfigError> {
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
fn retention_years(s: &Settings) -> Result<u32, ConfigError> {
    let years: u32 = s.parsed("EHC_RETENTION_YEARS", 31)?;
    if years < 26 {
        return Err(err("EHC_RETENTION_YEARS", "must be at least 26: people up to 25 may still be served"));
    }
    Ok(years)
}

/// `EHC_EXTRA_BANK_HOLIDAYS`: comma-separated dates, `2031-01-01,2031-04-18`.
fn extra_bank_holidays(s: &Settings) -> Result<Vec<chrono::NaiveDate>, ConfigError> {
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
