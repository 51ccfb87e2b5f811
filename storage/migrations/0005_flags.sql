-- Flags: one agency raises a situation for others; each target agency's part has a state.

CREATE TABLE flags (
    id              INTEGER PRIMARY KEY,
    group_id        INTEGER NOT NULL REFERENCES groups (id),
    raised_by       INTEGER NOT NULL REFERENCES members (id),
    raiser_agency   TEXT NOT NULL,
    category        TEXT NOT NULL,
    urgency         TEXT NOT NULL CHECK (urgency IN ('urgent', 'priority', 'routine')),
    -- Screened before it is stored: never a personal identity number; never logged.
    description     TEXT NOT NULL,
    lat             REAL,
    lon             REAL,
    created_at      TEXT NOT NULL,
    withdrawn_at    TEXT,
    closed_at       TEXT
);

CREATE INDEX flags_group_created ON flags (group_id, created_at);

CREATE TABLE flag_targets (
    flag_id         INTEGER NOT NULL REFERENCES flags (id) ON DELETE CASCADE,
    agency_code     TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'open'
                    CHECK (state IN ('open', 'acknowledged', 'resolved', 'declined')),
    -- By when someone of this agency should acknowledge (by urgency); reminders escalate on it.
    ack_deadline    TEXT NOT NULL,
    no_one_on_duty  INTEGER NOT NULL DEFAULT 0,
    acknowledged_by INTEGER REFERENCES members (id),
    acknowledged_at TEXT,
    closed_by       INTEGER REFERENCES members (id),
    closed_at       TEXT,
    decline_reason  TEXT,
    redirected_to   TEXT,
    added_at        TEXT NOT NULL,
    PRIMARY KEY (flag_id, agency_code)
);

CREATE INDEX flag_targets_open ON flag_targets (ack_deadline) WHERE state = 'open';

CREATE TABLE flag_comments (
    id          INTEGER PRIMARY KEY,
    flag_id     INTEGER NOT NULL REFERENCES flags (id) ON DELETE CASCADE,
    member_id   INTEGER NOT NULL REFERENCES members (id),
    text        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

-- A flag being composed, step by step.
CREATE TABLE flag_drafts (
    member_id   INTEGER PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
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
