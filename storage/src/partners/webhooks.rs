//! Webhook endpoints, their deliveries and every attempt.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::bulk::insert_in_chunks;
use crate::partners::events::Event;
use crate::schema::{api_clients, events, webhook_attempts, webhook_deliveries, webhook_endpoints};
use crate::{DbConn, StorageError};

/// Claims of several dispatchers take turns on this lock (PostgreSQL).
const CLAIM_LOCK: i64 = 0x6568_635f_7768_6b73;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhook_endpoints)]
pub struct Endpoint {
    pub id: String,
    pub client_id: String,
    pub url: String,
    pub event_types: String,
    pub secret_ciphertext: Vec<u8>,
    pub previous_secret_ciphertext: Option<Vec<u8>>,
    pub previous_secret_until: Option<NaiveDateTime>,
    pub status: String,
    pub failing_since: Option<NaiveDateTime>,
    pub disabled_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

impl Endpoint {
    pub fn is_enabled(&self) -> bool {
        self.status == "enabled"
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhook_deliveries)]
pub struct Delivery {
    pub id: String,
    pub endpoint_id: String,
    pub event_id: String,
    pub attempts: i32,
    pub next_attempt_at: Option<NaiveDateTime>,
    pub claimed_until: Option<NaiveDateTime>,
    pub delivered_at: Option<NaiveDateTime>,
    pub failed_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

impl Delivery {
    /// A new delivery of `event_id`, due at once.
    pub fn due(endpoint_id: &str, event_id: &str, now: NaiveDateTime) -> Delivery {
        Delivery {
            id: crate::new_id(),
            endpoint_id: endpoint_id.to_owned(),
            event_id: event_id.to_owned(),
            attempts: 0,
            next_attempt_at: Some(now),
            claimed_until: None,
            delivered_at: None,
            failed_at: None,
            created_at: now,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhook_attempts)]
pub struct Attempt {
    pub id: String,
    pub delivery_id: String,
    pub attempted_at: NaiveDateTime,
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub duration_ms: i64,
}

/// Deliveries neither made nor given up, and when the oldest was queued.
pub fn backlog(conn: &mut DbConn) -> Result<(i64, Option<NaiveDateTime>), StorageError> {
    let waiting = webhook_deliveries::table
        .filter(webhook_deliveries::delivered_at.is_null())
        .filter(webhook_deliveries::failed_at.is_null());
    let count: i64 = waiting.count().get_result(conn)?;
    let oldest: Option<NaiveDateTime> = waiting.select(diesel::dsl::min(webhook_deliveries::created_at)).first(conn)?;
    Ok((count, oldest))
}

pub fn insert_endpoint(conn: &mut DbConn, endpoint: &Endpoint) -> Result<(), StorageError> {
    diesel::insert_into(webhook_endpoints::table).values(endpoint.clone()).execute(conn)?;
    Ok(())
}

/// The client's endpoint, or `NotFound`.
pub fn endpoint_of_client(conn: &mut DbConn, client_id: &str, endpoint_id: &str) -> Result<Endpoint, StorageError> {
    Ok(webhook_endpoints::table
        .find(endpoint_id)
        .filter(webhook_endpoints::client_id.eq(client_id))
        .select(Endpoint::as_select())
        .first(conn)?)
}

pub fn endpoints_of_client(
    conn: &mut DbConn,
    client_id: &str,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<Endpoint>, StorageError> {
    let mut query = webhook_endpoints::table
        .filter(webhook_endpoints::client_id.eq(client_id))
        .order(webhook_endpoints::id)
        .limit(limit)
        .select(Endpoint::as_select())
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(webhook_endpoints::id.gt(after.to_owned()));
    }
    Ok(query.load(conn)?)
}

pub fn delete_endpoint(conn: &mut DbConn, endpoint_id: &str) -> Result<(), StorageError> {
    diesel::delete(webhook_endpoints::table.find(endpoint_id)).execute(conn)?;
    Ok(())
}

/// A new secret; the old one goes on signing until `previous_until`.
pub fn rotate_secret(
    conn: &mut DbConn,
    endpoint: &Endpoint,
    secret_ciphertext: &[u8],
    previous_until: NaiveDateTime,
) -> Result<(), StorageError> {
    diesel::update(webhook_endpoints::table.find(&endpoint.id))
        .set((
            webhook_endpoints::secret_ciphertext.eq(secret_ciphertext),
            webhook_endpoints::previous_secret_ciphertext.eq(&endpoint.secret_ciphertext),
            webhook_endpoints::previous_secret_until.eq(previous_until),
        ))
        .execute(conn)?;
    Ok(())
}

/// Enables (and forgets past failures) or disables an endpoint.
pub fn set_enabled(
    conn: &mut DbConn,
    endpoint_id: &str,
    enabled: bool,
    now: NaiveDateTime,
) -> Result<(), StorageError> {
    let target = webhook_endpoints::table.find(endpoint_id);
    if enabled {
        diesel::update(target)
            .set((
                webhook_endpoints::status.eq("enabled"),
                webhook_endpoints::failing_since.eq(None::<NaiveDateTime>),
                webhook_endpoints::disabled_at.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?;
    } else {
        diesel::update(target)
            .set((webhook_endpoints::status.eq("disabled"), webhook_endpoints::disabled_at.eq(now)))
            .execute(conn)?;
        // What was waiting for it has failed: a redelivery can send it again.
        diesel::update(
            webhook_deliveries::table
                .filter(webhook_deliveries::endpoint_id.eq(endpoint_id))
                .filter(webhook_deliveries::delivered_at.is_null())
                .filter(webhook_deliveries::failed_at.is_null()),
        )
        .set((webhook_deliveries::failed_at.eq(now), webhook_deliveries::next_attempt_at.eq(None::<NaiveDateTime>)))
        .execute(conn)?;
    }
    Ok(())
}

/// The enabled endpoints of the council's active clients, with each
/// client's organisation (for who may see what).
pub fn enabled_endpoints_of_council(
    conn: &mut DbConn,
    council_id: &str,
) -> Result<Vec<(Endpoint, Option<String>)>, StorageError> {
    Ok(webhook_endpoints::table
        .inner_join(api_clients::table)
        .filter(api_clients::local_authority_id.eq(council_id))
        .filter(api_clients::status.eq("active"))
        .filter(webhook_endpoints::status.eq("enabled"))
        .select((Endpoint::as_select(), api_clients::organisation_id))
        .load(conn)?)
}

pub fn insert_deliveries(conn: &mut DbConn, deliveries: Vec<Delivery>) -> Result<(), StorageError> {
    insert_in_chunks!(conn, webhook_deliveries::table, deliveries)
}

/// One delivery to make: what, to where.
pub type Due = (Delivery, Endpoint, Event);

/// Claims up to `limit` due deliveries until `lease_until`; several
/// dispatchers never claim the same one.
pub fn claim_due(
    conn: &mut DbConn,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> Result<Vec<Due>, StorageError> {
    if let DbConn::Pg(_) = conn {
        diesel::sql_query(format!("SELECT pg_advisory_xact_lock({CLAIM_LOCK})")).execute(conn)?;
    }
    // First the deliveries, walking the waiting ones in due order and
    // stopping at `limit`; then their endpoints and events. Joined in one
    // query, PostgreSQL would join every waiting delivery before sorting.
    let enabled =
        webhook_endpoints::table.filter(webhook_endpoints::status.eq("enabled")).select(webhook_endpoints::id);
    let ids: Vec<String> = webhook_deliveries::table
        .filter(webhook_deliveries::next_attempt_at.le(now))
        .filter(webhook_deliveries::delivered_at.is_null())
        .filter(webhook_deliveries::failed_at.is_null())
        .filter(webhook_deliveries::claimed_until.is_null().or(webhook_deliveries::claimed_until.lt(now)))
        .filter(webhook_deliveries::endpoint_id.eq_any(enabled))
        .order((webhook_deliveries::next_attempt_at, webhook_deliveries::id))
        .limit(limit)
        .select(webhook_deliveries::id)
        .load(conn)?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let due: Vec<Due> = webhook_deliveries::table
        .inner_join(webhook_endpoints::table)
        .inner_join(events::table)
        .filter(webhook_deliveries::id.eq_any(&ids))
        .order((webhook_deliveries::next_attempt_at, webhook_deliveries::id))
        .select((Delivery::as_select(), Endpoint::as_select(), Event::as_select()))
        .load(conn)?;
    let ids: Vec<&str> = due.iter().map(|(d, _, _)| d.id.as_str()).collect();
    diesel::update(webhook_deliveries::table.filter(webhook_deliveries::id.eq_any(ids)))
        .set(webhook_deliveries::claimed_until.eq(lease_until))
        .execute(conn)?;
    Ok(due)
}

/// What one attempt came to.
pub enum Outcome {
    Delivered,
    RetryAt(NaiveDateTime),
    Failed,
}

/// Records a dispatcher pass's attempts and their outcomes on the deliveries
/// and their endpoints, in a few statements whatever their number: a
/// success clears the endpoint's failing streak, a failure starts one.
pub fn record_attempts(
    conn: &mut DbConn,
    attempts: Vec<(Attempt, Outcome)>,
    now: NaiveDateTime,
) -> Result<(), StorageError> {
    let rows: Vec<Attempt> = attempts.iter().map(|(a, _)| a.clone()).collect();
    insert_in_chunks!(conn, webhook_attempts::table, rows)?;
    let mut delivered = Vec::new();
    for (attempt, outcome) in &attempts {
        let (next_attempt_at, failed_at) = match outcome {
            Outcome::Delivered => {
                delivered.push(attempt.delivery_id.as_str());
                continue;
            }
            Outcome::RetryAt(next) => (Some(*next), None),
            Outcome::Failed => (None, Some(attempt.attempted_at)),
        };
        diesel::update(webhook_deliveries::table.find(&attempt.delivery_id))
            .set((
                webhook_deliveries::attempts.eq(webhook_deliveries::attempts + 1),
                webhook_deliveries::claimed_until.eq(None::<NaiveDateTime>),
                webhook_deliveries::next_attempt_at.eq(next_attempt_at),
                webhook_deliveries::failed_at.eq(failed_at),
            ))
            .execute(conn)?;
    }
    if !delivered.is_empty() {
        diesel::update(webhook_deliveries::table.filter(webhook_deliveries::id.eq_any(&delivered)))
            .set((
                webhook_deliveries::attempts.eq(webhook_deliveries::attempts + 1),
                webhook_deliveries::claimed_until.eq(None::<NaiveDateTime>),
                webhook_deliveries::delivered_at.eq(Some(now)),
                webhook_deliveries::next_attempt_at.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?;
    }
    // An endpoint that took any message of the pass is no longer failing;
    // one that took none starts failing now, if not already.
    let tried: Vec<&str> = attempts.iter().map(|(a, _)| a.delivery_id.as_str()).collect();
    let endpoint_of: Vec<(String, String)> = webhook_deliveries::table
        .filter(webhook_deliveries::id.eq_any(&tried))
        .select((webhook_deliveries::id, webhook_deliveries::endpoint_id))
        .load(conn)?;
    let mut delivered_to: Vec<&String> =
        endpoint_of.iter().filter(|(id, _)| delivered.contains(&id.as_str())).map(|(_, e)| e).collect();
    delivered_to.sort();
    delivered_to.dedup();
    let mut refused: Vec<&String> = endpoint_of.iter().map(|(_, e)| e).filter(|e| !delivered_to.contains(e)).collect();
    refused.sort();
    refused.dedup();
    if !delivered_to.is_empty() {
        diesel::update(webhook_endpoints::table.filter(webhook_endpoints::id.eq_any(&delivered_to)))
            .set(webhook_endpoints::failing_since.eq(None::<NaiveDateTime>))
            .execute(conn)?;
    }
    if !refused.is_empty() {
        diesel::update(
            webhook_endpoints::table
                .filter(webhook_endpoints::id.eq_any(refused))
                .filter(webhook_endpoints::failing_since.is_null()),
        )
        .set(webhook_endpoints::failing_since.eq(now))
        .execute(conn)?;
    }
    Ok(())
}

/// A page of the endpoint's deliveries (newest first) with their attempts.
pub fn deliveries_page(
    conn: &mut DbConn,
    endpoint_id: &str,
    before: Option<&str>,
    limit: i64,
) -> Result<Vec<(Delivery, String, Vec<Attempt>)>, StorageError> {
    let mut query = webhook_deliveries::table
        .inner_join(events::table)
        .filter(webhook_deliveries::endpoint_id.eq(endpoint_id))
        .order(webhook_deliveries::id.desc())
        .limit(limit)
        .select((Delivery::as_select(), events::event_type))
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(webhook_deliveries::id.lt(before.to_owned()));
    }
    let rows: Vec<(Delivery, String)> = query.load(conn)?;
    let mut out = Vec::with_capacity(rows.len());
    for (delivery, event_type) in rows {
        let attempts = webhook_attempts::table
            .filter(webhook_attempts::delivery_id.eq(&delivery.id))
            .order((webhook_attempts::attempted_at, webhook_attempts::id))
            .select(Attempt::as_select())
            .load(conn)?;
        out.push((delivery, event_type, attempts));
    }
    Ok(out)
}

/// The delivery of the endpoint, or `NotFound`.
pub fn delivery_of_endpoint(conn: &mut DbConn, endpoint_id: &str, delivery_id: &str) -> Result<Delivery, StorageError> {
    Ok(webhook_deliveries::table
        .find(delivery_id)
        .filter(webhook_deliveries::endpoint_id.eq(endpoint_id))
        .select(Delivery::as_select())
        .first(conn)?)
}
