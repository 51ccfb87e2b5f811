-- PostgreSQL's form of 0019_privacy.sql: the columns change in place (SQLite rebuilds the
-- tables for it).
ALTER TABLE outbox ALTER COLUMN text DROP NOT NULL;
ALTER TABLE outbox ADD COLUMN content_hash TEXT;
UPDATE outbox SET text = NULL, reply_markup = NULL WHERE state IN ('sent', 'failed', 'cancelled');
CREATE INDEX outbox_settled ON outbox (updated_at) WHERE state IN ('sent', 'failed', 'cancelled');

ALTER TABLE presences ALTER COLUMN lat DROP NOT NULL;
ALTER TABLE presences ALTER COLUMN lon DROP NOT NULL;
CREATE INDEX presences_located ON presences (checked_in_at) WHERE lat IS NOT NULL;

ALTER TABLE flags ADD COLUMN purged_at TEXT;
CREATE INDEX flags_unpurged ON flags (closed_at) WHERE purged_at IS NULL AND closed_at IS NOT NULL;

CREATE INDEX reminders_done_done ON reminders_done (done_at);
CREATE INDEX handovers_created ON handovers (created_at);
CREATE INDEX activities_noted ON activities (done_at) WHERE note IS NOT NULL OR lat IS NOT NULL;
CREATE INDEX shifts_ends ON shifts (ends_at);
CREATE INDEX presences_out ON presences (checked_out_at);
