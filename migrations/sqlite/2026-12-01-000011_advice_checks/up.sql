-- A council's choice of severity for each advice quality check it changed
-- (the others answer at their default), and the warnings an author
-- acknowledged when submitting a version.
CREATE TABLE advice_check_settings (
    local_authority_id TEXT NOT NULL REFERENCES local_authorities(id),
    check_code TEXT NOT NULL,
    severity TEXT NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users(id),
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (local_authority_id, check_code)
);
ALTER TABLE advice_versions ADD COLUMN acknowledged_findings TEXT NOT NULL DEFAULT '[]';
