-- Reminders by one rule, read without holding the database.

-- "Came to the shift" is a presence that overlaps it (tested by the scan and the digest
-- alike); this index finds a member's presences by time, open or closed.
CREATE INDEX presences_member_in ON presences (member_id, checked_in_at);

-- News about a member's shifts that came in their quiet hours, sent when those end.
CREATE TABLE news_held (
    -- the outbox dedup key the message will be queued under
    key         TEXT PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    text        TEXT NOT NULL,
    -- the group time zone in which the member's quiet hours are read
    zone        TEXT NOT NULL,
    -- the outbox lane it goes out in
    priority    INTEGER NOT NULL,
    due_at      TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX news_held_due ON news_held (due_at);
