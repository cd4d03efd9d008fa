-- The EHC plan of a case (reg 12): the working copy the assessment team
-- writes, and every issued version (drafts and the final plan), immutable.
CREATE TABLE plans (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL UNIQUE REFERENCES cases(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    -- Counts edits, for ETag/If-Match.
    revision INTEGER NOT NULL,
    -- The sections, JSON.
    content TEXT NOT NULL,
    draft_issued_on DATE,
    final_issued_on DATE,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users(id),
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE plan_versions (
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    -- draft or final.
    stage TEXT NOT NULL,
    content TEXT NOT NULL,
    issued_on DATE NOT NULL,
    issued_by TEXT NOT NULL REFERENCES users(id),
    issued_at TIMESTAMP NOT NULL,
    PRIMARY KEY (plan_id, version)
);
