//! Spawns a hub on port 0 with a fresh database per test (SQLite file or a
//! new PostgreSQL database), reads its outbox, and drives its API.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use diesel::{Connection, PgConnection, RunQueryDsl};
use ehc_api::config::{Config, Settings};
use ehc_api::startup::Application;
use ehc_api::state::AppState;
use serde_json::Value;

pub use crate::people::{Person, Session};

pub const SIGNING_KEY: &str = "test-signing-key-0123456789-abcdefghijklmnop";
pub const STRONG_PASSWORD: &str = "maple orbit lantern quietly 42";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub fn backend() -> Backend {
    match std::env::var("EHC_TEST_BACKEND").as_deref() {
        Ok("postgres") => Backend::Postgres,
        _ => Backend::Sqlite,
    }
}

pub fn pg_admin_url() -> String {
    std::env::var("EHC_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// A new empty database for one test: its URL.
pub fn fresh_database_url(dir: &std::path::Path) -> String {
    match backend() {
        Backend::Sqlite => format!("sqlite://{}", dir.join("hub.db").display()),
        Backend::Postgres => {
            let name = format!("ehc_test_{}", uuid::Uuid::new_v4().simple());
            let admin = pg_admin_url();
            let mut conn = PgConnection::establish(&admin).expect("PostgreSQL for tests (EHC_TEST_PG_URL)");
            diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut conn).expect("create test database");
            let base = admin.rsplit_once('/').map(|(b, _)| b.to_owned()).unwrap_or(admin);
            format!("{base}/{name}")
        }
    }
}

/// Where this run keeps what the personal-data scan reads (scripts/test sets
/// `EHC_TEST_ARTIFACTS`): the hubs' logs, outboxes and the test data used.
fn artifacts_dir() -> PathBuf {
    std::env::var("EHC_TEST_ARTIFACTS").map(PathBuf::from).unwrap_or_else(|_| std::env::temp_dir())
}

/// Every hub this process spawns logs, at debug level, into one file.
fn capture_logs() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let path = artifacts_dir().join(format!("hub-{}.log", std::process::id()));
        ehc_api::telemetry::init_to_file("info,ehc_api=debug,ehc_storage=debug", &path).expect("test log file");
    });
}

/// Personal data a test sent to the hub: names, dates of birth, e-mails,
/// phone numbers and identifiers, written down for the scan.
fn remember_personal(path: &str, body: &Value) {
    const CHILD: [&str; 6] = ["given_name", "family_name", "date_of_birth", "nhs_number", "upn", "uln"];
    let keys: &[&str] = if path == "/api/v1/cases" {
        &CHILD
    } else if path.contains("/invitations") || path.contains("/participants") {
        &["email", "name"]
    } else if path.starts_with("/api/v1/auth/") {
        &["email", "phone"]
    } else {
        &[]
    };
    let mut found = Vec::new();
    collect(body, keys, &mut found);
    record_personal(&found);
}

fn collect(value: &Value, keys: &[&str], found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match v {
                    Value::String(s) if keys.contains(&k.as_str()) => found.extend(personal_forms(k, s)),
                    _ => collect(v, keys, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, keys, found)),
        _ => {}
    }
}

/// The ways a value could show up: a phone as typed, as digits and in E.164;
/// a date as ISO and as dd/mm/yyyy.
fn personal_forms(key: &str, value: &str) -> Vec<String> {
    let value = value.trim().to_owned();
    match key {
        "phone" => {
            let digits: String = value.chars().filter(char::is_ascii_digit).collect();
            vec![
                value.clone(),
                digits.clone(),
                e164(&value),
                format!("+44{}", digits.trim_start_matches("44").trim_start_matches('0')),
            ]
        }
        "date_of_birth" => match chrono::NaiveDate::parse_from_str(&value, "%Y-%m-%d") {
            Ok(d) => vec![value.clone(), d.format("%d/%m/%Y").to_string()],
            Err(_) => vec![value],
        },
        _ => vec![value],
    }
}

pub fn record_personal(values: &[String]) {
    use std::io::Write;
    static SEEN: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let Ok(mut seen) = SEEN.lock() else { return };
    let fresh: Vec<&String> = values.iter().filter(|v| v.chars().count() >= 4 && !seen.contains(v)).collect();
    if fresh.is_empty() {
        return;
    }
    let path = artifacts_dir().join(format!("personal-{}.txt", std::process::id()));
    let mut file = std::fs::OpenOptions::new().create(true).append(true).open(path).expect("personal data list");
    for v in fresh {
        writeln!(file, "{v}").expect("write personal data list");
        seen.push(v.clone());
    }
}

pub fn temp_dir() -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let dir =
        artifacts_dir().join(format!("ehc-test-{}-{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst)));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub outbox: PathBuf,
    pub state: AppState,
    pub public_url: String,
    /// The database's name (PostgreSQL) or file (SQLite).
    pub database_name: String,
}

pub fn base_settings(dir: &std::path::Path) -> HashMap<String, String> {
    let mut env = HashMap::new();
    env.insert("EHC_DATA_DIR".to_owned(), dir.display().to_string());
    env.insert("EHC_LISTEN".to_owned(), "127.0.0.1:0".to_owned());
    env.insert("EHC_DATABASE_URL".to_owned(), fresh_database_url(dir));
    env.insert("EHC_SIGNING_KEY".to_owned(), SIGNING_KEY.to_owned());
    env.insert("EHC_PUBLIC_URL".to_owned(), "http://hub.test".to_owned());
    env.insert("EHC_DB_POOL_SIZE".to_owned(), "4".to_owned());
    env
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(customise: impl FnOnce(&mut HashMap<String, String>)) -> TestApp {
    capture_logs();
    let dir = temp_dir();
    let mut env = base_settings(&dir);
    customise(&mut env);
    let database_name = env["EHC_DATABASE_URL"].rsplit('/').next().unwrap_or_default().to_owned();
    let config = Config::from_settings(&Settings::from_map(env)).expect("test config");
    let outbox = config.outbox_dir.clone();
    let public_url = config.public_url.clone();
    let app = Application::build(config).await.expect("app builds");
    let base = format!("http://127.0.0.1:{}", app.port());
    let state = app.state().clone();
    tokio::spawn(app.run_until_stopped());
    TestApp { base, client: reqwest::Client::new(), outbox, state, public_url, database_name }
}

pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
    }

    /// The pointers of a 422's `errors[]`.
    pub fn pointers(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|a| a.iter().filter_map(|e| e["pointer"].as_str().map(str::to_owned)).collect())
            .unwrap_or_default()
    }
}

impl TestApp {
    pub async fn call(&self, method: reqwest::Method, path: &str, token: Option<&str>, body: Option<Value>) -> Answer {
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            remember_personal(path, &b);
            req = req.json(&b);
        }
        let res = req.send().await.expect("request");
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Answer { status, headers, body }
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Answer {
        self.call(reqwest::Method::POST, path, token, Some(body)).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Answer {
        self.call(reqwest::Method::GET, path, token, None).await
    }

    /// Every message written to the outbox so far, oldest first.
    pub fn outbox_messages(&self) -> Vec<Value> {
        let Ok(entries) = std::fs::read_dir(&self.outbox) else { return Vec::new() };
        let mut names: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        names.sort();
        names
            .iter()
            .map(|p| serde_json::from_slice(&std::fs::read(p).expect("read outbox")).expect("outbox json"))
            .collect()
    }

    /// The first message to `to` whose body contains `needle`, waiting for the
    /// dispatcher (up to 5 s).
    pub async fn wait_for_message(&self, to: &str, needle: &str) -> Value {
        for _ in 0..100 {
            if let Some(m) = self
                .outbox_messages()
                .into_iter()
                .find(|m| m["to"] == to && m["body"].as_str().is_some_and(|b| b.contains(needle)))
            {
                return m;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("no message to {to} containing {needle:?}");
    }

    pub fn last_message_to(&self, to: &str, channel: &str) -> Value {
        self.outbox_messages()
            .into_iter()
            .rev()
            .find(|m| m["to"] == to && m["channel"] == channel)
            .unwrap_or_else(|| panic!("no {channel} message to {to}"))
    }

    /// The six-digit code of the latest SMS or voice message to a number.
    pub fn last_code_to(&self, phone_e164: &str, channel: &str) -> String {
        let body = self.last_message_to(phone_e164, channel)["body"].as_str().unwrap_or_default().to_owned();
        let digits: String = body.chars().filter(|c| c.is_ascii_digit()).collect();
        // SMS: "123456 is your … code. It expires in 10 minutes" → first six digits.
        // Voice: "1, 2, 3, 4, 5, 6 … again" → first six digits too.
        digits[..6].to_owned()
    }

    /// The token of the latest invitation e-mail to an address.
    pub fn invitation_token(&self, email: &str) -> String {
        let body = self.last_message_to(email, "email")["body"].as_str().unwrap_or_default().to_owned();
        token_from_link(&body)
    }
}

/// The E.164 form of a UK number typed as `07700 900123`.
pub fn e164(typed: &str) -> String {
    let digits: String = typed.chars().filter(|c| c.is_ascii_digit()).collect();
    format!("+44{}", digits.trim_start_matches('0'))
}

pub fn token_from_link(text: &str) -> String {
    let start = text.find("token=").expect("link with token") + "token=".len();
    text[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}

impl TestApp {
    /// Stops the hub's clock at noon on `day` (the scheduled jobs follow it).
    pub fn pin_clock(&self, day: chrono::NaiveDate) {
        self.state.clock.pin(day.and_hms_opt(12, 0, 0).unwrap());
    }

    pub fn unpin_clock(&self) {
        self.state.clock.unpin();
    }

    pub async fn put_json(&self, path: &str, token: &str, if_match: Option<&str>, body: Value) -> Answer {
        let mut req = self.client.put(format!("{}{path}", self.base)).bearer_auth(token).json(&body);
        if let Some(tag) = if_match {
            req = req.header("if-match", tag);
        }
        let res = req.send().await.expect("request");
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap_or_default();
        Answer { status, headers, body: serde_json::from_str(&text).unwrap_or(Value::String(text)) }
    }
}

/// Points the hub at the test S3 server (a fresh bucket), when one is
/// configured; false otherwise.
pub fn s3_env(env: &mut HashMap<String, String>) -> bool {
    let Ok(endpoint) = std::env::var("EHC_TEST_S3_ENDPOINT") else { return false };
    env.insert("EHC_BLOB_STORE".into(), "s3".into());
    env.insert("EHC_S3_ENDPOINT".into(), endpoint);
    env.insert("EHC_S3_REGION".into(), "us-east-1".into());
    env.insert("EHC_S3_BUCKET".into(), format!("ehc-doc-{}", uuid::Uuid::new_v4().simple()));
    env.insert("EHC_S3_ACCESS_KEY_ID".into(), std::env::var("EHC_TEST_S3_ACCESS_KEY").unwrap_or_default());
    env.insert("EHC_S3_SECRET_ACCESS_KEY".into(), std::env::var("EHC_TEST_S3_SECRET_KEY").unwrap_or_default());
    true
}

/// The authenticator secret in an `otpauth://` URI.
pub fn secret_from_uri(uri: &str) -> Vec<u8> {
    let start = uri.find("secret=").unwrap() + 7;
    let b32: String = uri[start..].chars().take_while(|c| *c != '&').collect();
    totp_rs::Secret::try_from_base32(b32).unwrap().as_bytes().to_vec()
}
