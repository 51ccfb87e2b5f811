-- Foundation: agencies, groups, members, memberships, invites, audit log, bot metadata.
-- Times are ISO 8601 UTC text ('2026-11-28T06:13:00+00:00'); they sort as they compare.

CREATE TABLE agencies (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1
);

INSERT INTO agencies (code, name) VALUES
    ('STHLM', 'Stockholms stad'),
    ('SKV',   'Skatteverket'),
    ('AF',    'Arbetsförmedlingen'),
    ('EBM',   'Ekobrottsmyndigheten'),
    ('TULL',  'Tullverket'),
    ('FK',    'Försäkringskassan'),
    ('KVV',   'Kriminalvården'),
    ('SAPO',  'Säkerhetspolisen'),
    ('KBV',   'Kustbevakningen'),
    ('MIGR',  'Migrationsverket'),
    ('POL',   'Polismyndigheten'),
    ('AM',    'Åklagarmyndigheten');

CREATE TABLE groups (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE COLLATE NOCASE,
    lat             REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon             REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
    radius_m        INTEGER NOT NULL CHECK (radius_m > 0),
    min_per_agency  INTEGER NOT NULL DEFAULT 2 CHECK (min_per_agency >= 0),
    timezone        TEXT NOT NULL,
    created_at      TEXT NOT NULL
);

CREATE TABLE members (
    id                  INTEGER PRIMARY KEY,
    telegram_user_id    INTEGER NOT NULL UNIQUE,
    display_name        TEXT NOT NULL,
    username            TEXT,
    agency_code         TEXT REFERENCES agencies (code),
    role                TEXT NOT NULL CHECK (role IN ('expert', 'coordinator', 'admin')),
    language            TEXT NOT NULL CHECK (language IN ('sv', 'en')),
    active              INTEGER NOT NULL DEFAULT 1,
    created_at          TEXT NOT NULL,
    deactivated_at      TEXT,
    -- The command menu last set for this member's chat ("expert:sv", "none"), so the
    -- menu follows role, language and deactivation even when the CLI made the change.
    menu_synced         TEXT
);

CREATE INDEX members_username ON members (username COLLATE NOCASE);

CREATE TABLE group_memberships (
    member_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    group_id    INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    joined_at   TEXT NOT NULL,
    PRIMARY KEY (member_id, group_id)
);

CREATE INDEX group_memberships_group ON group_memberships (group_id);

CREATE TABLE invites (
    id              INTEGER PRIMARY KEY,
    code_hash       TEXT NOT NULL UNIQUE,
    role            TEXT NOT NULL CHECK (role IN ('expert', 'coordinator', 'admin')),
    agency_code     TEXT REFERENCES agencies (code),
    group_id        INTEGER REFERENCES groups (id) ON DELETE CASCADE,
    uses_left       INTEGER NOT NULL CHECK (uses_left >= 0),
    expires_at      TEXT NOT NULL,
    created_by      INTEGER REFERENCES members (id),
    created_at      TEXT NOT NULL
);

-- Who did what to what, and when. Never free text typed by a member.
CREATE TABLE audit_log (
    id                  INTEGER PRIMARY KEY,
    at                  TEXT NOT NULL,
    actor_member_id     INTEGER REFERENCES members (id),
    actor_telegram_id   INTEGER,
    action              TEXT NOT NULL,
    object_type         TEXT,
    object_id           INTEGER,
    detail              TEXT
);

CREATE INDEX audit_log_at ON audit_log (at);

-- Small facts the bot learns at run time, e.g. its own username for invite links.
CREATE TABLE bot_meta (
    key     TEXT PRIMARY KEY,
    value   TEXT NOT NULL
);
