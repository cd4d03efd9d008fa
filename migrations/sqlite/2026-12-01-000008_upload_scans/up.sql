-- Whether the virus scanner saw each document. Rows from before this column
-- are marked not_scanned: the hub cannot vouch for them.
ALTER TABLE documents ADD COLUMN virus_scan TEXT NOT NULL DEFAULT 'not_scanned';
