//! Reports and letters uploaded with advice: received by `uploads` (typed by
//! content, size-limited, virus-scanned when a scanner is configured,
//! archives checked for how far they expand); readable by whoever may read
//! the advice they belong to.

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType, LOCATION};
use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use ehc_domain::documents::sanitise_file_name;
use ehc_storage::casework::documents::Document;
use ehc_storage::StorageError;
use futures_util::StreamExt;
use utoipa::ToSchema;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::paging::{page_of, Page, PageQuery};
use crate::problems::{Conflict, Forbidden, Invalid, NotFound, TooLarge, Unauthorized, Unavailable, UnsupportedType};
use crate::state::AppState;
use crate::uploads;
use crate::views::documents::DocumentView;
use crate::workflow::documents;

fn file_name_of(req: &HttpRequest) -> String {
    req.headers()
        .get(header::CONTENT_DISPOSITION)
        .and_then(|v| ContentDisposition::from_raw(v).ok())
        .and_then(|cd| {
            cd.get_filename_ext()
                .map(|f| String::from_utf8_lossy(&f.value).into_owned())
                .or_else(|| cd.get_filename().map(str::to_owned))
        })
        .unwrap_or_default()
}

/// A file's bytes, as uploaded and downloaded.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct FileBytes(#[allow(dead_code)] Vec<u8>);

/// Attach a document to the advice.
///
/// The body is the file itself; its name goes in `Content-Disposition: attachment; filename="…"`
/// (never in the URL). Accepted, judged by content: PDF, DOCX, DOC, ODT, RTF, TXT, JPEG, PNG. Files
/// are virus-scanned before they are stored; `virus_scan` in the answer says whether the scanner
/// saw it.
#[utoipa::path(tag = "documents", operation_id = "uploadDocument", security(("bearer" = [])), params(("id" = uuid::Uuid, Path, description = "The request for advice's id"),
    ("Content-Disposition" = String, Header, description = "attachment; filename=\"report.pdf\"")),
    request_body(content = FileBytes, content_type = "application/octet-stream", description = "The file's bytes"), responses(
    (status = 201, body = DocumentView, description = "Stored (and scanned)",
        headers(("Location" = String, description = "The document's details: `/api/v1/documents/{id}`"))),
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    TooLarge,
    UnsupportedType,
    Invalid,
    Unavailable))]
#[post("/advice-requests/{id}/documents")]
pub async fn upload_document(
    state: web::Data<AppState>,
    me: AuthUser,
    req: HttpRequest,
    path: web::Path<String>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let max = state.max_upload_bytes;
    let declared: Option<u64> =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
    let request = documents::upload_target(&state, me.clone(), id).await?;
    if !req.headers().contains_key(header::CONTENT_DISPOSITION) {
        return Err(ApiError::BadRequest(
            "Name the file in Content-Disposition: attachment; filename=\"…\" (never in the URL).".into(),
        ));
    }
    if declared.is_some_and(|n| n > max) {
        return Err(ApiError::PayloadTooLarge(format!("Files may be at most {} MiB.", max / (1024 * 1024))));
    }
    let document_id = ehc_storage::new_id();
    let key = format!("documents/{}/{document_id}", request.id);
    let received = uploads::receive(&state, payload, &key).await?;
    let document = Document {
        id: document_id,
        request_id: request.id.clone(),
        uploaded_by: me.user_id.clone(),
        file_name: sanitise_file_name(&file_name_of(&req), received.kind),
        content_type: received.kind.mime().to_owned(),
        size_bytes: i64::try_from(received.size_bytes).map_err(ApiError::internal)?,
        sha256: received.sha256_hex,
        blob_key: key.clone(),
        created_at: state.now(),
        deleted_at: None,
        virus_scan: received.virus_scan,
    };
    let saved = documents::record_upload(&state, me, document.clone()).await;
    if let Err(e) = saved {
        let _ = state.blobs.delete(&key).await;
        return Err(e);
    }
    Ok(HttpResponse::Created()
        .insert_header((LOCATION, format!("/api/v1/documents/{}", document.id)))
        .json(DocumentView::from(document)))
}

/// The documents of a request that the caller may read.
///
/// The author sees their working documents; others on the case see those of published advice. Paged
/// with `limit` and `cursor`.
#[utoipa::path(tag = "documents", operation_id = "listDocuments", security(("bearer" = [])), params(("id" = uuid::Uuid, Path, description = "The request for advice's id"), PageQuery), responses(
    (status = 200, body = Page<DocumentView>, description = "The documents you may read"),
    Unauthorized,
    NotFound))]
#[get("/advice-requests/{id}/documents")]
pub async fn list_documents(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let rows: Vec<DocumentView> = documents::list(&state, me, id).await?.into_iter().map(DocumentView::from).collect();
    Ok(HttpResponse::Ok().json(page_of(rows, &query, |d| d.id.clone())?))
}

/// A document's details.
///
/// Its name, type, size, SHA-256 and scan status. For those who may read it; 404 otherwise.
#[utoipa::path(tag = "documents", operation_id = "getDocument", security(("bearer" = [])), params(("id" = uuid::Uuid, Path, description = "The document's id")), responses(
    (status = 200, body = DocumentView, description = "The document's details"),
    Unauthorized,
    NotFound))]
#[get("/documents/{id}")]
pub async fn get_document(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let document = documents::read(&state, me, id, "document.read").await?;
    Ok(HttpResponse::Ok().json(DocumentView::from(document)))
}

/// Download the file.
///
/// Streamed as an attachment with the type it was stored with; each download is audited.
#[utoipa::path(tag = "documents", operation_id = "downloadDocument", security(("bearer" = [])), params(("id" = uuid::Uuid, Path, description = "The document's id")), responses(
    (status = 200, description = "The file, with the type detected when it was stored",
        content(
            (FileBytes = "application/pdf"),
            (FileBytes = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            (FileBytes = "application/msword"),
            (FileBytes = "application/vnd.oasis.opendocument.text"),
            (FileBytes = "application/rtf"),
            (FileBytes = "text/plain"),
            (FileBytes = "image/jpeg"),
            (FileBytes = "image/png")),
        headers(("Content-Disposition" = String, description = "attachment; filename=\"…\" (the name it was uploaded with, made safe)"))),
    Unauthorized,
    NotFound,
    Unavailable))]
#[get("/documents/{id}/content")]
pub async fn download_document(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let document = documents::read(&state, me, id, "document.download").await?;
    let stream = state.blobs.get(&document.blob_key).await.map_err(|e| match e {
        StorageError::NotFound => ApiError::internal("document row without its blob"),
        other => ApiError::Unavailable(other.to_string()),
    })?;
    let disposition = ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![DispositionParam::Filename(document.file_name.clone())],
    };
    let size = u64::try_from(document.size_bytes).map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type(document.content_type.as_str())
        .insert_header(disposition)
        .insert_header(("x-content-type-options", "nosniff"))
        .no_chunking(size)
        .streaming(stream.map(|chunk| chunk.map_err(|e| ApiError::Unavailable(e.to_string())))))
}

/// Remove a document.
///
/// Its uploader, while the advice can still change (409 once it is locked).
#[utoipa::path(tag = "documents", operation_id = "deleteDocument", security(("bearer" = [])), params(("id" = uuid::Uuid, Path, description = "The document's id")), responses(
    (status = 204, description = "Deleted"),
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict))]
#[delete("/documents/{id}")]
pub async fn delete_document(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let key = documents::delete(&state, me, id).await?;
    // The row is gone first: a failed blob delete leaves an orphan, never a dangling row.
    if let Err(e) = state.blobs.delete(&key).await {
        tracing::warn!(error = %e, "a deleted document's blob could not be removed");
    }
    Ok(HttpResponse::NoContent().finish())
}
