-- The work log: activities (boundary-setting or relationship-building), their partner
-- agencies, drafts being composed with /log, each group's phase, and the balance watch.

CREATE TABLE activities (
    id              INTEGER PRIMARY KEY,
    group_id        INTEGER NOT NULL REFERENCES groups (id),
    member_id       INTEGER NOT NULL REFERENCES members (id),
    -- The author's agency when the work was logged, so a later move does not rewrite history.
    agency_code     TEXT,
    kind            TEXT NOT NULL CHECK (kind IN ('boundary', 'relationship')),
    type            TEXT NOT NULL,
    residents       TEXT NOT NULL
                    CHECK (residents IN ('none', '1_5', '6_20', '21_100', '100_plus')),
    minutes         INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
    -- Screened before it is stored; read by the author and the group's coordinators only.
    note            TEXT,
    lat             REAL,
    lon             REAL,
    flag_id         INTEGER REFERENCES flags (id),
    done_at         TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE INDEX activities_group_done ON activities (group_id, done_at);
CREATE INDEX activities_member_done ON activities (member_id, done_at);
CREATE INDEX activities_done ON activities (done_at);

CREATE TABLE activity_partners (
    activity_id     INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    agency_code     TEXT NOT NULL,
    PRIMARY KEY (activity_id, agency_code)
);

CREATE TABLE activity_drafts (
    member_id       INTEGER PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
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

-- A group's phase from a moment on; the newest row is in force. Old rows stay, so a report
-- draws each week against the target that held then.
CREATE TABLE group_phases (
    id              INTEGER PRIMARY KEY,
    group_id        INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    phase           TEXT NOT NULL CHECK (phase IN ('fight', 'prevent')),
    target_pct      INTEGER NOT NULL CHECK (target_pct BETWEEN 0 AND 100),
    since           TEXT NOT NULL,
    set_by          INTEGER REFERENCES members (id)
);

CREATE INDEX group_phases_group ON group_phases (group_id, since);

-- What coordinators were last told about a group's work mix against its target.
CREATE TABLE balance_state (
    group_id        INTEGER PRIMARY KEY REFERENCES groups (id) ON DELETE CASCADE,
    state           TEXT NOT NULL CHECK (state IN ('ok', 'below')),
    since           TEXT NOT NULL
);
