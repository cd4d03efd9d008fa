//! Configuration: `EHC_*` environment variables over an optional TOML file
//! (`EHC_CONFIG`), validated once at boot and passed into the app. Errors
//! name the variable at fault; secrets are `SecretString` and never printed.

use std::net::SocketAddr;
use std::path::PathBuf;

use secrecy::{ExposeSecret, SecretString};

mod checks;
mod edge;
mod settings;

pub use checks::MIN_SIGNING_KEY_CHARS;
use checks::{
    check_encryption_key, extra_bank_holidays, production_encryption_key, production_signing_key, retention_years,
    smtp_config,
};
pub use edge::Scanning;
use settings::err;
pub use settings::{ConfigError, Settings};

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
    pub scanning: Scanning,
    /// The proxies (CIDRs) whose `X-Forwarded-For` hop is believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Browser origins allowed to call the API (CORS); none by default.
    pub cors_origins: Vec<String>,
    /// `EHC_METRICS_TOKEN`: the bearer token Prometheus scrapes `/metrics`
    /// with; `/metrics` is off without one.
    pub metrics_token: Option<SecretString>,
    /// Run the notification dispatcher in this instance (default true).
    pub dispatcher: bool,
    /// Run the scheduled jobs (reminders and escalations, the retention
    /// purge) in this instance (default true; safe on several at once).
    pub jobs: bool,
    /// Webhook endpoints may be http and on private, loopback or link-local
    /// addresses (`EHC_WEBHOOKS_ALLOW_LOCAL`; default only in embedded mode).
    pub webhooks_allow_local: bool,
    /// Case records are kept until the date of birth plus this many years.
    pub retention_years: u32,
    /// Days off beyond the shipped England and Wales bank holidays (a later
    /// year's list, a one-off holiday), for working-day service standards.
    pub extra_bank_holidays: Vec<chrono::NaiveDate>,
    pub log_filter: String,
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
            scanning: edge::scanning(s, production)?,
            trusted_proxies: edge::trusted_proxies(s)?,
            cors_origins: edge::cors_origins(s, production)?,
            metrics_token: edge::metrics_token(s)?,
            dispatcher: s.flag("EHC_DISPATCHER", true)?,
            jobs: s.flag("EHC_JOBS", true)?,
            webhooks_allow_local: s.flag("EHC_WEBHOOKS_ALLOW_LOCAL", !production)?,
            retention_years: retention_years(s)?,
            extra_bank_holidays: extra_bank_holidays(s)?,
            log_filter: s.get("EHC_LOG").unwrap_or_else(|| "info".to_owned()),
        })
    }

    pub fn database_url(&self) -> &str {
        self.database_url.expose_secret()
    }
}
