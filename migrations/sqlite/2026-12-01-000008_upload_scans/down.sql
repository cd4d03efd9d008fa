ALTER TABLE documents DROP COLUMN virus_scan;
