-- A flag's media. A message may be a Telegram location (a flag's place, sent after its card
-- as a real pin, protected like the card) instead of text: "lat,lon"; or a photo or voice
-- note sent on by Telegram's file_id: "photo:<file_id>", "voice:<file_id>".
ALTER TABLE outbox ADD COLUMN location TEXT;
ALTER TABLE outbox ADD COLUMN media TEXT;

-- Photos and voice notes attached while the flag is composed (draft_id), then the flag's.
CREATE TABLE flag_attachments (
    id          INTEGER PRIMARY KEY,
    draft_id    INTEGER,
    flag_id     INTEGER REFERENCES flags (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('photo', 'voice')),
    file_id     TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX flag_attachments_flag ON flag_attachments (flag_id);
CREATE INDEX flag_attachments_draft ON flag_attachments (draft_id);
