-- The transactional outbox: a notification is written in the same
-- transaction as the change that caused it, then claimed and delivered by a
-- dispatcher. The text is rendered at write time and holds no personal data;
-- the address is looked up when sending.
CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    event TEXT NOT NULL,
    case_id TEXT REFERENCES cases(id) ON DELETE CASCADE,
    recipient_user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_by TEXT,
    claimed_until TIMESTAMP,
    sent_at TIMESTAMP,
    last_error TEXT
);
CREATE INDEX notifications_pending ON notifications (sent_at, next_attempt_at);
CREATE INDEX notifications_case ON notifications (case_id);
