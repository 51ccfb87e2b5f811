-- Shifts (the plan), presences (check-ins: the fact), handovers and shift swaps.

CREATE TABLE shifts (
    id              INTEGER PRIMARY KEY,
    member_id       INTEGER NOT NULL REFERENCES members (id),
    group_id        INTEGER NOT NULL REFERENCES groups (id),
    starts_at       TEXT NOT NULL,
    ends_at         TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    cancelled_at    TEXT,
    CHECK (ends_at > starts_at)
);

-- Re-importing the same roster adds nothing twice.
CREATE UNIQUE INDEX shifts_same ON shifts (member_id, group_id, starts_at, ends_at)
    WHERE cancelled_at IS NULL;
-- A group's shifts by start: coverage reads [from - 24 h, to) since no shift is longer.
CREATE INDEX shifts_group_start ON shifts (group_id, starts_at) WHERE cancelled_at IS NULL;
CREATE INDEX shifts_member_start ON shifts (member_id, starts_at) WHERE cancelled_at IS NULL;

CREATE TABLE presences (
    id              INTEGER PRIMARY KEY,
    member_id       INTEGER NOT NULL REFERENCES members (id),
    group_id        INTEGER NOT NULL REFERENCES groups (id),
    shift_id        INTEGER REFERENCES shifts (id),
    checked_in_at   TEXT NOT NULL,
    lat             REAL NOT NULL,
    lon             REAL NOT NULL,
    accuracy_m      REAL,
    distance_m      REAL NOT NULL,
    inside          INTEGER NOT NULL,
    minutes_late    INTEGER,
    checked_out_at  TEXT,
    checkout_kind   TEXT CHECK (checkout_kind IN ('manual', 'auto'))
);

-- At most one open presence per member: the database refuses a double check-in.
CREATE UNIQUE INDEX presences_open_member ON presences (member_id) WHERE checked_out_at IS NULL;
CREATE INDEX presences_open_group ON presences (group_id) WHERE checked_out_at IS NULL;
CREATE INDEX presences_group_in ON presences (group_id, checked_in_at);

CREATE TABLE handovers (
    id              INTEGER PRIMARY KEY,
    presence_id     INTEGER NOT NULL REFERENCES presences (id),
    from_member_id  INTEGER NOT NULL REFERENCES members (id),
    group_id        INTEGER NOT NULL REFERENCES groups (id),
    agency_code     TEXT,
    note            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    acknowledged_by INTEGER REFERENCES members (id),
    acknowledged_at TEXT
);

CREATE TABLE handover_recipients (
    handover_id     INTEGER NOT NULL REFERENCES handovers (id) ON DELETE CASCADE,
    member_id       INTEGER NOT NULL REFERENCES members (id),
    PRIMARY KEY (handover_id, member_id)
);

CREATE TABLE swap_offers (
    id              INTEGER PRIMARY KEY,
    shift_id        INTEGER NOT NULL REFERENCES shifts (id),
    offered_by      INTEGER NOT NULL REFERENCES members (id),
    created_at      TEXT NOT NULL,
    taken_by        INTEGER REFERENCES members (id),
    taken_at        TEXT,
    withdrawn_at    TEXT
);

CREATE UNIQUE INDEX swap_offers_open ON swap_offers (shift_id)
    WHERE taken_by IS NULL AND withdrawn_at IS NULL;
