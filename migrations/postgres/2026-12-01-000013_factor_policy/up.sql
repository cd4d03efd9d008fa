-- A council may require its staff to log in with a passkey or an
-- authenticator app (never a code by SMS or voice); each session records
-- the second step that opened it, so the rule can be applied per request.
CREATE TABLE factor_policies (
    local_authority_id TEXT PRIMARY KEY REFERENCES local_authorities(id),
    strong_for_staff BOOLEAN NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users(id),
    updated_at TIMESTAMP NOT NULL
);
ALTER TABLE sessions ADD COLUMN second_factor TEXT;
