-- Agencies are listed in the order they were added. SQLite kept that as the rowid, which
-- PostgreSQL does not have: the order becomes a column both engines share.
ALTER TABLE agencies ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
UPDATE agencies SET position = rowid;
