use aws_sdk_s3::config::{Credentials, Region};
use aws_sdk_s3::primitives::ByteStream as S3Body;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};
use aws_sdk_s3::Client;
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;

use super::{check_key, ByteStream, Metered, StoredBlob};
use crate::StorageError;

/// S3 multipart parts must be at least 5 MiB (but the last); 8 MiB keeps
/// memory per upload bounded at one part.
const PART_BYTES: usize = 8 * 1024 * 1024;

#[derive(Clone, Debug)]
pub struct S3Settings {
    pub endpoint: Option<String>,
    pub region: String,
    pub bucket: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    pub path_style: bool,
}

#[derive(Clone, Debug)]
pub struct S3BlobStore {
    client: Client,
    bucket: String,
}

fn s3_error(context: &str, e: impl std::fmt::Display) -> StorageError {
    StorageError::Blob(format!("{context}: {e}"))
}

impl S3BlobStore {
    pub fn new(settings: &S3Settings) -> Self {
        let credentials =
            Credentials::new(&settings.access_key_id, &settings.secret_access_key, None, None, "ehc-hub-config");
        let mut builder = aws_sdk_s3::Config::builder()
            .behavior_version(aws_sdk_s3::config::BehaviorVersion::latest())
            .region(Region::new(settings.region.clone()))
            .credentials_provider(credentials)
            .force_path_style(settings.path_style);
        if let Some(endpoint) = &settings.endpoint {
            builder = builder.endpoint_url(endpoint);
        }
        Self { client: Client::from_conf(builder.build()), bucket: settings.bucket.clone() }
    }

    pub async fn put(&self, key: &str, mut body: ByteStream, max_bytes: u64) -> Result<StoredBlob, StorageError> {
        check_key(key)?;
        let mut meter = Metered::new(max_bytes);
        let mut buffer = BytesMut::with_capacity(PART_BYTES);
        let mut upload_id: Option<String> = None;
        let mut parts: Vec<CompletedPart> = Vec::new();

        let result: Result<(), StorageError> = async {
            while let Some(chunk) = body.next().await {
                let chunk = chunk?;
                meter.take(&chunk)?;
                buffer.extend_from_slice(&chunk);
                while buffer.len() >= PART_BYTES {
                    let part = buffer.split_to(PART_BYTES).freeze();
                    let id = match &upload_id {
                        Some(id) => id.clone(),
                        None => {
                            let created = self
                                .client
                                .create_multipart_upload()
                                .bucket(&self.bucket)
                                .key(key)
                                .send()
                                .await
                                .map_err(|e| s3_error("create multipart upload", e))?;
                            let id = created
                                .upload_id()
                                .ok_or_else(|| s3_error("create multipart upload", "no upload id"))?
                                .to_owned();
                            upload_id = Some(id.clone());
                            id
                        }
                    };
                    parts.push(self.upload_part(key, &id, parts.len() as i32 + 1, part).await?);
                }
            }
            Ok(())
        }
        .await;

        let finish = match (result, &upload_id) {
            (Err(e), Some(id)) => {
                self.abort(key, id).await;
                return Err(e);
            }
            (Err(e), None) => return Err(e),
            (Ok(()), None) => {
                // Small file: one PUT of what we hold.
                self.client
                    .put_object()
                    .bucket(&self.bucket)
                    .key(key)
                    .body(S3Body::from(buffer.freeze()))
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| s3_error("put object", e))
            }
            (Ok(()), Some(id)) => {
                let id = id.clone();
                async {
                    if !buffer.is_empty() {
                        let last = buffer.split().freeze();
                        parts.push(self.upload_part(key, &id, parts.len() as i32 + 1, last).await?);
                    }
                    self.client
                        .complete_multipart_upload()
                        .bucket(&self.bucket)
                        .key(key)
                        .upload_id(&id)
                        .multipart_upload(CompletedMultipartUpload::builder().set_parts(Some(parts)).build())
                        .send()
                        .await
                        .map(|_| ())
                        .map_err(|e| s3_error("complete multipart upload", e))
                }
                .await
            }
        };
        if let Err(e) = finish {
            if let Some(id) = &upload_id {
                self.abort(key, id).await;
            }
            return Err(e);
        }
        Ok(meter.finish())
    }

    async fn upload_part(
        &self,
        key: &str,
        upload_id: &str,
        number: i32,
        part: Bytes,
    ) -> Result<CompletedPart, StorageError> {
        let uploaded = self
            .client
            .upload_part()
            .bucket(&self.bucket)
            .key(key)
            .upload_id(upload_id)
            .part_number(number)
            .body(S3Body::from(part))
            .send()
            .await
            .map_err(|e| s3_error("upload part", e))?;
        Ok(CompletedPart::builder().set_e_tag(uploaded.e_tag().map(str::to_owned)).part_number(number).build())
    }

    async fn abort(&self, key: &str, upload_id: &str) {
        if let Err(e) =
            self.client.abort_multipart_upload().bucket(&self.bucket).key(key).upload_id(upload_id).send().await
        {
            tracing::warn!(error = %e, "could not abort a failed multipart upload; the bucket's lifecycle rule must clean it");
        }
    }

    pub async fn get(&self, key: &str) -> Result<ByteStream, StorageError> {
        check_key(key)?;
        let object = self.client.get_object().bucket(&self.bucket).key(key).send().await.map_err(|e| {
            if e.as_service_error().is_some_and(|s| s.is_no_such_key()) {
                StorageError::NotFound
            } else {
                s3_error("get object", e)
            }
        })?;
        let stream = futures_util::stream::try_unfold(object.body, |mut body| async move {
            match body.try_next().await {
                Ok(Some(chunk)) => Ok(Some((chunk, body))),
                Ok(None) => Ok(None),
                Err(e) => Err(s3_error("read object", e)),
            }
        });
        Ok(Box::pin(stream))
    }

    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        check_key(key)?;
        self.client
            .delete_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| s3_error("delete object", e))
    }

    pub async fn list_keys(&self, prefix: &str) -> Result<Vec<String>, StorageError> {
        let mut keys = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let page = self
                .client
                .list_objects_v2()
                .bucket(&self.bucket)
                .prefix(prefix)
                .set_continuation_token(token.clone())
                .send()
                .await
                .map_err(|e| s3_error("list objects", e))?;
            keys.extend(page.contents().iter().filter_map(|o| o.key().map(str::to_owned)));
            token = page.next_continuation_token().map(str::to_owned);
            if token.is_none() {
                break;
            }
        }
        keys.sort();
        Ok(keys)
    }

    pub async fn ping(&self) -> Result<(), StorageError> {
        self.client.head_bucket().bucket(&self.bucket).send().await.map(|_| ()).map_err(|e| s3_error("head bucket", e))
    }

    /// Creates the bucket if it does not exist (embedded set-ups and tests;
    /// production buckets are made by the operator).
    pub async fn ensure_bucket(&self) -> Result<(), StorageError> {
        if self.ping().await.is_ok() {
            return Ok(());
        }
        self.client
            .create_bucket()
            .bucket(&self.bucket)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| s3_error("create bucket", e))
    }
}
