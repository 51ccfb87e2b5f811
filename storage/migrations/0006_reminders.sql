-- Reminders, escalations and digests are derived from the other tables; these rows only
-- remember what was already done, so a restart neither loses nor repeats anything.

CREATE TABLE reminders_done (
    key         TEXT PRIMARY KEY,
    outcome     TEXT NOT NULL CHECK (outcome IN ('sent', 'dropped')),
    due_at      TEXT NOT NULL,
    done_at     TEXT NOT NULL
);

CREATE TABLE member_settings (
    member_id       INTEGER PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
    lead_minutes    INTEGER NOT NULL DEFAULT 60 CHECK (lead_minutes BETWEEN 0 AND 1440),
    evening_before  INTEGER NOT NULL DEFAULT 0,
    -- Quiet hours in the member's group time, 'HH:MM'; both NULL means none.
    quiet_from      TEXT,
    quiet_to        TEXT
);

-- What coordinators were last told about an agency's coverage in a group.
CREATE TABLE coverage_state (
    group_id    INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    agency      TEXT NOT NULL,
    state       TEXT NOT NULL,
    since       TEXT NOT NULL,
    PRIMARY KEY (group_id, agency)
);

CREATE INDEX shifts_start ON shifts (starts_at) WHERE cancelled_at IS NULL;
CREATE INDEX shifts_end ON shifts (ends_at) WHERE cancelled_at IS NULL;
CREATE INDEX handovers_open ON handovers (created_at) WHERE acknowledged_at IS NULL;
CREATE INDEX flag_targets_acknowledged ON flag_targets (acknowledged_at)
    WHERE state = 'acknowledged';
