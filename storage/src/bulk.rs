//! Batch inserts for the load generator (`ehc-hub seed-load`): many rows per
//! statement, in the portable types of the schema.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::casework::cases::Case;
use crate::casework::requests::AdviceRequest;
use crate::identity::users::NewUser;
use crate::schema::{advice, advice_requests, advice_versions, case_participants, cases, users};
use crate::{DbConn, StorageError};

/// The multi-backend connection has no batch insert: run the same statement
/// on whichever concrete connection this is.
macro_rules! batch_insert {
    ($conn:expr, $table:expr, $rows:expr) => {{
        match $conn {
            DbConn::Pg(c) => diesel::insert_into($table).values($rows).execute(c)?,
            DbConn::Sqlite(c) => diesel::insert_into($table).values($rows).execute(c)?,
        };
        Ok(())
    }};
}
pub(crate) use batch_insert;

/// `batch_insert!` a thousand rows at a time, which keeps every statement
/// under both backends' bind-parameter limits.
macro_rules! insert_in_chunks {
    ($conn:expr, $table:expr, $rows:expr) => {{
        for chunk in $rows.chunks(1000) {
            let inserted: Result<(), StorageError> = crate::bulk::batch_insert!(&mut *$conn, $table, chunk);
            inserted?;
        }
        Ok::<(), StorageError>(())
    }};
}
pub(crate) use insert_in_chunks;

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = case_participants)]
pub struct ParticipantRow {
    pub id: String,
    pub case_id: String,
    pub user_id: Option<String>,
    pub team_id: Option<String>,
    pub pending_email: Option<String>,
    pub kind: String,
    pub added_by: String,
    pub added_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = advice)]
pub struct AdviceRow {
    pub request_id: String,
    pub content: String,
    #[diesel(serialize_as = String)]
    pub status: ehc_domain::advice::AdviceStatus,
    pub revision: i32,
    pub author_id: Option<String>,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = advice_versions)]
pub struct VersionRow {
    pub request_id: String,
    pub version: i32,
    pub content: String,
    pub submitted_by: String,
    pub submitted_at: NaiveDateTime,
    pub published_at: Option<NaiveDateTime>,
}

/// For the load generator's own transactions only: on PostgreSQL, commit
/// without waiting for the WAL to reach disk (`synchronous_commit = off`
/// for this transaction). A crash may lose the last batches of a benchmark
/// load, never anything a user was told was saved; SQLite is unchanged.
pub fn defer_durability(conn: &mut DbConn) -> Result<(), StorageError> {
    if let DbConn::Pg(c) = conn {
        diesel::sql_query("SET LOCAL synchronous_commit TO OFF").execute(c)?;
    }
    Ok(())
}

pub fn users(conn: &mut DbConn, rows: &[NewUser<'_>]) -> Result<(), StorageError> {
    let homes = rows.iter().map(NewUser::home_membership).collect::<Result<Vec<_>, _>>()?;
    let inserted: Result<(), StorageError> = batch_insert!(&mut *conn, users::table, rows);
    inserted?;
    crate::identity::memberships::insert_all(conn, &homes)
}

pub fn cases(conn: &mut DbConn, rows: &[Case]) -> Result<(), StorageError> {
    batch_insert!(conn, cases::table, rows.to_vec())
}

pub fn participants(conn: &mut DbConn, rows: &[ParticipantRow]) -> Result<(), StorageError> {
    batch_insert!(conn, case_participants::table, rows)
}

pub fn requests(conn: &mut DbConn, rows: &[AdviceRequest]) -> Result<(), StorageError> {
    batch_insert!(conn, advice_requests::table, rows.to_vec())
}

pub fn advice(conn: &mut DbConn, rows: &[AdviceRow]) -> Result<(), StorageError> {
    batch_insert!(conn, advice::table, rows.to_vec())
}

pub fn versions(conn: &mut DbConn, rows: &[VersionRow]) -> Result<(), StorageError> {
    batch_insert!(conn, advice_versions::table, rows)
}
