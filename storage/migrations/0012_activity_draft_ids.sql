-- Every work-log draft gets an id that is never reused (AUTOINCREMENT), so the buttons of an
-- earlier draft (a second /log, an old message) can be told from the current draft's.
CREATE TABLE activity_drafts_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id       INTEGER NOT NULL UNIQUE REFERENCES members (id) ON DELETE CASCADE,
    step            TEXT NOT NULL,
    group_id        INTEGER REFERENCES groups (id),
    kind            TEXT,
    type            TEXT,
    partners        TEXT NOT NULL DEFAULT '[]',
    residents       TEXT,
    minutes         INTEGER,
    note            TEXT,
    lat             REAL,
    lon             REAL,
    flag_id         INTEGER REFERENCES flags (id),
    updated_at      TEXT NOT NULL
);
INSERT INTO activity_drafts_new (member_id, step, group_id, kind, type, partners, residents,
                                 minutes, note, lat, lon, flag_id, updated_at)
    SELECT member_id, step, group_id, kind, type, partners, residents, minutes, note, lat, lon,
           flag_id, updated_at
    FROM activity_drafts;
DROP TABLE activity_drafts;
ALTER TABLE activity_drafts_new RENAME TO activity_drafts;
