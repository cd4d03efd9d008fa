-- A case's details can be corrected (a mistyped date of birth decides the
-- statutory age and the retention date): each correction needs the revision
-- last read, so two officers never overwrite each other unseen.
ALTER TABLE cases ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
