//! Recording who read or changed what on a case (seed 004 §7.8: need to know,
//! every transfer scrutinised). Handlers call `record` inside the transaction
//! that reads or changes the data, as its last step, so an entry exists if
//! and only if the work committed.

use ehc_storage::audit::{self, NewAuditEntry};
use ehc_storage::DbConn;

use crate::auth::AuthUser;
use crate::error::ApiError;

/// Appends one entry for the caller's request. `subject_id` names the record
/// within the case (a request, a document, a version), never personal data.
pub fn record(
    conn: &mut DbConn,
    me: &AuthUser,
    action: &str,
    case_id: Option<&str>,
    subject_id: Option<&str>,
) -> Result<(), ApiError> {
    audit::append(conn, entry(me, action, case_id, subject_id))?;
    Ok(())
}

/// One `action` on each of several cases (a listed page, a report), in one append.
pub fn record_each<'a>(
    conn: &mut DbConn,
    me: &AuthUser,
    action: &str,
    case_ids: impl IntoIterator<Item = &'a str>,
) -> Result<(), ApiError> {
    audit::append_all(conn, case_ids.into_iter().map(|id| entry(me, action, Some(id), None)).collect())?;
    Ok(())
}

fn entry(me: &AuthUser, action: &str, case_id: Option<&str>, subject_id: Option<&str>) -> NewAuditEntry {
    NewAuditEntry {
        at: me.request_at,
        actor_user_id: Some(me.actor_id().to_owned()),
        action: action.to_owned(),
        case_id: case_id.map(str::to_owned),
        subject_id: subject_id.map(str::to_owned),
        request_id: me.request_id.clone(),
    }
}

/// Entries the hub makes on its own (alerts, the retention purge): no actor.
pub fn record_system(
    conn: &mut DbConn,
    at: chrono::NaiveDateTime,
    action: &str,
    case_id: Option<&str>,
    subject_id: Option<&str>,
) -> Result<(), ApiError> {
    append_one(conn, at, None, action, case_id, subject_id, None)
}

/// An entry for a user who is not logged in yet (a login's second step):
/// the actor is known, the session is not.
pub fn record_for_user(
    conn: &mut DbConn,
    at: chrono::NaiveDateTime,
    user_id: &str,
    action: &str,
    subject_id: Option<&str>,
) -> Result<(), ApiError> {
    append_one(conn, at, Some(user_id), action, None, subject_id, crate::request_id::current_request_id())
}

fn append_one(
    conn: &mut DbConn,
    at: chrono::NaiveDateTime,
    actor: Option<&str>,
    action: &str,
    case_id: Option<&str>,
    subject_id: Option<&str>,
    request_id: Option<String>,
) -> Result<(), ApiError> {
    audit::append(
        conn,
        NewAuditEntry {
            at,
            actor_user_id: actor.map(str::to_owned),
            action: action.to_owned(),
            case_id: case_id.map(str::to_owned),
            subject_id: subject_id.map(str::to_owned),
            request_id,
        },
    )?;
    Ok(())
}

/// The outcome of checking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainReport {
    Intact { entries: i64 },
    Broken { after_intact: i64, at: ehc_domain::audit::ChainBreak },
}

impl std::fmt::Display for ChainReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainReport::Intact { entries } => write!(f, "audit chain intact: {entries} entries verified"),
            ChainReport::Broken { after_intact: 0, at } => {
                write!(f, "audit chain BROKEN: {at}; no entry before it verifies")
            }
            ChainReport::Broken { after_intact, at } => {
                write!(f, "audit chain BROKEN: {at}; entries 1 to {after_intact} before it verify")
            }
        }
    }
}

/// Verifies the chain from its first entry, a page at a time, in constant memory.
pub fn verify_chain(db: &ehc_storage::Database) -> Result<ChainReport, ehc_storage::StorageError> {
    const PAGE: i64 = 1000;
    let mut verifier = ehc_domain::audit::ChainVerifier::default();
    let mut after = 0;
    // What has committed is checked too.
    db.transaction(audit::chain_pending)?;
    loop {
        let page = db.transaction(|conn| audit::page(conn, after, PAGE))?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for entry in &page {
            let at = audit::AuditEntry::at_text(&entry.at);
            if let Err(at) = verifier.check(&entry.fields(&at), &entry.prev_hash, &entry.hash) {
                return Ok(ChainReport::Broken { after_intact: verifier.checked(), at });
            }
        }
        if (page.len() as i64) < PAGE {
            break;
        }
    }
    Ok(ChainReport::Intact { entries: verifier.checked() })
}
