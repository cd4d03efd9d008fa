-- Partner IT systems (OAuth 2.0 client credentials). A client acts through
-- an account row of its own (same id), so that what it writes names it as
-- every other record names its author; that row has no membership and no
-- usable password, so nobody can log in as it.
CREATE TABLE api_clients (
    id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    local_authority_id TEXT NOT NULL REFERENCES local_authorities(id),
    -- NULL for a council's own system; else the organisation whose team
    -- inboxes it answers for.
    organisation_id TEXT REFERENCES organisations(id),
    name TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    -- Space-separated, as RFC 6749 writes them.
    scopes TEXT NOT NULL,
    -- The public key (JWK, JSON) for private_key_jwt, if registered.
    public_jwk TEXT,
    status TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX api_clients_council ON api_clients (local_authority_id, id);

-- At most two live at once (rotation without downtime); only a hash is kept.
CREATE TABLE api_client_secrets (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES api_clients(id) ON DELETE CASCADE,
    secret_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX api_client_secrets_client ON api_client_secrets (client_id, created_at);

-- The jti of every signed client assertion until it expires: a replayed
-- assertion is refused by whichever instance sees it.
CREATE TABLE client_assertions (
    client_id TEXT NOT NULL REFERENCES api_clients(id) ON DELETE CASCADE,
    jti_hash TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    PRIMARY KEY (client_id, jti_hash)
);
