-- The family's representations on an issued draft or proposed amendments,
-- with the school or college they ask to be named (reg 13(1)(a), reg 22(2)).
CREATE TABLE plan_representations (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    author_id TEXT NOT NULL REFERENCES users(id),
    made_on DATE NOT NULL,
    within_period BOOLEAN NOT NULL,
    body TEXT NOT NULL,
    requested_institution TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX plan_representations_plan ON plan_representations (plan_id, created_at);
-- The authority's consultation of an institution it may name (s.39(2)).
CREATE TABLE plan_consultations (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    institution TEXT NOT NULL,
    consulted_on DATE NOT NULL,
    response TEXT NOT NULL,
    responded_on DATE,
    notes TEXT,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX plan_consultations_plan ON plan_consultations (plan_id, recorded_at);
