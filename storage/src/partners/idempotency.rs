//! The stored first answers behind `Idempotency-Key`: claimed before the
//! work runs (so a concurrent retry on any instance sees it running), and
//! completed with the answer, or released when there is nothing to keep.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::idempotency_keys;
use crate::{DbConn, StorageError};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = idempotency_keys)]
pub struct StoredAnswer {
    pub principal_id: String,
    pub idempotency_key: String,
    pub fingerprint: String,
    pub status_code: Option<i32>,
    pub content_type: Option<String>,
    pub location: Option<String>,
    pub etag: Option<String>,
    pub body: Option<Vec<u8>>,
    pub created_at: NaiveDateTime,
}

/// What a claim found.
pub enum Claim {
    /// The key is this request's now: run it.
    Claimed,
    /// The key is already taken: by a request still running, or with its answer.
    Taken(StoredAnswer),
}

/// Claims the key for one request. A claim older than `stale_before` that
/// never completed (its instance stopped) and an answer older than
/// `expired_before` are forgotten first.
pub fn claim(
    conn: &mut DbConn,
    principal_id: &str,
    key: &str,
    now: NaiveDateTime,
    stale_before: NaiveDateTime,
    expired_before: NaiveDateTime,
) -> Result<Claim, StorageError> {
    let mine = idempotency_keys::table
        .filter(idempotency_keys::principal_id.eq(principal_id))
        .filter(idempotency_keys::idempotency_key.eq(key));
    let existing: Option<StoredAnswer> = mine.select(StoredAnswer::as_select()).first(conn).optional()?;
    if let Some(found) = existing {
        let forgotten =
            found.created_at < expired_before || (found.status_code.is_none() && found.created_at < stale_before);
        if !forgotten {
            return Ok(Claim::Taken(found));
        }
        diesel::delete(mine).execute(conn)?;
    }
    diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::principal_id.eq(principal_id),
            idempotency_keys::idempotency_key.eq(key),
            idempotency_keys::fingerprint.eq(""),
            idempotency_keys::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(Claim::Claimed)
}

/// The answer to keep for the key's request.
pub struct Answer<'a> {
    pub fingerprint: &'a str,
    pub status_code: i32,
    pub content_type: Option<&'a str>,
    pub location: Option<&'a str>,
    pub etag: Option<&'a str>,
    pub body: &'a [u8],
}

pub fn complete(conn: &mut DbConn, principal_id: &str, key: &str, answer: &Answer<'_>) -> Result<(), StorageError> {
    diesel::update(
        idempotency_keys::table
            .filter(idempotency_keys::principal_id.eq(principal_id))
            .filter(idempotency_keys::idempotency_key.eq(key)),
    )
    .set((
        idempotency_keys::fingerprint.eq(answer.fingerprint),
        idempotency_keys::status_code.eq(answer.status_code),
        idempotency_keys::content_type.eq(answer.content_type),
        idempotency_keys::location.eq(answer.location),
        idempotency_keys::etag.eq(answer.etag),
        idempotency_keys::body.eq(answer.body),
    ))
    .execute(conn)?;
    Ok(())
}

/// Gives the key up (the request kept nothing worth replaying).
pub fn release(conn: &mut DbConn, principal_id: &str, key: &str) -> Result<(), StorageError> {
    diesel::delete(
        idempotency_keys::table
            .filter(idempotency_keys::principal_id.eq(principal_id))
            .filter(idempotency_keys::idempotency_key.eq(key))
            .filter(idempotency_keys::status_code.is_null()),
    )
    .execute(conn)?;
    Ok(())
}

/// Forgets answers older than `before` (kept 24 hours).
pub fn purge_before(conn: &mut DbConn, before: NaiveDateTime) -> Result<usize, StorageError> {
    Ok(diesel::delete(idempotency_keys::table.filter(idempotency_keys::created_at.lt(before))).execute(conn)?)
}
