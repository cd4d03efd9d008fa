//! Reports and letters uploaded with advice: streamed to the blob store,
//! typed by content, size-limited, virus-scanned when a scanner is
//! configured; readable by whoever may read the advice they belong to.

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use bytes::Bytes;
use ehc_domain::documents::{sanitise_file_name, sniff, SNIFF_BYTES};
use ehc_storage::blob::TOO_LARGE;
use ehc_storage::casework::documents::Document;
use ehc_storage::StorageError;
use futures_util::StreamExt;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::problems::{Conflict, Forbidden, Invalid, NotFound, TooLarge, Unauthorized, Unavailable, UnsupportedType};
use crate::scanning::Verdict;
use crate::state::AppState;
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

type Chunk = Result<Bytes, StorageError>;

/// Upload a report or letter: the body is the file itself, its name in
/// `Content-Disposition: attachment; filename="…"` (never in the URL).
/// Accepted: PDF, DOCX, DOC, ODT, RTF, TXT, JPEG, PNG, judged by content.
#[utoipa::path(tag = "documents", operation_id = "uploadDocument", security(("bearer" = [])), params(("id" = String, Path),
    ("Content-Disposition" = String, Header, description = "attachment; filename=\"report.pdf\"")),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file's bytes"), responses(
    (status = 201, body = DocumentView, description = "Stored (and scanned)"),
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
    mut payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let max = state.max_upload_bytes;
    let declared: Option<u64> =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
    let request = documents::upload_target(&state, me.clone(), id).await?;
    let too_large = || ApiError::PayloadTooLarge(format!("Files may be at most {} MiB.", max / (1024 * 1024)));
    if declared.is_some_and(|n| n > max) {
        return Err(too_large());
    }

    // Read enough to know what the file is before storing anything.
    let mut head = bytes::BytesMut::new();
    while head.len() < SNIFF_BYTES {
        match payload.next().await {
            Some(Ok(chunk)) => head.extend_from_slice(&chunk),
            Some(Err(_)) => return Err(ApiError::BadRequest("The upload was interrupted.".to_owned())),
            None => break,
        }
    }
    let head = head.freeze();
    let kind = sniff(&head[..head.len().min(SNIFF_BYTES)]).ok_or_else(|| {
        ApiError::UnsupportedMediaType(
            "Upload a PDF, Word (DOCX or DOC), ODT, RTF, plain text, JPEG or PNG file.".to_owned(),
        )
    })?;
    let file_name = sanitise_file_name(&file_name_of(&req), kind);

    // actix's payload is tied to this worker thread: a local task pumps it
    // through a small bounded channel (backpressure, bounded memory) into the
    // blob store, feeding the virus scanner on the way.
    let mut scan = match &state.clamd {
        Some(clamd) => Some(clamd.start().await.map_err(ApiError::Unavailable)?),
        None => None,
    };
    let (tx, rx) = tokio::sync::mpsc::channel::<Chunk>(4);
    let pump = actix_web::rt::spawn(async move {
        let mut chunk = Some(head);
        let mut scan_error = None;
        while let Some(bytes) = chunk.take() {
            if let Some(session) = scan.as_mut() {
                if let Err(e) = session.feed(&bytes).await {
                    scan_error = Some(e);
                    let _ = tx.send(Err(StorageError::Blob("scanner failed".to_owned()))).await;
                    break;
                }
            }
            if tx.send(Ok(bytes)).await.is_err() {
                break;
            }
            chunk = match payload.next().await {
                Some(Ok(b)) => Some(b),
                Some(Err(_)) => {
                    let _ = tx.send(Err(StorageError::Blob("upload interrupted".to_owned()))).await;
                    None
                }
                None => None,
            };
        }
        (scan, scan_error)
    });
    let document_id = ehc_storage::new_id();
    let key = format!("documents/{}/{document_id}", request.id);
    let body: ehc_storage::blob::ByteStream =
        Box::pin(futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|c| (c, rx)) }));
    let stored = state.blobs.put(&key, body, max).await;
    let (scan, scan_error) = pump.await.map_err(ApiError::internal)?;
    let stored = match stored {
        Ok(stored) => stored,
        Err(StorageError::Blob(why)) if why == TOO_LARGE => return Err(too_large()),
        Err(e) => {
            return Err(match scan_error {
                Some(why) => ApiError::Unavailable(format!("virus scanner: {why}")),
                None => ApiError::Unavailable(e.to_string()),
            })
        }
    };
    if let Some(session) = scan {
        match session.verdict().await {
            Ok(Verdict::Clean) => {}
            Ok(Verdict::Infected(signature)) => {
                let _ = state.blobs.delete(&key).await;
                tracing::warn!(signature = %signature, "an upload was infected and was discarded");
                return Err(ApiError::validation("", "infected", "The file contains a virus and was not kept."));
            }
            Err(why) => {
                let _ = state.blobs.delete(&key).await;
                return Err(ApiError::Unavailable(format!("virus scanner: {why}")));
            }
        }
    }

    let document = Document {
        id: document_id,
        request_id: request.id.clone(),
        uploaded_by: me.user_id.clone(),
        file_name,
        content_type: kind.mime().to_owned(),
        size_bytes: i64::try_from(stored.size_bytes).map_err(ApiError::internal)?,
        sha256: stored.sha256_hex,
        blob_key: key.clone(),
        created_at: state.now(),
        deleted_at: None,
    };
    let saved = documents::record_upload(&state, me, document.clone()).await;
    if let Err(e) = saved {
        let _ = state.blobs.delete(&key).await;
        return Err(e);
    }
    Ok(HttpResponse::Created().json(DocumentView::from(document)))
}

/// The documents of a request you may read.
#[utoipa::path(tag = "documents", operation_id = "listDocuments", security(("bearer" = [])), params(("id" = String, Path)), responses(
    (status = 200, body = Vec<DocumentView>, description = "The documents you may read"),
    Unauthorized,
    NotFound))]
#[get("/advice-requests/{id}/documents")]
pub async fn list_documents(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let rows: Vec<DocumentView> = documents::list(&state, me, id).await?.into_iter().map(DocumentView::from).collect();
    Ok(HttpResponse::Ok().json(rows))
}

/// A document's details.
#[utoipa::path(tag = "documents", operation_id = "getDocument", security(("bearer" = [])), params(("id" = String, Path)), responses(
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

/// The file, streamed, as an attachment.
#[utoipa::path(tag = "documents", operation_id = "downloadDocument", security(("bearer" = [])), params(("id" = String, Path)), responses(
    (status = 200, content_type = "application/octet-stream", description = "The file (Content-Type is its detected type)"),
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

/// Remove a document while the advice can still change (its author).
#[utoipa::path(tag = "documents", operation_id = "deleteDocument", security(("bearer" = [])), params(("id" = String, Path)), responses(
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
