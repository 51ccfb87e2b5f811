-- A district's staffing target: which agencies, how many, in which hours (wall-clock
-- minutes of the day in the group's zone; from = to means round the clock). A group with
-- no rows here uses its min_per_agency for each agency that has members in it.

CREATE TABLE staffing_targets (
    group_id        INTEGER NOT NULL REFERENCES groups (id),
    agency_code     TEXT NOT NULL REFERENCES agencies (code),
    minimum         INTEGER NOT NULL CHECK (minimum >= 1),
    from_minute     INTEGER NOT NULL DEFAULT 0 CHECK (from_minute BETWEEN 0 AND 1439),
    to_minute       INTEGER NOT NULL DEFAULT 0 CHECK (to_minute BETWEEN 0 AND 1439),
    PRIMARY KEY (group_id, agency_code)
);

-- "Find cover" for a planned gap: the gap offered to the agency's colleagues in the group;
-- the first to take it gets a shift (taken_by set once, compare-and-set).
CREATE TABLE cover_offers (
    id              INTEGER PRIMARY KEY,
    group_id        INTEGER NOT NULL REFERENCES groups (id),
    agency_code     TEXT NOT NULL REFERENCES agencies (code),
    starts_at       TEXT NOT NULL,
    ends_at         TEXT NOT NULL,
    created_by      INTEGER NOT NULL REFERENCES members (id),
    created_at      TEXT NOT NULL,
    taken_by        INTEGER REFERENCES members (id),
    taken_at        TEXT,
    shift_id        INTEGER REFERENCES shifts (id),
    CHECK (ends_at > starts_at)
);

-- Who used which invite: reopening one's own link (a multi-use one, or one used up since)
-- says "already registered" and takes no place.
CREATE TABLE invite_uses (
    invite_id       INTEGER NOT NULL REFERENCES invites (id),
    member_id       INTEGER NOT NULL REFERENCES members (id),
    used_at         TEXT NOT NULL,
    PRIMARY KEY (invite_id, member_id)
);
