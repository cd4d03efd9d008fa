ALTER TABLE advice_versions DROP COLUMN acknowledged_findings;
DROP TABLE advice_check_settings;
