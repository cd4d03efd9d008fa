-- A transfer between phases of education ahead for a child or young person
-- with a plan (reg 18): the plan is reviewed and amended before it.
CREATE TABLE phase_transfers (
    case_id TEXT PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    transfer_on DATE NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    recorded_at TIMESTAMP NOT NULL
);
