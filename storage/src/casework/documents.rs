use chrono::NaiveDateTime;
use diesel::prelude::*;
use ehc_domain::upload_checks::VirusScan;

use crate::schema::documents;
use crate::{DbConn, StorageError};

#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = documents)]
pub struct Document {
    pub id: String,
    pub request_id: String,
    pub uploaded_by: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub blob_key: String,
    pub created_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub virus_scan: VirusScan,
}

pub fn insert_document(conn: &mut DbConn, document: &Document) -> Result<(), StorageError> {
    diesel::insert_into(documents::table).values(document.clone()).execute(conn)?;
    Ok(())
}

/// A document that has not been deleted.
pub fn document_by_id(conn: &mut DbConn, id: &str) -> Result<Document, StorageError> {
    Ok(documents::table.filter(documents::id.eq(id)).filter(documents::deleted_at.is_null()).first(conn)?)
}

pub fn documents_of_request(conn: &mut DbConn, request_id: &str) -> Result<Vec<Document>, StorageError> {
    Ok(documents::table
        .filter(documents::request_id.eq(request_id))
        .filter(documents::deleted_at.is_null())
        .order(documents::id.asc())
        .load(conn)?)
}

/// Marks a document deleted (its blob is removed by the caller).
pub fn mark_deleted(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> Result<(), StorageError> {
    diesel::update(documents::table.find(id)).set(documents::deleted_at.eq(Some(now))).execute(conn)?;
    Ok(())
}
