-- Reminders and escalations raised on a case's own statutory steps (the
-- final plan, the review's decision, ...), each once per step, kind and due
-- date: the next cycle's step (a new review) is reminded again.
CREATE TABLE case_step_alerts (
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    step TEXT NOT NULL,
    kind TEXT NOT NULL,
    due_on DATE NOT NULL,
    raised_on DATE NOT NULL,
    PRIMARY KEY (case_id, step, kind, due_on)
);
