-- Audit entries as the work they record writes them, in its transaction,
-- before the chainer links them into the hash chain (audit_log): appends
-- no longer wait for each other's commits. The id orders them for the
-- chainer; the chain's own seq is given when linked.
CREATE TABLE audit_pending (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TIMESTAMP NOT NULL,
    actor_user_id TEXT,
    action TEXT NOT NULL,
    case_id TEXT,
    subject_id TEXT,
    request_id TEXT
);
