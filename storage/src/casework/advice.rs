//! The working copy of advice and its immutable submitted versions.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use ehc_domain::advice::AdviceStatus;

use crate::schema::{advice, advice_versions};
use crate::{DbConn, StorageError};

#[derive(Debug, Clone, Queryable)]
pub struct Advice {
    pub request_id: String,
    /// JSON of `ehc_domain::advice::AdviceContent`.
    pub content: String,
    #[diesel(deserialize_as = String)]
    pub status: AdviceStatus,
    pub revision: i32,
    pub author_id: Option<String>,
    pub status_reason: Option<String>,
    pub updated_by: Option<String>,
    pub updated_at: NaiveDateTime,
    /// JSON array of the user ids who changed the working copy since it was
    /// last published.
    pub editors: String,
}

impl Advice {
    /// Whether `user_id` wrote or changed this working copy since it was last
    /// published (an unreadable list counts everyone as an editor: refusing
    /// an endorsement is the safe side).
    pub fn edited_by(&self, user_id: &str) -> bool {
        if self.updated_by.as_deref() == Some(user_id) {
            return true;
        }
        serde_json::from_str::<Vec<String>>(&self.editors).map_or(true, |editors| editors.iter().any(|e| e == user_id))
    }
}

#[derive(Debug, Clone, Queryable)]
pub struct AdviceVersion {
    pub request_id: String,
    pub version: i32,
    pub content: String,
    pub submitted_by: String,
    pub submitted_at: NaiveDateTime,
    pub endorsed_by: Option<String>,
    pub published_at: Option<NaiveDateTime>,
    /// JSON array of the warning codes the author acknowledged on submit.
    pub acknowledged_findings: String,
}

pub fn advice_of(conn: &mut DbConn, request_id: &str) -> Result<Option<Advice>, StorageError> {
    Ok(advice::table.find(request_id).first(conn).optional()?)
}

/// Creates the working copy (revision 1) if there is none.
pub fn ensure_advice(
    conn: &mut DbConn,
    request_id: &str,
    author_id: Option<&str>,
    now: NaiveDateTime,
) -> Result<Advice, StorageError> {
    if let Some(a) = advice_of(conn, request_id)? {
        return Ok(a);
    }
    diesel::insert_into(advice::table)
        .values((
            advice::request_id.eq(request_id),
            advice::content.eq("{}"),
            advice::status.eq(AdviceStatus::Draft.as_str()),
            advice::revision.eq(1),
            advice::author_id.eq(author_id),
            advice::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(advice::table.find(request_id).first(conn)?)
}

/// A new state of the working copy.
pub struct AdviceChange<'a> {
    pub content: &'a str,
    pub status: AdviceStatus,
    /// Why it was returned or released.
    pub reason: Option<&'a str>,
    pub by: &'a str,
    pub at: NaiveDateTime,
}

/// Writes the working copy only if it is still at `expected_revision`
/// (optimistic concurrency: a stale writer gets nothing). Returns whether it
/// was written.
pub fn update_advice(
    conn: &mut DbConn,
    request_id: &str,
    expected_revision: i32,
    change: &AdviceChange<'_>,
) -> Result<bool, StorageError> {
    let n = diesel::update(
        advice::table.filter(advice::request_id.eq(request_id)).filter(advice::revision.eq(expected_revision)),
    )
    .set((
        advice::content.eq(change.content),
        advice::status.eq(change.status.as_str()),
        advice::status_reason.eq(change.reason),
        advice::revision.eq(expected_revision + 1),
        advice::updated_by.eq(Some(change.by)),
        advice::updated_at.eq(change.at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Adds `user_id` to the working copy's editors.
pub fn record_editor(conn: &mut DbConn, request_id: &str, user_id: &str) -> Result<(), StorageError> {
    let current: String = advice::table.find(request_id).select(advice::editors).first(conn)?;
    let mut editors: Vec<String> = serde_json::from_str(&current).unwrap_or_default();
    if !editors.iter().any(|e| e == user_id) {
        editors.push(user_id.to_owned());
        let json = serde_json::to_string(&editors).map_err(|e| StorageError::Corrupt(e.to_string()))?;
        diesel::update(advice::table.find(request_id)).set(advice::editors.eq(json)).execute(conn)?;
    }
    Ok(())
}

pub fn set_author(conn: &mut DbConn, request_id: &str, author_id: &str) -> Result<(), StorageError> {
    diesel::update(advice::table.find(request_id)).set(advice::author_id.eq(Some(author_id))).execute(conn)?;
    Ok(())
}

pub fn add_version(
    conn: &mut DbConn,
    request_id: &str,
    content: &str,
    by: &str,
    published: bool,
    acknowledged_findings: &str,
    now: NaiveDateTime,
) -> Result<i32, StorageError> {
    let last: Option<i32> = advice_versions::table
        .filter(advice_versions::request_id.eq(request_id))
        .select(diesel::dsl::max(advice_versions::version))
        .first(conn)?;
    let version = last.unwrap_or(0) + 1;
    diesel::insert_into(advice_versions::table)
        .values((
            advice_versions::request_id.eq(request_id),
            advice_versions::version.eq(version),
            advice_versions::content.eq(content),
            advice_versions::submitted_by.eq(by),
            advice_versions::submitted_at.eq(now),
            advice_versions::published_at.eq(published.then_some(now)),
            advice_versions::acknowledged_findings.eq(acknowledged_findings),
        ))
        .execute(conn)?;
    Ok(version)
}

/// Publishes the latest version on endorsement.
pub fn publish_latest(
    conn: &mut DbConn,
    request_id: &str,
    endorsed_by: &str,
    now: NaiveDateTime,
) -> Result<(), StorageError> {
    let last: Option<i32> = advice_versions::table
        .filter(advice_versions::request_id.eq(request_id))
        .select(diesel::dsl::max(advice_versions::version))
        .first(conn)?;
    let version = last.ok_or(StorageError::NotFound)?;
    diesel::update(
        advice_versions::table
            .filter(advice_versions::request_id.eq(request_id))
            .filter(advice_versions::version.eq(version)),
    )
    .set((advice_versions::endorsed_by.eq(Some(endorsed_by)), advice_versions::published_at.eq(Some(now))))
    .execute(conn)?;
    // A published copy starts a new round: whoever changes it next edits anew.
    diesel::update(advice::table.find(request_id)).set(advice::editors.eq("[]")).execute(conn)?;
    Ok(())
}

pub fn versions(conn: &mut DbConn, request_id: &str, published_only: bool) -> Result<Vec<AdviceVersion>, StorageError> {
    let mut query = advice_versions::table.filter(advice_versions::request_id.eq(request_id)).into_boxed();
    if published_only {
        query = query.filter(advice_versions::published_at.is_not_null());
    }
    Ok(query.order(advice_versions::version.asc()).load(conn)?)
}
