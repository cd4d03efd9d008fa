//! What every handler can reach, built once from `Config` (no globals).

use ehc_storage::blob::BlobStore;
use ehc_storage::{Database, DbConn};

use crate::error::ApiError;
use crate::messaging::Messenger;
use crate::security::secrets::Keys;

#[derive(Clone)]
pub struct AppState {
    pub db: Database,
    pub blobs: BlobStore,
    pub messenger: Messenger,
    pub keys: Keys,
    /// `iss` of our tokens and the base of links in messages.
    pub public_url: String,
    pub service_name: String,
    /// A real Argon2 hash of a random password: checked when the e-mail is
    /// unknown, so that the answer takes as long as for a known one.
    pub dummy_password_hash: String,
    pub metrics: std::sync::Arc<crate::metrics::Metrics>,
    /// `GET /metrics` answers only this bearer token; off when `None`.
    pub metrics_token: Option<String>,
    /// Argon2 on one thread per core, memory reused (hashing_pool.rs).
    pub hashing: crate::security::hashing_pool::HashingPool,
    /// Proxies whose `X-Forwarded-For` hop is believed (client_address.rs).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Browser origins allowed to call the API.
    pub cors_origins: Vec<String>,
    pub max_upload_bytes: u64,
    /// Uploads are scanned when a ClamAV daemon is configured (`EHC_SCANNING`).
    pub clamd: Option<crate::scanning::Clamd>,
    /// The WebAuthn relying party, when the public URL names a domain.
    pub webauthn: Option<std::sync::Arc<webauthn_rs::Webauthn>>,
    /// The public URL is https: browsers are told to keep to it (HSTS).
    pub https: bool,
    pub clock: crate::clock::Clock,
    /// Case records are kept until the date of birth plus this many years.
    pub retention_years: u32,
    /// England and Wales bank holidays plus the authority's own extra days.
    pub bank_holidays: ehc_domain::statutory::BankHolidays,
    /// Webhooks may call http and private addresses (embedded mode, tests).
    pub webhooks_allow_local: bool,
}

impl AppState {
    /// Runs database work in one transaction on the blocking pool, keeping
    /// async workers free.
    pub async fn tx<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
    {
        let db = self.db.clone();
        actix_web::web::block(move || db.transaction(f)).await?
    }

    /// `tx` for work that only reads: on SQLite it does not wait for the
    /// write lock, so busy reads run side by side.
    pub async fn read_tx<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
    {
        let db = self.db.clone();
        actix_web::web::block(move || db.read_transaction(f)).await?
    }

    pub fn now(&self) -> chrono::NaiveDateTime {
        self.clock.now()
    }
}
