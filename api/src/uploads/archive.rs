//! How far an archive-based document expands, measured by really inflating
//! every part (the sizes a zip declares can lie), stopping as soon as the
//! allowance is spent.

use std::io::Read;
use std::path::{Path, PathBuf};

use ehc_domain::upload_checks::{expansion_allowed, MAX_ARCHIVE_ENTRIES};

use crate::error::ApiError;

/// A temporary copy of an upload, removed when dropped.
pub struct Spool {
    path: PathBuf,
    pub file: tokio::fs::File,
}

impl Spool {
    pub async fn create() -> Result<Spool, ApiError> {
        let path = std::env::temp_dir().join(format!("ehc-upload-{}.zip", uuid::Uuid::new_v4()));
        let file = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .await
            .map_err(|e| ApiError::Unavailable(format!("temporary file: {e}")))?;
        Ok(Spool { path, file })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

fn refused(detail: &str) -> ApiError {
    ApiError::validation("", "archive_expands_too_far", detail)
}

/// Refuses an archive that is not a readable zip, has more parts than any
/// document, or inflates beyond `expansion_allowed` of its size.
pub fn check_expansion(path: &Path, archive_bytes: u64) -> Result<(), ApiError> {
    let file = std::fs::File::open(path).map_err(|e| ApiError::Unavailable(format!("temporary file: {e}")))?;
    let mut zip = zip::ZipArchive::new(file)
        .map_err(|_| ApiError::validation("", "unreadable_archive", "The document could not be opened."))?;
    if zip.len() > MAX_ARCHIVE_ENTRIES {
        return Err(refused("The document has more parts than any real document."));
    }
    let allowed = expansion_allowed(archive_bytes);
    let mut expanded: u64 = 0;
    let mut buffer = vec![0u8; 64 * 1024];
    for index in 0..zip.len() {
        let mut entry = zip
            .by_index(index)
            .map_err(|_| ApiError::validation("", "unreadable_archive", "The document could not be opened."))?;
        loop {
            let n = entry
                .read(&mut buffer)
                .map_err(|_| ApiError::validation("", "unreadable_archive", "The document could not be opened."))?;
            if n == 0 {
                break;
            }
            expanded += n as u64;
            if expanded > allowed {
                return Err(refused(
                    "The document expands to far more than its size when opened, as a zip bomb does; it was not kept.",
                ));
            }
        }
    }
    Ok(())
}
