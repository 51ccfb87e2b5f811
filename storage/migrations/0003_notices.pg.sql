-- PostgreSQL's form of 0003_notices.sql: the same tables; the trigger as a function.
-- Coordinators' notices with read confirmation, their drafts, and free-text prompts.

CREATE TABLE notices (
    id                  INTEGER PRIMARY KEY,
    author_id           INTEGER NOT NULL REFERENCES members (id),
    text                TEXT NOT NULL,
    audience            TEXT NOT NULL
                        CHECK (audience IN ('mine', 'group', 'agencies', 'on_duty', 'coordinators')),
    -- The groups the notice went to (JSON array of ids): who may see and manage it.
    group_ids           TEXT NOT NULL,
    agencies            TEXT NOT NULL DEFAULT '[]',
    needs_confirmation  INTEGER NOT NULL,
    status_chat_id      INTEGER NOT NULL,
    created_at          TEXT NOT NULL,
    withdrawn_at        TEXT,
    reminders           INTEGER NOT NULL DEFAULT 0,
    -- Set whenever a figure may have changed; the status refresher clears it.
    status_dirty        INTEGER NOT NULL DEFAULT 1
);

CREATE INDEX notices_created ON notices (created_at);
CREATE INDEX notices_dirty ON notices (status_dirty) WHERE status_dirty = 1;

CREATE TABLE notice_recipients (
    notice_id       INTEGER NOT NULL REFERENCES notices (id) ON DELETE CASCADE,
    member_id       INTEGER NOT NULL REFERENCES members (id),
    confirmed_at    TEXT,
    PRIMARY KEY (notice_id, member_id)
);

-- A delivery outcome of a notice changes its figures.
CREATE FUNCTION notice_delivery_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE notices SET status_dirty = 1 WHERE id = NEW.ref_id AND status_dirty = 0;
    RETURN NULL;
END;
$$;
CREATE TRIGGER notice_delivery_changed AFTER UPDATE OF state ON outbox
FOR EACH ROW WHEN (NEW.ref_type = 'notice')
EXECUTE FUNCTION notice_delivery_changed();

CREATE TABLE notice_drafts (
    member_id           INTEGER PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
    text                TEXT,
    audience            TEXT,
    group_id            INTEGER REFERENCES groups (id),
    agencies            TEXT NOT NULL DEFAULT '[]',
    needs_confirmation  INTEGER NOT NULL DEFAULT 1,
    updated_at          TEXT NOT NULL
);

-- The bot asked a member for free text (a notice, later a comment or a handover note);
-- their next plain message answers it.
CREATE TABLE prompts (
    member_id   INTEGER PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    payload     TEXT,
    created_at  TEXT NOT NULL
);
