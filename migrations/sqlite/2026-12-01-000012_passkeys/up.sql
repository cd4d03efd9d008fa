-- Passkeys (WebAuthn credentials) as a second step, and the WebAuthn
-- ceremonies in progress: their challenge state lives here, short-lived, so
-- any instance can finish what another started.
CREATE TABLE passkeys (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    credential_id TEXT NOT NULL UNIQUE,
    -- The credential as the WebAuthn library keeps it (public key, counter,
    -- backup flags), JSON.
    credential TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    locked_at TIMESTAMP
);
CREATE INDEX passkeys_user ON passkeys (user_id);

CREATE TABLE webauthn_ceremonies (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    -- The login challenge a login ceremony answers.
    challenge_id TEXT,
    state TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX webauthn_ceremonies_user ON webauthn_ceremonies (user_id, created_at);
