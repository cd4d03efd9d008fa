-- Idempotency-Key (draft-ietf-httpapi-idempotency-key-header): the first
-- answer to a POST, kept for 24 hours per caller and key, so a retry from
-- any instance gets the same answer instead of doing the work twice.
CREATE TABLE idempotency_keys (
    principal_id TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    -- SHA-256 of the method, the path and the body.
    fingerprint TEXT NOT NULL,
    -- NULL while the first request is still running.
    status_code INTEGER,
    content_type TEXT,
    location TEXT,
    etag TEXT,
    body BYTEA,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (principal_id, idempotency_key)
);
CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at);
