-- Webhooks (Standard Webhooks): a partner system's endpoints, one delivery
-- of each event to each endpoint that may see it, and every attempt.
CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES api_clients(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    -- Space-separated event types it receives.
    event_types TEXT NOT NULL,
    -- The signing secret (whsec_…), encrypted at rest: it must be read to sign.
    secret_ciphertext BYTEA NOT NULL,
    -- The secret before a rotation, signed with as well until it expires.
    previous_secret_ciphertext BYTEA,
    previous_secret_until TIMESTAMP,
    status TEXT NOT NULL,
    -- Set at the first failure since the last success.
    failing_since TIMESTAMP,
    disabled_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX webhook_endpoints_client ON webhook_endpoints (client_id, id);

CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    event_id TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP,
    claimed_until TIMESTAMP,
    delivered_at TIMESTAMP,
    -- Set when the schedule ran out (or the endpoint was disabled).
    failed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);

CREATE TABLE webhook_attempts (
    id TEXT PRIMARY KEY,
    delivery_id TEXT NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
    attempted_at TIMESTAMP NOT NULL,
    -- The receiver's status, or NULL when it could not be reached.
    status_code INTEGER,
    error TEXT,
    duration_ms BIGINT NOT NULL
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, attempted_at);
