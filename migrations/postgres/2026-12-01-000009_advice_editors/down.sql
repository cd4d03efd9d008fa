ALTER TABLE advice DROP COLUMN editors;
