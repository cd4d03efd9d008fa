-- Everyone who changed the working copy since it was last published (JSON
-- array of user ids): none of them may endorse it, even after a
-- reassignment hands the draft back to its first author.
ALTER TABLE advice ADD COLUMN editors TEXT NOT NULL DEFAULT '[]';
UPDATE advice SET editors = '["' || updated_by || '"]'
WHERE updated_by IS NOT NULL AND status IN ('draft', 'returned', 'awaiting_endorsement');
