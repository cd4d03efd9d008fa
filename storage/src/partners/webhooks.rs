//! Webhook endpoints, their deliveries and every attempt.

use chrono::NaiveDateTime;
use diesel::prelude::*;

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
    // One row at a time: the backends' batch inserts differ.
    for delivery in deliveries {
        diesel::insert_into(webhook_deliveries::table).values(delivery).execute(conn)?;
    }
    Ok(())
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
    let due: Vec<Due> = webhook_deliveries::table
        .inner_join(webhook_endpoints::table)
        .inner_join(events::table)
        .filter(webhook_deliveries::next_attempt_at.le(now))
        .filter(webhook_deliveries::delivered_at.is_null())
        .filter(webhook_deliveries::failed_at.is_null())
        .filter(webhook_deliveries::claimed_until.is_null().or(webhook_deliveries::claimed_until.lt(now)))
        .filter(webhook_endpoints::status.eq("enabled"))
        .order((webhook_deliveries::next_attempt_at, webhook_deliveries::id))
        .limit(limit)
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

/// Records an attempt and its outcome on the delivery and its endpoint: a
/// success clears the endpoint's failing streak, a failure starts one.
pub fn record_attempt(conn: &mut DbConn, attempt: &Attempt, outcome: Outcome) -> Result<(), StorageError> {
    diesel::insert_into(webhook_attempts::table).values(attempt.clone()).execute(conn)?;
    let at = attempt.attempted_at;
    let (delivered_at, next_attempt_at, failed_at) = match outcome {
        Outcome::Delivered => (Some(at), None, None),
        Outcome::RetryAt(next) => (None, Some(next), None),
        Outcome::Failed => (None, None, Some(at)),
    };
    let delivery = webhook_deliveries::table.find(&attempt.delivery_id);
    diesel::update(delivery)
        .set((
            webhook_deliveries::attempts.eq(webhook_deliveries::attempts + 1),
            webhook_deliveries::claimed_until.eq(None::<NaiveDateTime>),
            webhook_deliveries::delivered_at.eq(delivered_at),
            webhook_deliveries::next_attempt_at.eq(next_attempt_at),
            webhook_deliveries::failed_at.eq(failed_at),
        ))
        .execute(conn)?;
    let endpoint_id: String = delivery.select(webhook_deliveries::endpoint_id).first(conn)?;
    let endpoint = webhook_endpoints::table.find(&endpoint_id);
    if delivered_at.is_some() {
        diesel::update(endpoint).set(webhook_endpoints::failing_since.eq(None::<NaiveDateTime>)).execute(conn)?;
    } else {
        diesel::update(endpoint.filter(webhook_endpoints::failing_since.is_null()))
            .set(webhook_endpoints::failing_since.eq(at))
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
