-- Which step of a notice being composed is shown (typed text is read against that step's
-- buttons), and the message its text came from (editing it changes the text until it is
-- sent).
ALTER TABLE notice_drafts ADD COLUMN step TEXT NOT NULL DEFAULT 'text';
ALTER TABLE notice_drafts ADD COLUMN text_message_id INTEGER;
