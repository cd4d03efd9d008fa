-- What changed, for partner systems (the events feed and, later, webhooks).
-- Written in the transaction of the change; a position is given only once
-- the change has committed (events::sequence), so the feed read in
-- position order never skips an event that commits late. The sequencers of
-- several instances take turns on a lock (PostgreSQL: an advisory lock;
-- SQLite: its one writer).
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    position BIGINT UNIQUE,
    event_type TEXT NOT NULL,
    local_authority_id TEXT NOT NULL REFERENCES local_authorities(id),
    case_id TEXT,
    case_reference TEXT,
    request_id TEXT,
    -- The record the event is about within the case (a version, a document).
    subject_id TEXT,
    -- The team inbox the request is addressed to: an organisation's client
    -- sees the events of its own organisation's inboxes.
    team_id TEXT,
    occurred_at TIMESTAMP NOT NULL
);
CREATE INDEX events_unpositioned ON events (occurred_at, id) WHERE position IS NULL;
CREATE INDEX events_council ON events (local_authority_id, position);

