DROP INDEX advice_status_author;
