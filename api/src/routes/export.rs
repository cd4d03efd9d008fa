//! Subject-access export (UK GDPR art. 15): what the officer may read about a
//! child or young person, as a zip of JSON files and the uploaded documents.
//! The zip is assembled in an unlinked temporary file, so nothing of it is
//! left on disk once the response ends, even if the server stops mid-way.

use std::io::{Seek, SeekFrom, Write};

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{get, web, HttpResponse};
use futures_util::StreamExt;
use serde_json::Value;
use tokio::io::AsyncReadExt;
use zip::write::SimpleFileOptions;
use zip::ZipWriter;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::problems::{Forbidden, NotFound, Unauthorized, Unavailable};
use crate::state::AppState;
use crate::workflow::export::case_export;

/// A temporary file that is already unlinked: it disappears when closed.
fn anonymous_file() -> Result<std::fs::File, ApiError> {
    let path = std::env::temp_dir().join(format!("ehc-export-{}.zip", uuid::Uuid::new_v4()));
    let file =
        std::fs::OpenOptions::new().read(true).write(true).create_new(true).open(&path).map_err(ApiError::internal)?;
    std::fs::remove_file(&path).map_err(ApiError::internal)?;
    Ok(file)
}

fn safe_name(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' }).collect()
}

/// Everything held about the child, as a zip.
///
/// The subject-access export: what the API gives about the case, its requests, advice, documents
/// and audit log. Assessment officers; audited.
#[utoipa::path(tag = "audit", operation_id = "exportCase", security(("bearer" = [])), params(("id" = uuid::Uuid, Path, description = "The case's id")), responses(
    (status = 200, content_type = "application/zip", description = "case.json, participants.json, advice_requests.json, advice/, documents/, decisions.json, exceptions.json, timeline.json, legal_hold.json, notifications.json, audit.json"),
    Unauthorized, Forbidden, NotFound, Unavailable))]
#[get("/cases/{id}/export")]
pub async fn export_case(state: web::Data<AppState>, me: AuthUser, path: web::Path<String>) -> ApiResult<HttpResponse> {
    let case_id = path.into_inner();
    let gathered = case_export(&state, me, case_id).await?;
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut zip = ZipWriter::new(anonymous_file()?);
    for (name, value) in &gathered.files {
        zip.start_file(name.as_str(), options).map_err(ApiError::internal)?;
        let bytes = match value {
            Value::String(text) if name.ends_with(".txt") => text.clone().into_bytes(),
            other => serde_json::to_vec_pretty(other).map_err(ApiError::internal)?,
        };
        zip.write_all(&bytes).map_err(ApiError::internal)?;
    }
    for document in &gathered.documents {
        let name = format!("documents/{}/{}-{}", document.request_id, document.id, safe_name(&document.file_name));
        zip.start_file(name, options).map_err(ApiError::internal)?;
        let mut stream = state.blobs.get(&document.blob_key).await.map_err(|e| ApiError::Unavailable(e.to_string()))?;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| ApiError::Unavailable(e.to_string()))?;
            zip.write_all(&chunk).map_err(ApiError::internal)?;
        }
    }
    let mut file = zip.finish().map_err(ApiError::internal)?;
    let size = file.seek(SeekFrom::End(0)).map_err(ApiError::internal)?;
    file.seek(SeekFrom::Start(0)).map_err(ApiError::internal)?;
    let reader = tokio::fs::File::from_std(file);
    let body = futures_util::stream::unfold(reader, |mut reader| async move {
        let mut buffer = vec![0u8; 64 * 1024];
        match reader.read(&mut buffer).await {
            Ok(0) => None,
            Ok(n) => {
                buffer.truncate(n);
                Some((Ok::<_, std::io::Error>(bytes::Bytes::from(buffer)), reader))
            }
            Err(e) => Some((Err(e), reader)),
        }
    });
    let disposition = ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![DispositionParam::Filename(format!("{}.zip", gathered.reference))],
    };
    Ok(HttpResponse::Ok().content_type("application/zip").insert_header(disposition).no_chunking(size).streaming(body))
}
