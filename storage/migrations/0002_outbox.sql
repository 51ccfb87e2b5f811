-- The durable outbox: every notification is a row, written in the transaction that caused it.

-- Set when Telegram answered 403 (the member blocked the bot); cleared when they write again.
ALTER TABLE members ADD COLUMN unreachable_since TEXT;

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    -- The same notification is never queued twice; an edit's key is per message, so a
    -- newer edit replaces an older one that has not gone out yet.
    dedup_key       TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL CHECK (kind IN ('send', 'edit')),
    member_id       INTEGER REFERENCES members (id),
    chat_id         INTEGER NOT NULL,
    -- The object the message shows ('notice', 'notice_status', ...), so its copies can be
    -- found, edited in place, or cancelled when the object is withdrawn.
    ref_type        TEXT,
    ref_id          INTEGER,
    text            TEXT NOT NULL,
    reply_markup    TEXT,
    protect_content INTEGER NOT NULL DEFAULT 0,
    state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'held', 'cancelled')),
    -- Bumped whenever a newer edit replaces the content, so a send that was already in
    -- flight with the old content does not mark the new content as delivered.
    generation      INTEGER NOT NULL DEFAULT 0,
    attempts        INTEGER NOT NULL DEFAULT 0,
    -- NULL: as soon as possible. Set only by the sender, on its own (real) clock, when a
    -- message must wait (a retry); the bot's business clock plays no part in pacing.
    not_before      TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    message_id      INTEGER,
    error           TEXT
);

CREATE INDEX outbox_due ON outbox (not_before, id) WHERE state = 'pending';
CREATE INDEX outbox_ref ON outbox (ref_type, ref_id, chat_id);
CREATE INDEX outbox_member ON outbox (member_id, state);
