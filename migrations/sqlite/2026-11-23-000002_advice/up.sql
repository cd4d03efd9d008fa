-- Cases, who takes part in them, requests for advice and the advice itself.
-- Lists of areas and CC users are JSON text: they are read and written whole.
CREATE TABLE teams (
    id TEXT PRIMARY KEY,
    local_authority_id TEXT NOT NULL REFERENCES local_authorities(id),
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (organisation_id, name)
);

-- team_role: member, coordinator (screens and assigns, seed 000) or manager (endorses).
CREATE TABLE team_members (
    team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id),
    team_role TEXT NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members (user_id);

CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    local_authority_id TEXT NOT NULL REFERENCES local_authorities(id),
    reference TEXT NOT NULL UNIQUE,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    date_of_birth DATE NOT NULL,
    upn TEXT,
    nhs_number TEXT,
    uln TEXT,
    request_received_on DATE NOT NULL,
    request_source TEXT NOT NULL,
    looked_after BOOLEAN NOT NULL,
    stage TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX cases_local_authority ON cases (local_authority_id, id);

-- Exactly one of user_id, team_id, pending_email (an invitee without an account yet).
CREATE TABLE case_participants (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    user_id TEXT REFERENCES users(id),
    team_id TEXT REFERENCES teams(id),
    pending_email TEXT,
    kind TEXT NOT NULL,
    added_by TEXT NOT NULL REFERENCES users(id),
    added_at TIMESTAMP NOT NULL,
    removed_at TIMESTAMP
);
CREATE INDEX case_participants_case ON case_participants (case_id);
CREATE INDEX case_participants_user ON case_participants (user_id);
CREATE INDEX case_participants_team ON case_participants (team_id);

CREATE TABLE advice_requests (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    specialism TEXT NOT NULL,
    areas TEXT NOT NULL,
    addressee_user_id TEXT REFERENCES users(id),
    addressee_team_id TEXT REFERENCES teams(id),
    assignee_user_id TEXT REFERENCES users(id),
    cc TEXT NOT NULL,
    notes TEXT,
    requested_on DATE NOT NULL,
    due_on DATE NOT NULL,
    completed_on DATE,
    status TEXT NOT NULL,
    requires_endorsement BOOLEAN NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX advice_requests_case ON advice_requests (case_id);
CREATE INDEX advice_requests_addressee ON advice_requests (addressee_user_id, status, due_on);
CREATE INDEX advice_requests_assignee ON advice_requests (assignee_user_id, status, due_on);
CREATE INDEX advice_requests_team ON advice_requests (addressee_team_id, status, due_on);

-- The working copy of a request's advice; `revision` is its ETag.
CREATE TABLE advice (
    request_id TEXT PRIMARY KEY REFERENCES advice_requests(id) ON DELETE CASCADE,
    content TEXT NOT NULL,
    status TEXT NOT NULL,
    revision INTEGER NOT NULL,
    author_id TEXT REFERENCES users(id),
    status_reason TEXT,
    updated_by TEXT REFERENCES users(id),
    updated_at TIMESTAMP NOT NULL
);

-- Every submission, immutable. published_at is set when it is published
-- (at once, or on endorsement).
CREATE TABLE advice_versions (
    request_id TEXT NOT NULL REFERENCES advice_requests(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    content TEXT NOT NULL,
    submitted_by TEXT NOT NULL REFERENCES users(id),
    submitted_at TIMESTAMP NOT NULL,
    endorsed_by TEXT REFERENCES users(id),
    published_at TIMESTAMP,
    PRIMARY KEY (request_id, version)
);
