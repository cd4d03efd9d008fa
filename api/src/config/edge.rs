//! Settings of the HTTP edge and of the upload scanner: which proxies may
//! name the client's address, which browser origins may call the API, and
//! whether uploads are scanned.

use ipnet::IpNet;
use secrecy::SecretString;

use super::settings::{err, ConfigError, Settings};

/// Whether uploads are scanned for viruses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scanning {
    /// Every upload goes through the ClamAV daemon at this `host:port`.
    Clamd(String),
    /// Nothing is scanned: the default in embedded mode without a daemon,
    /// and in production only when `EHC_SCANNING=off` says so explicitly.
    Off,
}

impl Scanning {
    pub fn is_on(&self) -> bool {
        matches!(self, Self::Clamd(_))
    }
}

/// `EHC_SCANNING` (`clamav` or `off`) with `EHC_CLAMD_ADDR`. Production
/// refuses to start unscanned unless told to: a council must choose that.
pub(crate) fn scanning(s: &Settings, production: bool) -> Result<Scanning, ConfigError> {
    let addr = s.get("EHC_CLAMD_ADDR");
    match (s.get("EHC_SCANNING").as_deref(), addr) {
        (Some("off"), Some(_)) => Err(err("EHC_SCANNING", "is off but EHC_CLAMD_ADDR names a scanner: choose one")),
        (Some("off"), None) => Ok(Scanning::Off),
        (None | Some("clamav"), Some(addr)) => Ok(Scanning::Clamd(addr)),
        (Some("clamav"), None) => Err(err("EHC_CLAMD_ADDR", "is required when EHC_SCANNING=clamav (host:port)")),
        (None, None) if production => Err(err(
            "EHC_CLAMD_ADDR",
            "is required in production (a ClamAV daemon, host:port); set EHC_SCANNING=off to run without scanning",
        )),
        (None, None) => Ok(Scanning::Off),
        (Some(other), _) => Err(err("EHC_SCANNING", format!("must be clamav or off, not {other:?}"))),
    }
}

/// `EHC_TRUSTED_PROXIES`: the addresses (CIDRs) of the proxies in front of
/// the hub. Only a hop from one of them may name the hop before it in
/// `X-Forwarded-For`; the client is the right-most address that is not one.
pub(crate) fn trusted_proxies(s: &Settings) -> Result<Vec<IpNet>, ConfigError> {
    if s.flag("EHC_TRUST_PROXY_HEADERS", false)? {
        return Err(err(
            "EHC_TRUST_PROXY_HEADERS",
            "is replaced by EHC_TRUSTED_PROXIES: list your proxies' addresses (e.g. 10.0.0.0/8,127.0.0.1/32)",
        ));
    }
    let Some(list) = s.get("EHC_TRUSTED_PROXIES") else { return Ok(Vec::new()) };
    list.split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            entry
                .parse::<IpNet>()
                .or_else(|_| entry.parse::<std::net::IpAddr>().map(IpNet::from))
                .map_err(|_| err("EHC_TRUSTED_PROXIES", format!("{entry:?} is not an address or CIDR like 10.0.0.0/8")))
        })
        .collect()
}

/// `EHC_CORS_ORIGINS`: the browser origins (`https://app.council.example`)
/// allowed to call the API; none by default. Each must be a bare origin, and
/// https in production.
pub(crate) fn cors_origins(s: &Settings, production: bool) -> Result<Vec<String>, ConfigError> {
    let Some(list) = s.get("EHC_CORS_ORIGINS") else { return Ok(Vec::new()) };
    list.split(',')
        .map(str::trim)
        .filter(|origin| !origin.is_empty())
        .map(|origin| {
            let origin = origin.trim_end_matches('/');
            let rest = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
            let bare = rest.is_some_and(|host| !host.is_empty() && !host.contains(['/', '?', '#', '*', ' ']));
            if !bare {
                return Err(err("EHC_CORS_ORIGINS", format!("{origin:?} is not an origin like https://app.example")));
            }
            if production && !origin.starts_with("https://") {
                return Err(err("EHC_CORS_ORIGINS", format!("{origin:?} must be https in production")));
            }
            Ok(origin.to_ascii_lowercase())
        })
        .collect()
}

/// `EHC_METRICS_TOKEN`: at least 32 characters, since it guards figures
/// about the service (how many requests are overdue, how busy it is).
pub(crate) fn metrics_token(s: &Settings) -> Result<Option<SecretString>, ConfigError> {
    match s.get("EHC_METRICS_TOKEN") {
        None => Ok(None),
        Some(token) if token.trim().len() >= 32 => Ok(Some(SecretString::from(token.trim().to_owned()))),
        Some(_) => Err(err("EHC_METRICS_TOKEN", "must be at least 32 characters (openssl rand -hex 32)".to_owned())),
    }
}
