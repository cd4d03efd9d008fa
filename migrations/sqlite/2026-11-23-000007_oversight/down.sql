DROP TABLE legal_holds;
DROP TABLE closure_periods;
DROP TABLE request_alerts;
DROP TABLE escalation_policies;
DROP TABLE audit_log;
