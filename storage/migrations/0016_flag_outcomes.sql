-- How a target's part ended when it was resolved (one of a short list) and an optional note
-- (screened like every free text).
ALTER TABLE flag_targets ADD COLUMN outcome TEXT;
ALTER TABLE flag_targets ADD COLUMN outcome_note TEXT;
