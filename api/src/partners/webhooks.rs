//! A partner system manages its own webhook endpoints (a client token with
//! `webhooks:manage`): the address, the event types it receives, its signing
//! secret (shown once, rotated with both signatures sent for a day), its
//! deliveries and every attempt, and a redelivery of any message.

use std::net::IpAddr;

use ehc_domain::events::EventType;
use ehc_domain::webhooks::is_public;
use ehc_storage::partners::webhooks::{self, Attempt, Delivery, Endpoint};

use crate::audit;
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::state::AppState;

/// How long the secret before a rotation keeps signing as well.
const ROTATION_HOURS: i64 = 24;

const CLIENTS_ONLY: ApiError =
    ApiError::Unauthorized("Webhooks belong to a partner system: use its client-credentials token, not a person's.");

fn client_of(me: &AuthUser) -> Result<(), ApiError> {
    if me.is_client() {
        Ok(())
    } else {
        Err(CLIENTS_ONLY)
    }
}

/// An endpoint with its secret as issued (shown once).
pub struct Issued {
    pub endpoint: Endpoint,
    pub secret: String,
}

/// Checks the address a hub may call: https (or http where local ones are
/// allowed), a host name that resolves, and in production only to public
/// addresses (SSRF). Returns the addresses it resolves to.
pub async fn checked_url(url: &str, allow_local: bool) -> Result<Vec<std::net::SocketAddr>, String> {
    let parsed = reqwest::Url::parse(url).map_err(|_| "is not a URL".to_owned())?;
    match parsed.scheme() {
        "https" => {}
        "http" if allow_local => {}
        _ => return Err("must be https".to_owned()),
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("must not carry credentials".to_owned());
    }
    let host = parsed.host_str().ok_or("has no host")?.trim_matches(['[', ']']).to_owned();
    let port = parsed.port_or_known_default().unwrap_or(443);
    let addresses: Vec<std::net::SocketAddr> = match host.parse::<IpAddr>() {
        Ok(ip) => vec![std::net::SocketAddr::new(ip, port)],
        Err(_) => tokio::net::lookup_host((host.as_str(), port))
            .await
            .map_err(|_| "names a host that does not resolve".to_owned())?
            .collect(),
    };
    if addresses.is_empty() {
        return Err("names a host that does not resolve".to_owned());
    }
    if !allow_local && addresses.iter().any(|a| !is_public(a.ip())) {
        return Err("resolves to a private, loopback or link-local address".to_owned());
    }
    Ok(addresses)
}

pub async fn create(
    state: &AppState,
    me: AuthUser,
    url: String,
    event_types: Vec<EventType>,
) -> Result<Issued, ApiError> {
    client_of(&me)?;
    checked_url(&url, state.webhooks_allow_local).await.map_err(|why| ApiError::validation("/url", "url", why))?;
    let secret = crate::partners::signature::new_secret();
    let ciphertext = state.keys.encrypt(secret.as_bytes()).map_err(ApiError::internal)?;
    let mut codes: Vec<&str> = event_types.iter().map(|t| t.code()).collect();
    codes.sort_unstable();
    codes.dedup();
    let endpoint = Endpoint {
        id: ehc_storage::new_id(),
        client_id: me.actor_id().to_owned(),
        url,
        event_types: codes.join(" "),
        secret_ciphertext: ciphertext,
        previous_secret_ciphertext: None,
        previous_secret_until: None,
        status: "enabled".to_owned(),
        failing_since: None,
        disabled_at: None,
        created_at: state.now(),
    };
    state
        .tx(move |conn| {
            webhooks::insert_endpoint(conn, &endpoint)?;
            audit::record(conn, &me, "webhook_endpoint.created", None, Some(&endpoint.id))?;
            Ok(Issued { endpoint, secret })
        })
        .await
}

pub async fn page(
    state: &AppState,
    me: AuthUser,
    after: Option<String>,
    limit: i64,
) -> Result<Vec<Endpoint>, ApiError> {
    client_of(&me)?;
    state.tx(move |conn| Ok(webhooks::endpoints_of_client(conn, me.actor_id(), after.as_deref(), limit + 1)?)).await
}

pub async fn show(state: &AppState, me: AuthUser, endpoint_id: String) -> Result<Endpoint, ApiError> {
    client_of(&me)?;
    state.tx(move |conn| Ok(webhooks::endpoint_of_client(conn, me.actor_id(), &endpoint_id)?)).await
}

pub async fn delete(state: &AppState, me: AuthUser, endpoint_id: String) -> Result<(), ApiError> {
    client_of(&me)?;
    state
        .tx(move |conn| {
            let endpoint = webhooks::endpoint_of_client(conn, me.actor_id(), &endpoint_id)?;
            webhooks::delete_endpoint(conn, &endpoint.id)?;
            audit::record(conn, &me, "webhook_endpoint.deleted", None, Some(&endpoint.id))
        })
        .await
}

/// A new secret; the old one signs as well for a day, so the receiver can
/// switch without losing a message.
pub async fn rotate(state: &AppState, me: AuthUser, endpoint_id: String) -> Result<Issued, ApiError> {
    client_of(&me)?;
    let secret = crate::partners::signature::new_secret();
    let ciphertext = state.keys.encrypt(secret.as_bytes()).map_err(ApiError::internal)?;
    let until = state.now() + chrono::Duration::hours(ROTATION_HOURS);
    state
        .tx(move |conn| {
            let endpoint = webhooks::endpoint_of_client(conn, me.actor_id(), &endpoint_id)?;
            webhooks::rotate_secret(conn, &endpoint, &ciphertext, until)?;
            audit::record(conn, &me, "webhook_endpoint.secret_rotated", None, Some(&endpoint.id))?;
            let endpoint = webhooks::endpoint_of_client(conn, me.actor_id(), &endpoint.id)?;
            Ok(Issued { endpoint, secret })
        })
        .await
}

/// Enables an endpoint again (after it was disabled for failing).
pub async fn enable(state: &AppState, me: AuthUser, endpoint_id: String) -> Result<Endpoint, ApiError> {
    client_of(&me)?;
    let now = state.now();
    state
        .tx(move |conn| {
            let endpoint = webhooks::endpoint_of_client(conn, me.actor_id(), &endpoint_id)?;
            webhooks::set_enabled(conn, &endpoint.id, true, now)?;
            audit::record(conn, &me, "webhook_endpoint.enabled", None, Some(&endpoint.id))?;
            Ok(webhooks::endpoint_of_client(conn, me.actor_id(), &endpoint.id)?)
        })
        .await
}

/// A delivery, its event's type and its attempts.
pub type DeliveryWithAttempts = (Delivery, String, Vec<Attempt>);

pub async fn deliveries(
    state: &AppState,
    me: AuthUser,
    endpoint_id: String,
    before: Option<String>,
    limit: i64,
) -> Result<Vec<DeliveryWithAttempts>, ApiError> {
    client_of(&me)?;
    state
        .tx(move |conn| {
            let endpoint = webhooks::endpoint_of_client(conn, me.actor_id(), &endpoint_id)?;
            Ok(webhooks::deliveries_page(conn, &endpoint.id, before.as_deref(), limit + 1)?)
        })
        .await
}

/// Sends a delivery's event again, as a new delivery (same webhook-id).
pub async fn redeliver(
    state: &AppState,
    me: AuthUser,
    endpoint_id: String,
    delivery_id: String,
) -> Result<Delivery, ApiError> {
    client_of(&me)?;
    let now = state.now();
    state
        .tx(move |conn| {
            let endpoint = webhooks::endpoint_of_client(conn, me.actor_id(), &endpoint_id)?;
            if !endpoint.is_enabled() {
                return Err(ApiError::Conflict("The endpoint is disabled: enable it first.".to_owned()));
            }
            let earlier = webhooks::delivery_of_endpoint(conn, &endpoint.id, &delivery_id)?;
            let again = Delivery::due(&endpoint.id, &earlier.event_id, now);
            webhooks::insert_deliveries(conn, vec![again.clone()])?;
            audit::record(conn, &me, "webhook_delivery.redelivered", None, Some(&again.id))?;
            Ok(again)
        })
        .await
}
