//! Receiving an uploaded file: typed by its first bytes, streamed to the
//! blob store through a small bounded channel (memory stays bounded whatever
//! the size), fed to the virus scanner on the way, and, for archive-based
//! documents, spooled to a temporary file so that how far they expand can be
//! checked before the upload is accepted. Nothing is kept from an upload
//! that fails any check.

mod archive;

use actix_web::web;
use bytes::{Bytes, BytesMut};
use ehc_domain::documents::{sniff, DocumentType, SNIFF_BYTES};
use ehc_domain::upload_checks::VirusScan;
use ehc_storage::blob::TOO_LARGE;
use ehc_storage::StorageError;
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;

use crate::error::ApiError;
use crate::scanning::{ScanSession, Verdict};
use crate::state::AppState;

type Chunk = Result<Bytes, StorageError>;

/// A file stored under its key and passed every check.
pub struct Received {
    pub kind: DocumentType,
    pub size_bytes: u64,
    pub sha256_hex: String,
    pub virus_scan: VirusScan,
}

fn too_large(max: u64) -> ApiError {
    ApiError::PayloadTooLarge(format!("Files may be at most {} MiB.", max / (1024 * 1024)))
}

/// Reads enough of the body to know what the file is, before storing anything.
async fn read_head(payload: &mut web::Payload) -> Result<(Bytes, DocumentType), ApiError> {
    let mut head = BytesMut::new();
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
    Ok((head, kind))
}

/// What the pump saw on the way: the scan to finish, and why it stopped early.
struct Pumped {
    scan: Option<ScanSession>,
    failure: Option<String>,
}

/// Stores the body under `key` and checks it; on any failure the stored
/// bytes are removed again.
pub async fn receive(state: &AppState, mut payload: web::Payload, key: &str) -> Result<Received, ApiError> {
    let max = state.max_upload_bytes;
    let (head, kind) = read_head(&mut payload).await?;
    let mut scan = match &state.clamd {
        Some(clamd) => Some(clamd.start().await.map_err(ApiError::Unavailable)?),
        None => None,
    };
    let mut spool = match kind {
        DocumentType::Docx | DocumentType::Odt => Some(archive::Spool::create().await?),
        _ => None,
    };
    let spool_path = spool.as_ref().map(|s| s.path().to_owned());
    // actix's payload is tied to this worker thread: a local task pumps it.
    let (tx, rx) = tokio::sync::mpsc::channel::<Chunk>(4);
    let pump = actix_web::rt::spawn(async move {
        let mut chunk = Some(head);
        let mut failure = None;
        while let Some(bytes) = chunk.take() {
            if let Some(session) = scan.as_mut() {
                if let Err(e) = session.feed(&bytes).await {
                    failure = Some(format!("virus scanner: {e}"));
                    let _ = tx.send(Err(StorageError::Blob("scanner failed".to_owned()))).await;
                    break;
                }
            }
            if let Some(file) = spool.as_mut() {
                if let Err(e) = file.file.write_all(&bytes).await {
                    failure = Some(format!("temporary file: {e}"));
                    let _ = tx.send(Err(StorageError::Blob("spool failed".to_owned()))).await;
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
        if let Some(file) = spool.as_mut() {
            let _ = file.file.flush().await;
        }
        (Pumped { scan, failure }, spool)
    });
    let body: ehc_storage::blob::ByteStream =
        Box::pin(futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|c| (c, rx)) }));
    let stored = state.blobs.put(key, body, max).await;
    let (pumped, spool) = pump.await.map_err(ApiError::internal)?;
    let stored = match stored {
        Ok(stored) => stored,
        Err(StorageError::Blob(why)) if why == TOO_LARGE => return Err(too_large(max)),
        Err(e) => return Err(ApiError::Unavailable(pumped.failure.unwrap_or_else(|| e.to_string()))),
    };
    let checked = finish_checks(pumped.scan, spool_path, stored.size_bytes).await;
    drop(spool);
    match checked {
        Ok(virus_scan) => {
            Ok(Received { kind, size_bytes: stored.size_bytes, sha256_hex: stored.sha256_hex, virus_scan })
        }
        Err(e) => {
            let _ = state.blobs.delete(key).await;
            Err(e)
        }
    }
}

/// The scanner's verdict, then the archive's expansion.
async fn finish_checks(
    scan: Option<ScanSession>,
    spool_path: Option<std::path::PathBuf>,
    size_bytes: u64,
) -> Result<VirusScan, ApiError> {
    let virus_scan = match scan {
        None => VirusScan::NotScanned,
        Some(session) => match session.verdict().await {
            Ok(Verdict::Clean) => VirusScan::Clean,
            Ok(Verdict::Infected(signature)) => {
                tracing::warn!(signature = %signature, "an upload was infected and was discarded");
                return Err(ApiError::validation("", "infected", "The file contains a virus and was not kept."));
            }
            Err(why) => return Err(ApiError::Unavailable(format!("virus scanner: {why}"))),
        },
    };
    if let Some(path) = spool_path {
        web::block(move || archive::check_expansion(&path, size_bytes)).await??;
    }
    Ok(virus_scan)
}
