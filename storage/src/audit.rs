//! The append-only audit log. Appends are serialised (an advisory lock on
//! PostgreSQL, the write lock SQLite transactions take first) so that every
//! entry links to the one truly before it. Call `append` last in a
//! transaction: the lock is held until commit.

use chrono::{NaiveDateTime, SubsecRound};
use diesel::prelude::*;
use ehc_domain::audit::{entry_hash, AuditFields, GENESIS};

use crate::bulk::batch_insert;
use crate::schema::audit_log;
use crate::{DbConn, StorageError};

/// The key of the PostgreSQL advisory lock that orders appends ("EHCA").
const APPEND_LOCK: i64 = 0x4548_4341;

#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = audit_log)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: NaiveDateTime,
    pub actor_user_id: Option<String>,
    pub action: String,
    pub case_id: Option<String>,
    pub subject_id: Option<String>,
    pub request_id: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// What happened; the sequence number and hashes are added on append.
#[derive(Debug, Clone)]
pub struct NewAuditEntry {
    pub at: NaiveDateTime,
    pub actor_user_id: Option<String>,
    pub action: String,
    pub case_id: Option<String>,
    pub subject_id: Option<String>,
    pub request_id: Option<String>,
}

impl AuditEntry {
    /// The time as hashed: microseconds, the precision both backends keep.
    pub fn at_text(at: &NaiveDateTime) -> String {
        at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
    }

    pub fn fields<'a>(&'a self, at: &'a str) -> AuditFields<'a> {
        AuditFields {
            seq: self.seq,
            at,
            actor_user_id: self.actor_user_id.as_deref(),
            action: &self.action,
            case_id: self.case_id.as_deref(),
            subject_id: self.subject_id.as_deref(),
            request_id: self.request_id.as_deref(),
        }
    }
}

pub fn append(conn: &mut DbConn, new: NewAuditEntry) -> Result<i64, StorageError> {
    append_all(conn, vec![new])
}

/// Appends entries in order with one lock, one read of the chain's end and
/// one insert (a listed page records a read of each case on it). Returns the
/// last sequence number.
pub fn append_all(conn: &mut DbConn, entries: Vec<NewAuditEntry>) -> Result<i64, StorageError> {
    if let DbConn::Pg(_) = conn {
        diesel::sql_query(format!("SELECT pg_advisory_xact_lock({APPEND_LOCK})")).execute(conn)?;
    }
    let last: Option<(i64, String)> = audit_log::table
        .order(audit_log::seq.desc())
        .select((audit_log::seq, audit_log::hash))
        .first(conn)
        .optional()?;
    let (mut seq, mut prev_hash) = last.unwrap_or((0, GENESIS.to_owned()));
    let mut rows = Vec::with_capacity(entries.len());
    for new in entries {
        seq += 1;
        let mut entry = AuditEntry {
            seq,
            at: new.at.trunc_subsecs(6),
            actor_user_id: new.actor_user_id,
            action: new.action,
            case_id: new.case_id,
            subject_id: new.subject_id,
            request_id: new.request_id,
            prev_hash,
            hash: String::new(),
        };
        let at = AuditEntry::at_text(&entry.at);
        entry.hash = entry_hash(&entry.prev_hash, &entry.fields(&at));
        prev_hash = entry.hash.clone();
        rows.push(entry);
    }
    // Chunks keep each statement under both backends' bind-parameter limits.
    for chunk in rows.chunks(1000) {
        let inserted: Result<(), StorageError> = batch_insert!(conn, audit_log::table, chunk);
        inserted?;
    }
    Ok(seq)
}

/// A case's entries, oldest first, after `after_seq`.
pub fn entries_of_case(
    conn: &mut DbConn,
    case_id: &str,
    after_seq: i64,
    limit: i64,
) -> Result<Vec<AuditEntry>, StorageError> {
    Ok(audit_log::table
        .filter(audit_log::case_id.eq(case_id))
        .filter(audit_log::seq.gt(after_seq))
        .order(audit_log::seq.asc())
        .limit(limit)
        .load(conn)?)
}

/// The whole log in order, a page at a time.
pub fn page(conn: &mut DbConn, after_seq: i64, limit: i64) -> Result<Vec<AuditEntry>, StorageError> {
    Ok(audit_log::table.filter(audit_log::seq.gt(after_seq)).order(audit_log::seq.asc()).limit(limit).load(conn)?)
}

/// How many entries the chain holds (its last `seq`).
pub fn entry_count(conn: &mut DbConn) -> Result<i64, StorageError> {
    let last: Option<i64> = audit_log::table.select(diesel::dsl::max(audit_log::seq)).first(conn)?;
    Ok(last.unwrap_or(0))
}
