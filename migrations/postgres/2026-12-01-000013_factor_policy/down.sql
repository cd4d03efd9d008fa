ALTER TABLE sessions DROP COLUMN second_factor;
DROP TABLE factor_policies;
