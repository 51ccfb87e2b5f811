-- A message in flight is leased to the sender that claimed it: `claimed_by` names that sender
-- (host, process, a random tag) and `claimed_until` is when the lease runs out unless renewed.
-- Another sender takes a message again only after its lease ran out, so several instances
-- never send one message at once, and a crashed one's messages are not lost.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN claimed_until TEXT;

-- The claim asks whether the chat has a message in flight; recovery looks for lapsed leases.
CREATE INDEX outbox_in_flight ON outbox (chat_id) WHERE state = 'sending';
