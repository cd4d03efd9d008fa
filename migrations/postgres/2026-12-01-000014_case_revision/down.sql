ALTER TABLE cases DROP COLUMN revision;
