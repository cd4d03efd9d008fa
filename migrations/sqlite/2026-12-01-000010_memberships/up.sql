-- One account per person, a membership per council: an NHS therapist or an
-- educational psychologist who works for several councils logs in once.
-- Each membership carries what the council decided (role, organisation,
-- job title, specialism) and its own status: a council disables only its
-- own membership. users.local_authority_id stays as the council that first
-- invited the person (their home); access is decided by memberships.
CREATE TABLE memberships (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    local_authority_id TEXT NOT NULL REFERENCES local_authorities(id),
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    role TEXT NOT NULL,
    job_title TEXT,
    specialism TEXT,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    disabled_at TIMESTAMP,
    UNIQUE (user_id, local_authority_id)
);
CREATE INDEX memberships_local_authority ON memberships (local_authority_id, user_id);

INSERT INTO memberships (id, user_id, local_authority_id, organisation_id, role, job_title, specialism, status, created_at, disabled_at)
SELECT id, id, local_authority_id, organisation_id, role, job_title, specialism,
       CASE WHEN status = 'disabled' THEN 'disabled' ELSE 'active' END, created_at, disabled_at
FROM users;

-- The council a session acts for (null: the account's home council).
ALTER TABLE sessions ADD COLUMN local_authority_id TEXT REFERENCES local_authorities(id);
