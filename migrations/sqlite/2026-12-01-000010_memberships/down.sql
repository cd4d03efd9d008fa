ALTER TABLE sessions DROP COLUMN local_authority_id;
DROP TABLE memberships;
