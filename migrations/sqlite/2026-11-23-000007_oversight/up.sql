-- Oversight: the tamper-evident audit log, reminders and escalations on
-- requests for advice, the LA's closure calendars (reg 10(4)(a)/(b)) and
-- legal holds that keep a case from the retention purge.

-- Append-only. Each entry's hash covers its own fields and the previous
-- entry's hash, so a changed, removed or inserted row breaks the chain.
-- No foreign keys: the log outlives purged cases and disabled users.
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    actor_user_id TEXT,
    action TEXT NOT NULL,
    case_id TEXT,
    subject_id TEXT,
    request_id TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_case ON audit_log (case_id, seq);

-- Who is told when a request addressed to an organisation runs late.
CREATE TABLE escalation_policies (
    organisation_id TEXT PRIMARY KEY REFERENCES organisations(id),
    service_manager_user_id TEXT REFERENCES users(id),
    service_manager_after_days INTEGER NOT NULL,
    head_of_service_user_id TEXT REFERENCES users(id),
    updated_by TEXT NOT NULL REFERENCES users(id),
    updated_at TIMESTAMP NOT NULL
);

-- Each reminder or escalation of a request, once: the unique key is what
-- makes two instances running the job at once send it once.
CREATE TABLE request_alerts (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES advice_requests(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    raised_on DATE NOT NULL,
    recipients INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (request_id, kind)
);

-- Continuous closures of schools, colleges or early-years settings in an LA
-- (the first day closed and the day they reopen).
CREATE TABLE closure_periods (
    id TEXT PRIMARY KEY,
    local_authority_id TEXT NOT NULL REFERENCES local_authorities(id),
    setting TEXT NOT NULL,
    first_closed_on DATE NOT NULL,
    reopens_on DATE NOT NULL,
    description TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX closure_periods_la ON closure_periods (local_authority_id, setting, first_closed_on);

-- A case on legal hold is never purged, whatever its age.
CREATE TABLE legal_holds (
    case_id TEXT PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    placed_by TEXT NOT NULL REFERENCES users(id),
    placed_at TIMESTAMP NOT NULL
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
