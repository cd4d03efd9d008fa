-- /me/requests finds advice waiting for a manager's endorsement by author.
CREATE INDEX advice_status_author ON advice (status, author_id);
