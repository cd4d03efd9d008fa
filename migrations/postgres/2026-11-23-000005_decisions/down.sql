DROP TABLE case_exceptions;
DROP TABLE case_decisions;
