//! Sliding-window rate limits kept in the database, so that every server
//! instance counts the same events.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use ehc_domain::otp_policy::{retry_after_seconds, RateLimit};

use crate::schema::rate_limit_events;
use crate::{new_id, DbConn, StorageError};

/// Counts one event in `bucket` unless the limit is reached. Returns
/// `Some(retry_after_seconds)` when refused (nothing is recorded then).
pub fn hit(conn: &mut DbConn, bucket: &str, limit: RateLimit, now: NaiveDateTime) -> Result<Option<i64>, StorageError> {
    if let Some(retry) = check(conn, bucket, limit, now)? {
        return Ok(Some(retry));
    }
    record(conn, bucket, now)?;
    Ok(None)
}

/// Says whether the limit is reached, without counting.
pub fn check(
    conn: &mut DbConn,
    bucket: &str,
    limit: RateLimit,
    now: NaiveDateTime,
) -> Result<Option<i64>, StorageError> {
    let since = now - limit.window;
    let in_window = rate_limit_events::table
        .filter(rate_limit_events::bucket.eq(bucket))
        .filter(rate_limit_events::occurred_at.gt(since));
    let count: i64 = in_window.count().get_result(conn)?;
    if count < limit.max {
        return Ok(None);
    }
    let oldest: Option<NaiveDateTime> =
        in_window.select(diesel::dsl::min(rate_limit_events::occurred_at)).first(conn)?;
    Ok(Some(retry_after_seconds(oldest.unwrap_or(now), now, limit)))
}

pub fn record(conn: &mut DbConn, bucket: &str, now: NaiveDateTime) -> Result<(), StorageError> {
    diesel::insert_into(rate_limit_events::table)
        .values((
            rate_limit_events::id.eq(new_id()),
            rate_limit_events::bucket.eq(bucket),
            rate_limit_events::occurred_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Forgets events in a bucket (e.g. failed logins after a successful one).
pub fn clear(conn: &mut DbConn, bucket: &str) -> Result<(), StorageError> {
    diesel::delete(rate_limit_events::table.filter(rate_limit_events::bucket.eq(bucket))).execute(conn)?;
    Ok(())
}

/// Deletes events older than any window we use (run periodically).
pub fn prune(conn: &mut DbConn, older_than: NaiveDateTime) -> Result<usize, StorageError> {
    Ok(diesel::delete(rate_limit_events::table.filter(rate_limit_events::occurred_at.lt(older_than))).execute(conn)?)
}
