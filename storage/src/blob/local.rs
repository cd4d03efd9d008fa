use std::path::PathBuf;

use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::{check_key, ByteStream, Metered, StoredBlob};
use crate::StorageError;

#[derive(Clone, Debug)]
pub struct LocalBlobStore {
    root: PathBuf,
}

const READ_CHUNK_BYTES: usize = 64 * 1024;

fn io_error(e: std::io::Error) -> StorageError {
    StorageError::Blob(e.to_string())
}

impl LocalBlobStore {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    fn path(&self, key: &str) -> Result<PathBuf, StorageError> {
        check_key(key)?;
        Ok(self.root.join(key))
    }

    pub async fn put(&self, key: &str, mut body: ByteStream, max_bytes: u64) -> Result<StoredBlob, StorageError> {
        let path = self.path(key)?;
        if let Some(parent) = path.parent() {
            tokio::fs::create_dir_all(parent).await.map_err(io_error)?;
        }
        // Written beside its final name and renamed when complete, so a
        // reader never sees half a file and a failure leaves nothing.
        let partial = path.with_extension(format!("partial-{}", uuid::Uuid::new_v4()));
        let result = async {
            let mut file = tokio::fs::File::create(&partial).await.map_err(io_error)?;
            let mut meter = Metered::new(max_bytes);
            while let Some(chunk) = body.next().await {
                let chunk = chunk?;
                meter.take(&chunk)?;
                file.write_all(&chunk).await.map_err(io_error)?;
            }
            file.sync_all().await.map_err(io_error)?;
            Ok(meter.finish())
        }
        .await;
        match result {
            Ok(stored) => {
                tokio::fs::rename(&partial, &path).await.map_err(io_error)?;
                Ok(stored)
            }
            Err(e) => {
                let _ = tokio::fs::remove_file(&partial).await;
                Err(e)
            }
        }
    }

    pub async fn get(&self, key: &str) -> Result<ByteStream, StorageError> {
        let file = match tokio::fs::File::open(self.path(key)?).await {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(StorageError::NotFound),
            Err(e) => return Err(io_error(e)),
        };
        let stream = futures_util::stream::try_unfold(file, |mut file| async move {
            let mut buf = vec![0u8; READ_CHUNK_BYTES];
            let n = file.read(&mut buf).await.map_err(io_error)?;
            if n == 0 {
                return Ok(None);
            }
            buf.truncate(n);
            Ok(Some((bytes::Bytes::from(buf), file)))
        });
        Ok(Box::pin(stream))
    }

    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match tokio::fs::remove_file(self.path(key)?).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io_error(e)),
        }
    }

    pub async fn list_keys(&self, prefix: &str) -> Result<Vec<String>, StorageError> {
        let mut keys = Vec::new();
        let mut pending = vec![self.root.clone()];
        while let Some(dir) = pending.pop() {
            let mut entries = match tokio::fs::read_dir(&dir).await {
                Ok(e) => e,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(io_error(e)),
            };
            while let Some(entry) = entries.next_entry().await.map_err(io_error)? {
                let path = entry.path();
                if entry.file_type().await.map_err(io_error)?.is_dir() {
                    pending.push(path);
                } else if let Ok(relative) = path.strip_prefix(&self.root) {
                    let key = relative.to_string_lossy().replace('\\', "/");
                    if key.starts_with(prefix) {
                        keys.push(key);
                    }
                }
            }
        }
        keys.sort();
        Ok(keys)
    }

    pub async fn ping(&self) -> Result<(), StorageError> {
        tokio::fs::create_dir_all(&self.root).await.map_err(io_error)?;
        let meta = tokio::fs::metadata(&self.root).await.map_err(io_error)?;
        if meta.permissions().readonly() {
            return Err(StorageError::Blob("blob folder is read-only".to_owned()));
        }
        Ok(())
    }
}
