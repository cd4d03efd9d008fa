-- Decisions that move a case through its stages, and the recorded reasons a
-- statutory time limit does not apply (reg 8(2), reg 10(4)).
CREATE TABLE case_decisions (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    outcome TEXT,
    decided_on DATE NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX case_decisions_case ON case_decisions (case_id, decided_on);

CREATE TABLE case_exceptions (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    advice_request_id TEXT REFERENCES advice_requests(id) ON DELETE CASCADE,
    exception TEXT NOT NULL,
    reason TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX case_exceptions_case ON case_exceptions (case_id);
