-- Residents' boards: one public channel per group, its office details, and the one post there
-- that the bot keeps up to date. Only aggregates ever reach a board (bot/domain/board.py).

-- A post in a channel showing a board (the outbox's ref 'board'): a new one when a board is
-- published again, so edits never reach a post of an earlier publication.
CREATE TABLE board_posts (
    id              INTEGER PRIMARY KEY,
    group_id        INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    channel_id      INTEGER NOT NULL,
    pinned          INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL
);

CREATE TABLE boards (
    group_id        INTEGER PRIMARY KEY REFERENCES groups (id) ON DELETE CASCADE,
    -- Telegram's id of the channel (-100…), its public @name (for links) and its title.
    channel_id      INTEGER,
    channel_name    TEXT,
    channel_title   TEXT,
    address         TEXT,
    hours           TEXT,
    contact         TEXT,
    english         INTEGER NOT NULL DEFAULT 0,
    state           TEXT NOT NULL DEFAULT 'off'
                    CHECK (state IN ('off', 'live', 'paused', 'stopped')),
    state_since     TEXT NOT NULL,
    post_id         INTEGER REFERENCES board_posts (id),
    -- The moment whose figures the public text shows (a grid point, delayed), when that text
    -- was queued, and when the channel last showed a text of ours (the digest says so).
    snapshot_at     TEXT,
    queued_at       TEXT,
    shown_at        TEXT,
    -- Public by nature: kept to skip unchanged edits and to show coordinators what is out.
    public_text     TEXT,
    -- Telegram's answer when a post, edit or pin was refused (the board stopped).
    problem         TEXT,
    updated_at      TEXT NOT NULL
);

CREATE INDEX boards_channel ON boards (channel_id);
