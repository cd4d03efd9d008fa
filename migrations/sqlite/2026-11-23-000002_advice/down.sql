DROP TABLE advice_versions;
DROP TABLE advice;
DROP TABLE advice_requests;
DROP TABLE case_participants;
DROP TABLE cases;
DROP TABLE team_members;
DROP TABLE teams;
