-- Every flag draft gets an id that is never reused (AUTOINCREMENT), so the buttons of an
-- earlier draft (a second /flag, an old message) can be told from the current draft's.
CREATE TABLE flag_drafts_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id   INTEGER NOT NULL UNIQUE REFERENCES members (id) ON DELETE CASCADE,
    step        TEXT NOT NULL,
    targets     TEXT NOT NULL DEFAULT '[]',
    category    TEXT,
    urgency     TEXT,
    description TEXT,
    lat         REAL,
    lon         REAL,
    group_id    INTEGER REFERENCES groups (id),
    updated_at  TEXT NOT NULL
);
INSERT INTO flag_drafts_new (member_id, step, targets, category, urgency, description, lat, lon,
                             group_id, updated_at)
    SELECT member_id, step, targets, category, urgency, description, lat, lon, group_id,
           updated_at
    FROM flag_drafts;
DROP TABLE flag_drafts;
ALTER TABLE flag_drafts_new RENAME TO flag_drafts;
