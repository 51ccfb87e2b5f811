"""Leases on the outbox: which sender has a message in flight, until when, and taking back
what a crashed (or cut off) sender let lapse. Several senders on one PostgreSQL server never
send one message, or two messages of one chat, at once."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from bot.domain.outbox import OutboxMessage
from storage.rows import Repository, ts

# The row is locked as it is claimed, skipping one another sender is claiming at this moment
# (PostgreSQL; SQLite's one writer holds the file), and a chat with a message in flight under
# a live lease is not served: its messages go one at a time across senders too.
_CLAIM = (
    "UPDATE outbox SET state = CASE WHEN member_id IS NULL OR (SELECT active FROM"
    " members WHERE id = outbox.member_id) = 1 THEN 'sending' ELSE 'cancelled' END,"
    " error = CASE WHEN member_id IS NULL OR (SELECT active FROM"
    " members WHERE id = outbox.member_id) = 1 THEN error ELSE 'member deactivated' END,"
    " text = CASE WHEN member_id IS NULL OR (SELECT active FROM members"
    " WHERE id = outbox.member_id) = 1 THEN text END,"
    " reply_markup = CASE WHEN member_id IS NULL OR (SELECT active FROM members"
    " WHERE id = outbox.member_id) = 1 THEN reply_markup END,"
    " claimed_by = :owner, claimed_until = :until, updated_at = :now"
    " WHERE id IN (SELECT id FROM outbox WHERE id = :id AND state = 'pending'"
    " AND generation = :gen /* FOR UPDATE SKIP LOCKED */)"
    " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.chat_id = outbox.chat_id"
    " AND o.state = 'sending' AND o.claimed_until > :now)"
    " RETURNING state"
)
# A lease without an end is from before leases (in flight at the upgrade's stop): lapsed.
_RECOVER = (
    "UPDATE outbox SET attempts = attempts + 1, updated_at = :now,"
    " state = CASE WHEN attempts + 1 >= :max THEN 'failed' ELSE 'pending' END,"
    " error = CASE WHEN attempts + 1 >= :max"
    " THEN 'in flight at ' || :max || ' stops; it may have arrived' ELSE error END"
    " WHERE id IN (SELECT id FROM outbox WHERE state = 'sending' AND (:all = 1"
    " OR claimed_until IS NULL OR claimed_until <= :now) /* FOR UPDATE SKIP LOCKED */)"
)


class OutboxLeases(Repository):
    """The sender's side of the outbox: claim under a lease, renew it, recover lapsed ones."""

    # Set when messages were queued again, so the store wakes the sender after commit.
    touched: bool

    async def claim(
        self, message: OutboxMessage, now: datetime, *, owner: str, until: datetime
    ) -> bool:
        """Lease a message to a sender (`owner`) until `until` and mark it in flight.

        False when it changed or was taken meanwhile, when another sender is claiming it
        right now (skipped, not waited for), or when its chat has a message in flight under
        a live lease (one at a time per chat, whichever sender holds it); when its member was
        deactivated since it was queued it is cancelled instead.
        """
        row = await self._one(
            _CLAIM,
            {
                "id": message.id,
                "gen": message.generation,
                "owner": owner,
                "until": ts(until),
                "now": ts(now),
            },
        )
        return row is not None and row["state"] == "sending"

    async def renew(self, owner: str, ids: Sequence[int], until: datetime) -> int:
        """Extend a sender's leases on the messages it still has in flight; how many."""
        cur = await self._conn.execute(
            "UPDATE outbox SET claimed_until = ? WHERE claimed_by = ? AND state = 'sending'"
            " AND id IN (SELECT value FROM json_each(?))",
            (ts(until), owner, json.dumps(list(ids))),
        )
        return cur.rowcount

    async def recover_in_flight(
        self, now: datetime, max_attempts: int, *, all_leases: bool = False
    ) -> int:
        """Send again what a sender left in flight and whose lease ran out (it crashed, or
        lost the database): it may or may not have arrived. With `all_leases`, every
        message in flight (the one process on a SQLite file starting: nobody else sends).

        Each such requeue counts as an attempt, so a message in flight at every stop is sent
        at most `max_attempts` times in all, and then given up like any other.
        """
        cur = await self._conn.execute(
            _RECOVER, {"now": ts(now), "max": max_attempts, "all": int(all_leases)}
        )
        self.touched = self.touched or cur.rowcount > 0
        return cur.rowcount
