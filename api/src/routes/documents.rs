//! Reports and letters uploaded with advice: streamed to the blob store,
//! typed by content, size-limited, virus-scanned when a scanner is
//! configured; readable by whoever may read the advice they belong to.

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use bytes::Bytes;
use chrono::{DateTime, NaiveDateTime, Utc};
use ehc_domain::advice::AdviceStatus;
use ehc_domain::documents::{sanitise_file_name, sniff, SNIFF_BYTES};
use ehc_storage::blob::TOO_LARGE;
use ehc_storage::casework::advice as advice_store;
use ehc_storage::casework::documents::{self as store, Document};
use ehc_storage::casework::requests::{AdviceRequest, OPEN};
use ehc_storage::{DbConn, StorageError};
use futures_util::StreamExt;
use serde::Serialize;
use utoipa::ToSchema;

use crate::audit;
use crate::auth::AuthUser;
use crate::casework::{author_of, visible_request};
use crate::error::{ApiError, ApiResult, Problem};
use crate::routes::advice::reads_draft;
use crate::scanning::Verdict;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentView {
    pub id: String,
    pub request_id: String,
    pub file_name: String,
    /// Determined from the content, not the name.
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub created_at: DateTime<Utc>,
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
        }
    }
}

/// The author, while the advice can still change.
fn check_author_may_change(
    conn: &mut DbConn,
    me: &AuthUser,
    request: &AdviceRequest,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    if author_of(request) != Some(me.user_id.as_str()) {
        return Err(ApiError::Forbidden("Only the author of the advice adds or removes its documents."));
    }
    if request.status != OPEN {
        return Err(ApiError::Conflict(format!("The request is {}.", request.status)));
    }
    let advice = advice_store::ensure_advice(conn, &request.id, Some(&me.user_id), now)?;
    let status = AdviceStatus::parse(&advice.status).ok_or_else(|| ApiError::internal("unknown advice status"))?;
    if !status.editable() {
        return Err(ApiError::Conflict(
            "The advice is locked: its documents cannot change until it is released.".to_owned(),
        ));
    }
    Ok(())
}

/// Which of a request's documents the caller may read: readers of the draft
/// see every one; other participants those that were part of a published
/// version (uploaded before the latest publication).
enum DocumentAccess {
    All,
    UploadedBy(NaiveDateTime),
    None,
}

impl DocumentAccess {
    fn of(conn: &mut DbConn, me: &AuthUser, request: &AdviceRequest) -> Result<Self, ApiError> {
        if let Some(advice) = advice_store::advice_of(conn, &request.id)? {
            if reads_draft(conn, me, request, &advice)? {
                return Ok(Self::All);
            }
        }
        let published =
            advice_store::versions(conn, &request.id, true)?.into_iter().filter_map(|v| v.published_at).max();
        Ok(published.map_or(Self::None, Self::UploadedBy))
    }

    fn allows(&self, document: &Document) -> bool {
        match self {
            Self::All => true,
            Self::UploadedBy(at) => document.created_at <= *at,
            Self::None => false,
        }
    }
}

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
    (status = 201, body = DocumentView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json", description = "Not the author"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "The advice is locked"),
    (status = 413, body = Problem, content_type = "application/problem+json", description = "Larger than the limit (50 MiB by default)"),
    (status = 415, body = Problem, content_type = "application/problem+json", description = "Not an accepted type"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "A virus was found; nothing was kept"),
    (status = 503, body = Problem, content_type = "application/problem+json")))]
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
    let check_me = me.clone();
    let now = state.now();
    let request = state
        .tx(move |conn| {
            let (request, _) = visible_request(conn, &check_me, &id)?;
            check_author_may_change(conn, &check_me, &request, now)?;
            Ok(request)
        })
        .await?;
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
    let row = document.clone();
    let request_id = request.id.clone();
    let saved = state
        .tx(move |conn| {
            // The advice may have been submitted while the file streamed.
            let request = ehc_storage::casework::requests::request_by_id(conn, &request_id)?;
            check_author_may_change(conn, &me, &request, now)?;
            store::insert_document(conn, &row)?;
            audit::record(conn, &me, "document.upload", Some(&request.case_id), Some(&row.id))
        })
        .await;
    if let Err(e) = saved {
        let _ = state.blobs.delete(&key).await;
        return Err(e);
    }
    Ok(HttpResponse::Created().json(DocumentView::from(document)))
}

/// The document if the caller may read it, recording `action` in the audit log.
fn readable(conn: &mut DbConn, me: &AuthUser, id: &str, action: &str) -> Result<Document, ApiError> {
    let document = store::document_by_id(conn, id)?;
    let (request, case) = visible_request(conn, me, &document.request_id)?;
    if !DocumentAccess::of(conn, me, &request)?.allows(&document) {
        return Err(ApiError::NotFound);
    }
    audit::record(conn, me, action, Some(&case.id), Some(&document.id))?;
    Ok(document)
}

/// The documents of a request you may read.
#[utoipa::path(tag = "documents", operation_id = "listDocuments", security(("bearer" = [])), params(("id" = String, Path)), responses(
    (status = 200, body = Vec<DocumentView>),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/advice-requests/{id}/documents")]
pub async fn list_documents(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let rows = state
        .tx(move |conn| {
            let (request, case) = visible_request(conn, &me, &id)?;
            let access = DocumentAccess::of(conn, &me, &request)?;
            let rows = store::documents_of_request(conn, &request.id)?
                .into_iter()
                .filter(|d| access.allows(d))
                .map(DocumentView::from)
                .collect::<Vec<_>>();
            audit::record(conn, &me, "document.list", Some(&case.id), Some(&request.id))?;
            Ok(rows)
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows))
}

/// A document's details.
#[utoipa::path(tag = "documents", operation_id = "getDocument", security(("bearer" = [])), params(("id" = String, Path)), responses(
    (status = 200, body = DocumentView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/documents/{id}")]
pub async fn get_document(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let document = state.tx(move |conn| readable(conn, &me, &id, "document.read")).await?;
    Ok(HttpResponse::Ok().json(DocumentView::from(document)))
}

/// The file, streamed, as an attachment.
#[utoipa::path(tag = "documents", operation_id = "downloadDocument", security(("bearer" = [])), params(("id" = String, Path)), responses(
    (status = 200, content_type = "application/octet-stream", description = "The file (Content-Type is its detected type)"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 503, body = Problem, content_type = "application/problem+json")))]
#[get("/documents/{id}/content")]
pub async fn download_document(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let document = state.tx(move |conn| readable(conn, &me, &id, "document.download")).await?;
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
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "The advice is locked")))]
#[delete("/documents/{id}")]
pub async fn delete_document(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let now = state.now();
    let key = state
        .tx(move |conn| {
            let document = readable(conn, &me, &id, "document.delete")?;
            let request = ehc_storage::casework::requests::request_by_id(conn, &document.request_id)?;
            check_author_may_change(conn, &me, &request, now)?;
            store::mark_deleted(conn, &document.id, now)?;
            Ok(document.blob_key)
        })
        .await?;
    // The row is gone first: a failed blob delete leaves an orphan, never a dangling row.
    if let Err(e) = state.blobs.delete(&key).await {
        tracing::warn!(error = %e, "a deleted document's blob could not be removed");
    }
    Ok(HttpResponse::NoContent().finish())
}
