//! Documents as the API lists them.

use chrono::{DateTime, Utc};
use ehc_domain::upload_checks::VirusScan;
use ehc_storage::casework::documents::Document;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub request_id: String,
    pub file_name: String,
    /// Determined from the content, not the name.
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub created_at: DateTime<Utc>,
    /// Whether the virus scanner saw the file before it was kept.
    pub virus_scan: VirusScan,
}

impl From<Document> for DocumentView {
    fn from(d: Document) -> Self {
        DocumentView {
            id: d.id,
            request_id: d.request_id,
            file_name: d.file_name,
            content_type: d.content_type,
            size_bytes: d.size_bytes,
            sha256: d.sha256,
            created_at: d.created_at.and_utc(),
            virus_scan: d.virus_scan,
        }
    }
}
