//! The notification outbox: enqueue in the caller's transaction; claim with
//! a lease so several dispatchers never take the same row; mark the outcome.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};

use crate::schema::notifications;
use crate::{DbConn, StorageError};

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = notifications)]
pub struct NewNotification {
    pub id: String,
    pub event: String,
    pub case_id: Option<String>,
    pub recipient_user_id: String,
    pub subject: String,
    pub body: String,
    pub created_at: NaiveDateTime,
    pub next_attempt_at: NaiveDateTime,
}

#[derive(Debug, Clone, QueryableByName)]
#[diesel(table_name = notifications)]
pub struct Claimed {
    pub id: String,
    pub event: String,
    pub recipient_user_id: String,
    pub subject: String,
    pub body: String,
    pub attempts: i32,
}

pub fn enqueue(conn: &mut DbConn, rows: &[NewNotification]) -> Result<(), StorageError> {
    for row in rows {
        diesel::insert_into(notifications::table).values(row).execute(conn)?;
    }
    Ok(())
}

const CLAIM_PG: &str = "UPDATE notifications SET claimed_by = $1, claimed_until = $2 \
    WHERE id IN (SELECT id FROM notifications WHERE sent_at IS NULL AND next_attempt_at <= $3 \
    AND (claimed_until IS NULL OR claimed_until < $3) ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED) \
    RETURNING id, event, recipient_user_id, subject, body, attempts";

const CLAIM_SQLITE: &str = "UPDATE notifications SET claimed_by = ?, claimed_until = ? \
    WHERE id IN (SELECT id FROM notifications WHERE sent_at IS NULL AND next_attempt_at <= ? \
    AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY id LIMIT ?) \
    RETURNING id, event, recipient_user_id, subject, body, attempts";

/// Claims up to `limit` due notifications for `worker` until `lease_until`.
/// PostgreSQL skips rows another dispatcher is claiming; SQLite has one
/// writer at a time, so the plain update is already exclusive.
pub fn claim(
    conn: &mut DbConn,
    worker: &str,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> Result<Vec<Claimed>, StorageError> {
    let rows = match conn {
        DbConn::Pg(c) => diesel::sql_query(CLAIM_PG)
            .bind::<Text, _>(worker)
            .bind::<Timestamp, _>(lease_until)
            .bind::<Timestamp, _>(now)
            .bind::<BigInt, _>(limit)
            .load(c)?,
        DbConn::Sqlite(c) => diesel::sql_query(CLAIM_SQLITE)
            .bind::<Text, _>(worker)
            .bind::<Timestamp, _>(lease_until)
            .bind::<Timestamp, _>(now)
            .bind::<Timestamp, _>(now)
            .bind::<BigInt, _>(limit)
            .load(c)?,
    };
    Ok(rows)
}

/// Marks a notification sent, if this worker still holds it.
pub fn mark_sent(conn: &mut DbConn, id: &str, worker: &str, now: NaiveDateTime) -> Result<bool, StorageError> {
    let n = diesel::update(
        notifications::table.filter(notifications::id.eq(id)).filter(notifications::claimed_by.eq(worker)),
    )
    .set((
        notifications::sent_at.eq(Some(now)),
        notifications::claimed_by.eq(None::<String>),
        notifications::claimed_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Records a failed attempt and when to try again.
pub fn mark_failed(
    conn: &mut DbConn,
    id: &str,
    worker: &str,
    error: &str,
    retry_at: NaiveDateTime,
) -> Result<(), StorageError> {
    diesel::update(notifications::table.filter(notifications::id.eq(id)).filter(notifications::claimed_by.eq(worker)))
        .set((
            notifications::attempts.eq(notifications::attempts + 1),
            notifications::last_error.eq(Some(error)),
            notifications::next_attempt_at.eq(retry_at),
            notifications::claimed_by.eq(None::<String>),
            notifications::claimed_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn pending_count(conn: &mut DbConn) -> Result<i64, StorageError> {
    Ok(notifications::table.filter(notifications::sent_at.is_null()).count().get_result(conn)?)
}

/// (event, recipient, subject, body, created, sent) of a case's notices, oldest first.
pub type SentNotice = (String, String, String, String, NaiveDateTime, Option<NaiveDateTime>);

/// What the hub told people about a case (for the subject-access export).
pub fn of_case(conn: &mut DbConn, case_id: &str) -> Result<Vec<SentNotice>, StorageError> {
    Ok(notifications::table
        .filter(notifications::case_id.eq(case_id))
        .order((notifications::created_at.asc(), notifications::id.asc()))
        .select((
            notifications::event,
            notifications::recipient_user_id,
            notifications::subject,
            notifications::body,
            notifications::created_at,
            notifications::sent_at,
        ))
        .load(conn)?)
}

/// The undelivered notifications: how many, and when the oldest was made.
pub fn backlog(conn: &mut DbConn) -> Result<(i64, Option<NaiveDateTime>), StorageError> {
    let pending = notifications::table.filter(notifications::sent_at.is_null());
    let count: i64 = pending.count().get_result(conn)?;
    let oldest: Option<NaiveDateTime> = pending.select(diesel::dsl::min(notifications::created_at)).first(conn)?;
    Ok((count, oldest))
}
