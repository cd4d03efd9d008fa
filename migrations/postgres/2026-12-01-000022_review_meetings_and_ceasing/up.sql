-- The next review meeting of a plan, arranged ahead (reg 20(1)): the notice
-- given (reg 20(3)) and the advice circulated (reg 20(4)) are timed from it.
CREATE TABLE review_meetings (
    case_id TEXT PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
    meeting_on DATE NOT NULL,
    notice_given_on DATE NOT NULL,
    circulated_on DATE,
    arranged_by TEXT NOT NULL REFERENCES users(id),
    arranged_at TIMESTAMP NOT NULL
);
-- A plan ceased (s.45, reg 31): the reason SEN2 reports, the notice of the
-- right to appeal, and the day the plan ends if no appeal is made, from
-- which the case's retention runs.
CREATE TABLE plan_ceasings (
    case_id TEXT PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
    decided_on DATE NOT NULL,
    reason TEXT NOT NULL,
    details TEXT,
    notice_sent_on DATE NOT NULL,
    ceases_on DATE NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX plan_ceasings_ceases_on ON plan_ceasings (ceases_on);
