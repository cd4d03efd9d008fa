-- Reports and letters uploaded with advice. The bytes live in the blob
-- store under blob_key; a row exists only for a fully stored, scanned file.
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES advice_requests(id) ON DELETE CASCADE,
    uploaded_by TEXT NOT NULL REFERENCES users(id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    blob_key TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX documents_request ON documents (request_id);
