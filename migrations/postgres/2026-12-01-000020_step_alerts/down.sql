DROP TABLE case_step_alerts;
