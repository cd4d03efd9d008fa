//! The append-only audit log. An entry is written by the work it records,
//! in that work's own transaction (`append`), so it exists if and only if
//! the work committed; it waits there, unchained, in `audit_pending`. The
//! chainer (`chain_pending`, one at a time: an advisory lock on PostgreSQL,
//! the write lock on SQLite) then moves committed entries into the hash
//! chain in order, each linked to the one truly before it. Appends so never
//! queue behind each other's commits; whoever reads the log chains first.

use chrono::{NaiveDateTime, SubsecRound};
use diesel::prelude::*;
use ehc_domain::audit::{entry_hash, AuditFields, GENESIS};

use crate::bulk::insert_in_chunks;
use crate::schema::{audit_log, audit_pending};
use crate::{DbConn, StorageError};

/// The key of the PostgreSQL advisory lock that orders chaining ("EHCA").
const APPEND_LOCK: i64 = 0x4548_4341;
/// Entries one step of the chainer moves into the chain.
const CHAIN_BATCH: i64 = 1000;

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

/// What happened; the sequence number and hashes are added when chained.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = audit_pending)]
pub struct NewAuditEntry {
    pub at: NaiveDateTime,
    pub actor_user_id: Option<String>,
    pub action: String,
    pub case_id: Option<String>,
    pub subject_id: Option<String>,
    pub request_id: Option<String>,
}

#[derive(Debug, Clone, Queryable)]
struct PendingEntry {
    id: i64,
    at: NaiveDateTime,
    actor_user_id: Option<String>,
    action: String,
    case_id: Option<String>,
    subject_id: Option<String>,
    request_id: Option<String>,
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

/// Records an entry in the caller's transaction. No lock: the chainer
/// links it once the transaction has committed.
pub fn append(conn: &mut DbConn, new: NewAuditEntry) -> Result<(), StorageError> {
    append_all(conn, vec![new])
}

/// Records entries in order, in one insert per thousand (a listed page
/// records a read of each case on it).
pub fn append_all(conn: &mut DbConn, entries: Vec<NewAuditEntry>) -> Result<(), StorageError> {
    let entries: Vec<NewAuditEntry> =
        entries.into_iter().map(|e| NewAuditEntry { at: e.at.trunc_subsecs(6), ..e }).collect();
    insert_in_chunks!(conn, audit_pending::table, entries)
}

/// Moves every committed entry waiting into the chain, oldest first, and
/// returns how many. Run in a transaction of its own (or first in a reader's):
/// chainers take turns, each linking to the end the one before left.
pub fn chain_pending(conn: &mut DbConn) -> Result<usize, StorageError> {
    if let DbConn::Pg(_) = conn {
        diesel::sql_query(format!("SELECT pg_advisory_xact_lock({APPEND_LOCK})")).execute(conn)?;
    }
    let last: Option<(i64, String)> = audit_log::table
        .order(audit_log::seq.desc())
        .select((audit_log::seq, audit_log::hash))
        .first(conn)
        .optional()?;
    let (mut seq, mut prev_hash) = last.unwrap_or((0, GENESIS.to_owned()));
    let mut moved = 0;
    loop {
        let waiting: Vec<PendingEntry> =
            audit_pending::table.order(audit_pending::id.asc()).limit(CHAIN_BATCH).load(conn)?;
        if waiting.is_empty() {
            break;
        }
        let count = waiting.len();
        // Those just read, and only those: an entry given a lower id by a
        // transaction that commits later is chained next time.
        let ids: Vec<i64> = waiting.iter().map(|p| p.id).collect();
        let mut rows = Vec::with_capacity(count);
        for p in waiting {
            seq += 1;
            let mut entry = AuditEntry {
                seq,
                at: p.at,
                actor_user_id: p.actor_user_id,
                action: p.action,
                case_id: p.case_id,
                subject_id: p.subject_id,
                request_id: p.request_id,
                prev_hash,
                hash: String::new(),
            };
            let at = AuditEntry::at_text(&entry.at);
            entry.hash = entry_hash(&entry.prev_hash, &entry.fields(&at));
            prev_hash = entry.hash.clone();
            rows.push(entry);
        }
        insert_in_chunks!(conn, audit_log::table, rows)?;
        diesel::delete(audit_pending::table.filter(audit_pending::id.eq_any(&ids))).execute(conn)?;
        moved += count;
        if (count as i64) < CHAIN_BATCH {
            break;
        }
    }
    Ok(moved)
}

/// A case's chained entries, oldest first, after `after_seq` (chain first
/// to see them all).
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

/// The whole chain in order, a page at a time.
pub fn page(conn: &mut DbConn, after_seq: i64, limit: i64) -> Result<Vec<AuditEntry>, StorageError> {
    Ok(audit_log::table.filter(audit_log::seq.gt(after_seq)).order(audit_log::seq.asc()).limit(limit).load(conn)?)
}

/// How many entries wait to be chained.
pub fn pending_count(conn: &mut DbConn) -> Result<i64, StorageError> {
    Ok(audit_pending::table.count().get_result(conn)?)
}

/// How many entries the chain holds (its last `seq`).
pub fn entry_count(conn: &mut DbConn) -> Result<i64, StorageError> {
    let last: Option<i64> = audit_log::table.select(diesel::dsl::max(audit_log::seq)).first(conn)?;
    Ok(last.unwrap_or(0))
}
