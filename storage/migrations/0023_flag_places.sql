-- A flag's place by name (the group's office, or a place typed or chosen in Telegram), sent
-- on with its pin as a Telegram venue; purged with the coordinates. `place` 'office' is the
-- group's office, named in each reader's language.
ALTER TABLE flags ADD COLUMN place TEXT;
ALTER TABLE flags ADD COLUMN place_address TEXT;
ALTER TABLE flag_drafts ADD COLUMN place TEXT;
ALTER TABLE flag_drafts ADD COLUMN place_address TEXT;
