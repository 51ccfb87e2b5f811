-- Which message answered what, so that editing it can change the answer: the message that
-- last answered the open question (cleared when a new question is asked), and the message a
-- flag draft's description came from.
ALTER TABLE prompts ADD COLUMN answer_message_id INTEGER;
ALTER TABLE flag_drafts ADD COLUMN description_message_id INTEGER;
