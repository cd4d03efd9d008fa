-- Run `ehc-hub audit verify` first: it chains what is waiting.
DROP TABLE audit_pending;
