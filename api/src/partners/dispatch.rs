//! The webhook dispatcher: gives committed events their positions and fans
//! them out to the endpoints that take them, then makes the deliveries that
//! are due, signed as Standard Webhooks asks, retried on the schedule of
//! `ehc_domain::webhooks`, every attempt recorded. Several dispatchers
//! (instances) may run at once: a delivery is claimed before it is sent.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use futures_util::{StreamExt, TryStreamExt};

use ehc_domain::roles::Role;
use ehc_domain::webhooks::{delivered, retry_after, should_disable, DISABLE_AFTER_DAYS, TIMEOUT_SECONDS};
use ehc_storage::identity::memberships;
use ehc_storage::partners::api_clients;
use ehc_storage::partners::events::Event;
use ehc_storage::partners::webhooks::{self, Attempt, Due, Endpoint, Outcome};

use crate::error::ApiError;
use crate::partners::signature::sign;
use crate::state::AppState;
use crate::workflow::case_events::{queue, Notice};

/// How long a claimed delivery is reserved for one dispatcher: longer than
/// an attempt may take.
const LEASE_SECONDS: i64 = 120;
const CLAIM_BATCH: i64 = 50;
/// Deliveries a pass sends at once: 50 claimed, at most 10 at a time, end
/// within the lease even if every receiver takes the whole 15 s.
const SENDS_AT_ONCE: usize = 10;
/// Passes each instance runs side by side (so at most 30 messages on their
/// way at once).
pub const PASSES_AT_ONCE: usize = 3;
// A claimed batch, every wave of sends timing out, ends within its lease.
const _: () = assert!(
    (CLAIM_BATCH as u64).div_ceil(SENDS_AT_ONCE as u64) * TIMEOUT_SECONDS < LEASE_SECONDS as u64,
    "a claimed batch could outlive its lease"
);
/// The hub itself acts: nobody is left out of the notice.
const NO_ACTOR: &str = "";
/// Receivers whose clients are kept (a council has a handful of partners).
const CACHED_CLIENTS: usize = 256;
pub const DISPATCH_INTERVAL: Duration = Duration::from_millis(500);

/// The body every receiver gets: thin, as the events feed shows it.
fn payload(event: &Event) -> serde_json::Value {
    serde_json::json!({
        "type": event.event_type.code(),
        "timestamp": event.occurred_at.and_utc().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "data": {
            "id": event.id,
            "position": event.position,
            "case_id": event.case_id,
            "case_reference": event.case_reference,
            "advice_request_id": event.request_id,
            "subject_id": event.subject_id,
        }
    })
}

/// The endpoint's signing secrets: the current one, and the one before a
/// rotation while it lasts.
fn secrets_of(state: &AppState, endpoint: &Endpoint, now: chrono::NaiveDateTime) -> Vec<String> {
    let mut stored = vec![endpoint.secret_ciphertext.clone()];
    if endpoint.previous_secret_until.is_some_and(|until| until > now) {
        stored.extend(endpoint.previous_secret_ciphertext.clone());
    }
    stored.iter().filter_map(|c| state.keys.decrypt(c).ok()).filter_map(|plain| String::from_utf8(plain).ok()).collect()
}

/// One pass: fan out, claim, deliver. How many deliveries were attempted.
pub async fn dispatch_once(state: &AppState) -> Result<usize, ApiError> {
    let now = state.now();
    state.tx(move |conn| crate::partners::events::sequence_and_fan_out(conn, now)).await?;
    let lease_until = now + chrono::Duration::seconds(LEASE_SECONDS);
    let due = state.tx(move |conn| Ok(webhooks::claim_due(conn, now, lease_until, CLAIM_BATCH)?)).await?;
    let attempted = due.len();
    // Several at once, so a receiver slow to answer (up to the 15 s limit)
    // holds up few others; every one was claimed for us, for longer than
    // the batch can take (LEASE_SECONDS).
    let sent: Vec<Sent> = futures_util::stream::iter(due)
        .map(|one| attempt(state, one))
        .buffer_unordered(SENDS_AT_ONCE)
        .try_collect()
        .await?;
    // Every outcome of the batch in one transaction. Should the hub stop
    // before it commits, the claims lapse and the messages go again, with
    // the same id: receivers drop what they already have.
    let st = state.clone();
    state
        .tx(move |conn| {
            let refused: Vec<Endpoint> =
                sent.iter().filter(|s| !matches!(s.outcome, Outcome::Delivered)).map(|s| s.endpoint.clone()).collect();
            webhooks::record_attempts(conn, sent.into_iter().map(|s| (s.attempt, s.outcome)).collect(), now)?;
            for endpoint in refused {
                disable_if_failing(conn, &st, &endpoint, now)?;
            }
            Ok(())
        })
        .await?;
    Ok(attempted)
}

/// A delivery attempted, for the record.
struct Sent {
    attempt: Attempt,
    outcome: Outcome,
    endpoint: Endpoint,
}

async fn attempt(state: &AppState, (delivery, endpoint, event): Due) -> Result<Sent, ApiError> {
    let now = state.now();
    let body = serde_json::to_vec(&payload(&event)).map_err(ApiError::internal)?;
    let timestamp = now.and_utc().timestamp();
    // The message id is the event's: the same on every retry and redelivery,
    // so a receiver can drop what it already has.
    let signatures: Vec<String> =
        secrets_of(state, &endpoint, now).iter().filter_map(|s| sign(s, &event.id, timestamp, &body)).collect();
    let started = Instant::now();
    let sent = send(state, &endpoint.url, &event.id, timestamp, &signatures.join(" "), body).await;
    let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    let (status_code, error) = match sent {
        Ok(status) => (Some(i32::from(status)), None),
        Err(why) => (None, Some(why)),
    };
    let ok = status_code.and_then(|s| u16::try_from(s).ok()).is_some_and(delivered);
    let outcome = if ok {
        state.metrics.webhook_deliveries.inc();
        Outcome::Delivered
    } else {
        state.metrics.webhook_failures.inc();
        match retry_after(delivery.attempts + 1) {
            Some(wait) => Outcome::RetryAt(now + wait),
            None => Outcome::Failed,
        }
    };
    let attempt = Attempt {
        id: ehc_storage::new_id(),
        delivery_id: delivery.id.clone(),
        attempted_at: now,
        status_code,
        error,
        duration_ms,
    };
    Ok(Sent { attempt, outcome, endpoint })
}

/// An endpoint refusing or not answering for days is disabled.
fn disable_if_failing(
    conn: &mut ehc_storage::DbConn,
    state: &AppState,
    endpoint: &Endpoint,
    now: chrono::NaiveDateTime,
) -> Result<(), ApiError> {
    let endpoint = webhooks::endpoint_of_client(conn, &endpoint.client_id, &endpoint.id)?;
    let failing_for_days = endpoint.failing_since.is_some_and(|since| should_disable(since, now));
    if failing_for_days && endpoint.is_enabled() {
        disable(conn, state, &endpoint, now)?;
    }
    Ok(())
}

/// Disables an endpoint that kept failing and tells the council's
/// administrators (who register its system) in the same transaction.
fn disable(
    conn: &mut ehc_storage::DbConn,
    state: &AppState,
    endpoint: &Endpoint,
    now: chrono::NaiveDateTime,
) -> Result<(), ApiError> {
    webhooks::set_enabled(conn, &endpoint.id, false, now)?;
    let Some(client) = api_clients::by_id(conn, &endpoint.client_id)? else { return Ok(()) };
    let administrators = memberships::active_with_role(conn, &client.local_authority_id, Role::Administrator)?;
    let link = format!("{}/api-clients/{}", state.public_url, client.id);
    let text =
        ehc_domain::messages::webhook_disabled_email(&state.service_name, &client.name, DISABLE_AFTER_DAYS, &link);
    queue(conn, state, Notice { event: "webhook_disabled", case_id: None, text }, administrators, NO_ACTOR)?;
    crate::audit::record_system(conn, now, "webhook_endpoint.disabled", None, Some(&endpoint.id))
}

/// One HTTP client per receiver host and checked addresses, kept for the
/// next deliveries so its connections (and TLS roots) are not built anew
/// for every message. A host whose name now resolves elsewhere is checked
/// again and gets a client of its own. A cache only: each instance has its
/// own, and nothing is lost with it.
fn client_for(host: &str, addresses: &[SocketAddr]) -> Result<reqwest::Client, String> {
    type Clients = Mutex<HashMap<(String, Vec<SocketAddr>), reqwest::Client>>;
    static CLIENTS: OnceLock<Clients> = OnceLock::new();
    let key = (host.to_owned(), addresses.to_vec());
    let cache = CLIENTS.get_or_init(Clients::default);
    if let Some(client) = cache.lock().ok().and_then(|clients| clients.get(&key).cloned()) {
        return Ok(client);
    }
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(TIMEOUT_SECONDS))
        .redirect(reqwest::redirect::Policy::none())
        .resolve_to_addrs(host, addresses)
        .build()
        .map_err(|e| e.to_string())?;
    if let Ok(mut clients) = cache.lock() {
        if clients.len() >= CACHED_CLIENTS {
            clients.clear();
        }
        clients.insert(key, client.clone());
    }
    Ok(client)
}

/// POSTs the message; the receiver's status, or why it could not be reached.
/// Where local addresses are not allowed, the address is resolved and
/// checked again and the connection made to the checked address, so a
/// name that changes where it points cannot reach inside the network.
async fn send(
    state: &AppState,
    url: &str,
    id: &str,
    timestamp: i64,
    signature: &str,
    body: Vec<u8>,
) -> Result<u16, String> {
    let addresses = crate::partners::webhooks::checked_url(url, state.webhooks_allow_local).await?;
    let host = reqwest::Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_owned)).unwrap_or_default();
    let client = client_for(&host, &addresses)?;
    let response = client
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(body)
        .send()
        .await
        .map_err(|e| if e.is_timeout() { "timed out".to_owned() } else { "could not connect".to_owned() })?;
    Ok(response.status().as_u16())
}
