//! The events feed: written in the transaction of each change, given a
//! position once committed, read in position order.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use ehc_domain::events::EventType;

use crate::schema::{events, teams};
use crate::{DbConn, StorageError};

/// The lock the sequencers of several instances take turns on (PostgreSQL;
/// SQLite's transactions already take its one write lock first).
const SEQUENCE_LOCK: i64 = 0x6568_635f_6576_7473;
/// How many events one sequencing gives positions to.
const SEQUENCE_BATCH: i64 = 1000;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = events)]
pub struct Event {
    pub id: String,
    pub position: Option<i64>,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub event_type: EventType,
    pub local_authority_id: String,
    pub case_id: Option<String>,
    pub case_reference: Option<String>,
    pub request_id: Option<String>,
    pub subject_id: Option<String>,
    pub team_id: Option<String>,
    pub occurred_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, event: Event) -> Result<(), StorageError> {
    diesel::insert_into(events::table).values(event).execute(conn)?;
    Ok(())
}

/// Gives the next positions to committed events that have none, in the
/// order they happened, and returns them. Run in a transaction of its own:
/// an event whose change has not committed yet is not seen, and gets a
/// later position when it has, so a reader never passes over one.
pub fn sequence(conn: &mut DbConn) -> Result<Vec<Event>, StorageError> {
    if let DbConn::Pg(_) = conn {
        diesel::sql_query(format!("SELECT pg_advisory_xact_lock({SEQUENCE_LOCK})")).execute(conn)?;
    }
    let last: i64 = events::table.select(diesel::dsl::max(events::position)).first::<Option<i64>>(conn)?.unwrap_or(0);
    // One statement numbers them all in the order they happened (both
    // backends have UPDATE … FROM and row_number()).
    diesel::sql_query(
        "UPDATE events SET position = numbered.position \
         FROM (SELECT id, $1 + row_number() OVER (ORDER BY occurred_at, id) AS position \
               FROM events WHERE position IS NULL ORDER BY occurred_at, id LIMIT $2) AS numbered \
         WHERE events.id = numbered.id",
    )
    .bind::<diesel::sql_types::BigInt, _>(last)
    .bind::<diesel::sql_types::BigInt, _>(SEQUENCE_BATCH)
    .execute(conn)?;
    Ok(events::table.filter(events::position.gt(last)).order(events::position).select(Event::as_select()).load(conn)?)
}

/// Which events a reader sees.
pub enum Seen<'a> {
    Council(&'a str),
    /// The events of requests addressed to the organisation's team inboxes.
    OrganisationInboxes {
        council: &'a str,
        organisation_id: &'a str,
    },
}

/// Up to `limit` positioned events after `after`, in position order.
pub fn page(conn: &mut DbConn, seen: Seen<'_>, after: i64, limit: i64) -> Result<Vec<Event>, StorageError> {
    let mut query = events::table
        .filter(events::position.gt(after))
        .order(events::position)
        .limit(limit)
        .select(Event::as_select())
        .into_boxed();
    match seen {
        Seen::Council(council) => query = query.filter(events::local_authority_id.eq(council.to_owned())),
        Seen::OrganisationInboxes { council, organisation_id } => {
            let inboxes =
                teams::table.filter(teams::organisation_id.eq(organisation_id.to_owned())).select(teams::id.nullable());
            query =
                query.filter(events::local_authority_id.eq(council.to_owned())).filter(events::team_id.eq_any(inboxes));
        }
    }
    Ok(query.load(conn)?)
}

/// Drops events older than `before` (the feed keeps them for 90 days),
/// always keeping the last: positions continue from it, so a cursor a
/// client holds never comes to name another event.
pub fn purge_before(conn: &mut DbConn, before: NaiveDateTime) -> Result<usize, StorageError> {
    let last: Option<i64> = events::table.select(diesel::dsl::max(events::position)).first(conn)?;
    let Some(last) = last else { return Ok(0) };
    Ok(diesel::delete(events::table.filter(events::occurred_at.lt(before)).filter(events::position.lt(last)))
        .execute(conn)?)
}
