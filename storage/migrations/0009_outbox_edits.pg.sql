-- PostgreSQL's form of 0009_outbox_edits.sql: UPDATE OR IGNORE spelled as a NOT EXISTS.
-- An edit names the message it changes. Then every copy of an object in a chat can be edited
-- (a notice and each of its reminders), and the sender can tell an edit whose original failed
-- (give it up) from one whose original is still queued (fold the new content into it).
ALTER TABLE outbox ADD COLUMN edits INTEGER REFERENCES outbox (id);

-- Edits queued before this change were meant for the newest copy in their chat.
UPDATE outbox SET edits = (
    SELECT max(o.id) FROM outbox o
    WHERE o.kind = 'send' AND o.ref_type = outbox.ref_type AND o.ref_id = outbox.ref_id
      AND o.chat_id = outbox.chat_id
)
WHERE kind = 'edit';

-- One edit row per message from now on, keyed by the message it changes.
UPDATE outbox SET dedup_key = 'edit:' || edits
WHERE kind = 'edit' AND edits IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dedup_key = 'edit:' || outbox.edits);

CREATE INDEX outbox_edits ON outbox (edits) WHERE edits IS NOT NULL;
