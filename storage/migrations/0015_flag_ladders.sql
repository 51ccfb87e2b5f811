-- Escalation ladders: a flag's target climbs from those on duty in the agency to the agency in
-- the group, the coordinators, the agency in neighbouring groups and the admins, one rung per
-- deadline; a rung with nobody on it is passed at once, so a flag never sits with no one.

-- A group's own ladder; a group without a row uses the default (every rung, no neighbours).
CREATE TABLE group_ladders (
    group_id    INTEGER PRIMARY KEY REFERENCES groups (id) ON DELETE CASCADE,
    rungs       TEXT NOT NULL,              -- JSON list of rung names, in order
    neighbours  TEXT NOT NULL DEFAULT '[]', -- JSON list of group ids
    updated_at  TEXT NOT NULL
);

-- The rung a target has reached and since when: the next rung is due one deadline later.
ALTER TABLE flag_targets ADD COLUMN rung TEXT NOT NULL DEFAULT 'on_duty';
ALTER TABLE flag_targets ADD COLUMN rung_at TEXT;
-- A coordinator acknowledged for the agency (acknowledged_by is the coordinator).
ALTER TABLE flag_targets ADD COLUMN on_behalf INTEGER NOT NULL DEFAULT 0;

-- Who was given a flag beyond its group (the agency in a neighbouring group, admins, a person
-- it was passed to): need to know lets them see it, as the agency they were reached for.
CREATE TABLE flag_reach (
    flag_id     INTEGER NOT NULL REFERENCES flags (id) ON DELETE CASCADE,
    member_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    added_at    TEXT NOT NULL,
    PRIMARY KEY (flag_id, member_id)
);

-- The urgent path of /flag: Urgent → agency → text → send (no category or location steps).
ALTER TABLE flag_drafts ADD COLUMN quick INTEGER NOT NULL DEFAULT 0;

-- Members who muted a flag: their copy is still edited, but no news of it is pushed.
CREATE TABLE flag_mutes (
    flag_id     INTEGER NOT NULL REFERENCES flags (id) ON DELETE CASCADE,
    member_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    PRIMARY KEY (flag_id, member_id)
);
