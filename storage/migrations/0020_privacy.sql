-- foreign_keys: off
-- Keep less (issue 13). The runner applies this file with foreign keys off, as SQLite's
-- procedure for changing a column requires, and checks every reference before it commits.

-- Settled outbox rows keep no text: `text` and `reply_markup` may be NULL, and
-- `content_hash` (of the text and markup last queued) is what an edit is compared with, so
-- an edit that would change nothing is still skipped after the text is gone.
CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY,
    dedup_key       TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL CHECK (kind IN ('send', 'edit')),
    member_id       INTEGER REFERENCES members (id),
    chat_id         INTEGER NOT NULL,
    ref_type        TEXT,
    ref_id          INTEGER,
    text            TEXT,
    reply_markup    TEXT,
    content_hash    TEXT,
    protect_content INTEGER NOT NULL DEFAULT 0,
    state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'held', 'cancelled')),
    generation      INTEGER NOT NULL DEFAULT 0,
    attempts        INTEGER NOT NULL DEFAULT 0,
    not_before      TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    message_id      INTEGER,
    error           TEXT,
    edits           INTEGER REFERENCES outbox_new (id),
    priority        INTEGER NOT NULL DEFAULT 1 CHECK (priority IN (0, 1, 2)),
    location        TEXT,
    media           TEXT
);

-- What was settled before loses its text now; its hash is unknown (NULL), so at most one
-- edit that changes nothing is tried, and Telegram's "not modified" settles it.
INSERT INTO outbox_new (id, dedup_key, kind, member_id, chat_id, ref_type, ref_id, text,
                        reply_markup, content_hash, protect_content, state, generation, attempts,
                        not_before, created_at, updated_at, message_id, error, edits, priority,
                        location, media)
    SELECT id, dedup_key, kind, member_id, chat_id, ref_type, ref_id,
           CASE WHEN state IN ('sent', 'failed', 'cancelled') THEN NULL ELSE text END,
           CASE WHEN state IN ('sent', 'failed', 'cancelled') THEN NULL ELSE reply_markup END,
           NULL, protect_content, state, generation, attempts, not_before, created_at,
           updated_at, message_id, error, edits, priority, location, media
    FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;

CREATE INDEX outbox_due ON outbox (chat_id, priority, id) WHERE state = 'pending';
CREATE INDEX outbox_ref ON outbox (ref_type, ref_id, chat_id);
CREATE INDEX outbox_member ON outbox (member_id, state);
CREATE INDEX outbox_edits ON outbox (edits) WHERE edits IS NOT NULL;
-- The purge finds settled rows by age.
CREATE INDEX outbox_settled ON outbox (updated_at) WHERE state IN ('sent', 'failed', 'cancelled');

CREATE TRIGGER notice_delivery_changed AFTER UPDATE OF state ON outbox
WHEN NEW.ref_type = 'notice' AND NEW.kind = 'send'
BEGIN
    UPDATE notices SET status_dirty = 1 WHERE id = NEW.ref_id AND status_dirty = 0;
END;

-- Check-ins keep `inside` and the distance; the exact coordinates (lat, lon, accuracy) only
-- for RETENTION_LOCATION_HOURS, then the purge sets them to NULL.
CREATE TABLE presences_new (
    id              INTEGER PRIMARY KEY,
    member_id       INTEGER NOT NULL REFERENCES members (id),
    group_id        INTEGER NOT NULL REFERENCES groups (id),
    shift_id        INTEGER REFERENCES shifts (id),
    checked_in_at   TEXT NOT NULL,
    lat             REAL,
    lon             REAL,
    accuracy_m      REAL,
    distance_m      REAL NOT NULL,
    inside          INTEGER NOT NULL,
    minutes_late    INTEGER,
    checked_out_at  TEXT,
    checkout_kind   TEXT CHECK (checkout_kind IN ('manual', 'auto'))
);
INSERT INTO presences_new (id, member_id, group_id, shift_id, checked_in_at, lat, lon,
                           accuracy_m, distance_m, inside, minutes_late, checked_out_at,
                           checkout_kind)
    SELECT id, member_id, group_id, shift_id, checked_in_at, lat, lon, accuracy_m, distance_m,
           inside, minutes_late, checked_out_at, checkout_kind
    FROM presences;
DROP TABLE presences;
ALTER TABLE presences_new RENAME TO presences;

CREATE UNIQUE INDEX presences_open_member ON presences (member_id) WHERE checked_out_at IS NULL;
CREATE INDEX presences_open_group ON presences (group_id) WHERE checked_out_at IS NULL;
CREATE INDEX presences_group_in ON presences (group_id, checked_in_at);
CREATE INDEX presences_member_in ON presences (member_id, checked_in_at);
CREATE INDEX presences_located ON presences (checked_in_at) WHERE lat IS NOT NULL;

-- A closed flag's content (description, location, comments, reasons) is deleted after its
-- retention; the rest stays for the reports' counts, marked here.
ALTER TABLE flags ADD COLUMN purged_at TEXT;
CREATE INDEX flags_unpurged ON flags (closed_at) WHERE purged_at IS NULL AND closed_at IS NOT NULL;

-- The purge reads these by age.
CREATE INDEX reminders_done_done ON reminders_done (done_at);
CREATE INDEX handovers_created ON handovers (created_at);
CREATE INDEX activities_noted ON activities (done_at) WHERE note IS NOT NULL OR lat IS NOT NULL;
CREATE INDEX shifts_ends ON shifts (ends_at);
CREATE INDEX presences_out ON presences (checked_out_at);
