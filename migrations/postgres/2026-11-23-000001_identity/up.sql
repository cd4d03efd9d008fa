-- Identity: local authorities, organisations, users, invitations, second
-- factors, sessions and the counters behind rate limits. Ids are UUIDv7 held
-- as text so that one diesel schema serves PostgreSQL and SQLite; times are
-- naive UTC.
CREATE TABLE local_authorities (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    local_authority_id TEXT NOT NULL REFERENCES local_authorities(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (local_authority_id, name)
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    local_authority_id TEXT NOT NULL REFERENCES local_authorities(id),
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    job_title TEXT,
    specialism TEXT,
    password_hash TEXT NOT NULL,
    mfa_channel TEXT NOT NULL,
    phone_ciphertext BYTEA,
    phone_masked TEXT,
    totp_secret_ciphertext BYTEA,
    pending_totp_ciphertext BYTEA,
    totp_last_step BIGINT,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    disabled_at TIMESTAMP
);
CREATE INDEX users_local_authority ON users (local_authority_id, id);

CREATE TABLE invitations (
    id TEXT PRIMARY KEY,
    local_authority_id TEXT NOT NULL REFERENCES local_authorities(id),
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    job_title TEXT,
    specialism TEXT,
    token_hash TEXT NOT NULL UNIQUE,
    invited_by TEXT REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    accepted_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX invitations_pending ON invitations (local_authority_id, email);

-- One login (or factor change, or reset) waiting for its second step. The
-- MFA-step token names it; wrong codes are counted here, not in memory.
CREATE TABLE mfa_challenges (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    code_hash TEXT,
    code_sent_at TIMESTAMP,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    completed_at TIMESTAMP,
    locked_at TIMESTAMP,
    password_reset_id TEXT
);
CREATE INDEX mfa_challenges_user ON mfa_challenges (user_id, created_at);

CREATE TABLE recovery_codes (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    idle_expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    revoked_reason TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE refresh_tokens (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);

CREATE TABLE password_resets (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    new_password_hash TEXT,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);

-- Sliding-window rate limits shared by every instance: one row per event.
-- `bucket` is a hash, never an address or e-mail.
CREATE TABLE rate_limit_events (
    id TEXT PRIMARY KEY,
    bucket TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL
);
CREATE INDEX rate_limit_events_bucket ON rate_limit_events (bucket, occurred_at);
