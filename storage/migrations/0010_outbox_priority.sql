-- Lanes for the sender (bot/domain/outbox.py Priority): 0 urgent flags and what follows them,
-- 1 other flags, handovers, reminders and direct answers, 2 notices and bulk alerts.
ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 1 CHECK (priority IN (0, 1, 2));

-- What was queued before lanes existed: notices and alerts about unreachable members are bulk.
UPDATE outbox SET priority = 2
WHERE ref_type IN ('notice', 'notice_reminder') OR dedup_key LIKE 'unreachable:%';

-- The sender reads the first due message of each chat, lane by lane.
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (chat_id, priority, id) WHERE state = 'pending';
