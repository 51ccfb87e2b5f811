-- Which step of a notice being composed is shown (typed text is read against that step's
-- buttons), and the message its text came from (editing it changes the text until it is
-- sent).
ALTER TABLE notice_drafts ADD COLUMN step TEXT NOT NULL DEFAULT 'text';
ALTER TABLE notice_drafts ADD COLUMN text_message_id INTEGER;
-- Drafts begun before: the step their choices so far lead to.
UPDATE notice_drafts SET step = CASE
    WHEN text IS NULL THEN 'text'
    WHEN audience IS NULL THEN 'audience'
    WHEN audience = 'group' AND group_id IS NULL THEN 'group'
    WHEN audience = 'agencies' AND agencies = '[]' THEN 'agencies'
    ELSE 'preview'
END;
