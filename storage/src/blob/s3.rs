use aws_sdk_s3::config::{Credentials, Region};
use aws_sdk_s3::primitives::ByteStream as S3Body;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};
use aws_sdk_s3::Client;
use std::collections::VecDeque;

use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use tokio::task::JoinHandle;

use super::{check_key, ByteStream, Metered, StoredBlob};
use crate::StorageError;

/// S3 multipart parts must be at least 5 MiB (but the last).
const PART_BYTES: usize = 8 * 1024 * 1024;
/// A part's buffer, with room for the chunk that crosses the part's end.
const PART_BUFFER_BYTES: usize = PART_BYTES + 1024 * 1024;
/// Parts being sent while the next one fills: the request body keeps
/// flowing while S3 takes a part, and memory per upload stays bounded at
/// this many parts plus the one filling (16 MiB). Two in flight measured
/// no faster here and held up to 80 MiB.
const PARTS_IN_FLIGHT: usize = 1;

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

/// A multipart upload under way: the parts S3 has taken, in order, and those
/// still being sent.
struct Multipart {
    id: String,
    done: Vec<CompletedPart>,
    in_flight: VecDeque<JoinHandle<Result<CompletedPart, StorageError>>>,
    next_number: i32,
}

impl Multipart {
    /// Sends the next part, first waiting for the oldest when as many as
    /// allowed are on their way.
    async fn send(&mut self, store: &S3BlobStore, key: &str, part: Bytes) -> Result<(), StorageError> {
        if self.in_flight.len() >= PARTS_IN_FLIGHT {
            self.wait_for_oldest().await?;
        }
        let (client, bucket, key, id) = (store.client.clone(), store.bucket.clone(), key.to_owned(), self.id.clone());
        let number = self.next_number;
        self.next_number += 1;
        self.in_flight
            .push_back(tokio::spawn(async move { upload_part(&client, &bucket, &key, &id, number, part).await }));
        Ok(())
    }

    async fn wait_for_oldest(&mut self) -> Result<(), StorageError> {
        if let Some(handle) = self.in_flight.pop_front() {
            self.done.push(handle.await.map_err(|e| s3_error("upload part", e))??);
        }
        Ok(())
    }

    /// Every part, once S3 has taken them all.
    async fn all_sent(&mut self) -> Result<Vec<CompletedPart>, StorageError> {
        while !self.in_flight.is_empty() {
            self.wait_for_oldest().await?;
        }
        Ok(std::mem::take(&mut self.done))
    }

    fn cancel(&mut self) {
        for handle in self.in_flight.drain(..) {
            handle.abort();
        }
    }
}

impl Drop for Multipart {
    /// An upload given up (the client went away) sends no more parts.
    fn drop(&mut self) {
        self.cancel();
    }
}

async fn upload_part(
    client: &Client,
    bucket: &str,
    key: &str,
    upload_id: &str,
    number: i32,
    part: Bytes,
) -> Result<CompletedPart, StorageError> {
    let uploaded = client
        .upload_part()
        .bucket(bucket)
        .key(key)
        .upload_id(upload_id)
        .part_number(number)
        .body(S3Body::from(part))
        .send()
        .await
        .map_err(|e| s3_error("upload part", e))?;
    Ok(CompletedPart::builder().set_e_tag(uploaded.e_tag().map(str::to_owned)).part_number(number).build())
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
        let mut buffer = BytesMut::with_capacity(PART_BUFFER_BYTES);
        let mut upload: Option<Multipart> = None;

        let result: Result<(), StorageError> = async {
            while let Some(chunk) = body.next().await {
                let chunk = chunk?;
                meter.take(&chunk)?;
                buffer.extend_from_slice(&chunk);
                while buffer.len() >= PART_BYTES {
                    // Each part its own allocation, freed once S3 has it: a
                    // part split off a shared buffer would keep the whole
                    // buffer alive, and the next fill would allocate anew.
                    let mut next = BytesMut::with_capacity(PART_BUFFER_BYTES);
                    next.extend_from_slice(&buffer[PART_BYTES..]);
                    buffer.truncate(PART_BYTES);
                    let part = std::mem::replace(&mut buffer, next).freeze();
                    let multipart = match upload.as_mut() {
                        Some(multipart) => multipart,
                        None => upload.insert(self.begin(key).await?),
                    };
                    multipart.send(self, key, part).await?;
                }
            }
            Ok(())
        }
        .await;

        let finish = match (result, upload.as_mut()) {
            (Err(e), Some(multipart)) => {
                multipart.cancel();
                self.abort(key, &multipart.id).await;
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
            (Ok(()), Some(multipart)) => {
                async {
                    if !buffer.is_empty() {
                        multipart.send(self, key, buffer.split().freeze()).await?;
                    }
                    let parts = multipart.all_sent().await?;
                    self.client
                        .complete_multipart_upload()
                        .bucket(&self.bucket)
                        .key(key)
                        .upload_id(&multipart.id)
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
            if let Some(multipart) = upload.as_mut() {
                multipart.cancel();
                self.abort(key, &multipart.id).await;
            }
            return Err(e);
        }
        Ok(meter.finish())
    }

    async fn begin(&self, key: &str) -> Result<Multipart, StorageError> {
        let created = self
            .client
            .create_multipart_upload()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
            .map_err(|e| s3_error("create multipart upload", e))?;
        let id = created.upload_id().ok_or_else(|| s3_error("create multipart upload", "no upload id"))?.to_owned();
        Ok(Multipart { id, done: Vec::new(), in_flight: VecDeque::new(), next_number: 1 })
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
