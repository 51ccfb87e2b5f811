-- The message a work-log draft's note came from: editing it changes the note until the
-- entry is saved.
ALTER TABLE activity_drafts ADD COLUMN note_message_id INTEGER;
