"""Settling outbox rows (sent, put back, failed, cancelled) and holding a member's queue."""

from __future__ import annotations

from datetime import datetime

from bot.domain.outbox import OutboxMessage
from storage.outbox_leases import OutboxLeases
from storage.rows import ts


class OutboxSettle(OutboxLeases):
    """What becomes of a message: delivered, queued again, given up, or cancelled.

    Settling a row (sent, failed, cancelled) drops its text and markup (keep less).
    """

    async def cancel(self, message: OutboxMessage, reason: str, now: datetime) -> None:
        """Settle a message that will not be sent, with the reason."""
        await self._conn.execute(
            "UPDATE outbox SET state = 'cancelled', text = NULL, reply_markup = NULL,"
            " error = ?, updated_at = ?"
            " WHERE id = ?",
            (reason[:500], ts(now), message.id),
        )

    async def sent(self, message: OutboxMessage, message_id: int | None, now: datetime) -> None:
        """Settle a delivered message; newer content queued meanwhile stays pending."""
        await self._conn.execute(
            "UPDATE outbox SET state = CASE WHEN generation = :gen THEN 'sent' ELSE 'pending'"
            " END, text = CASE WHEN generation = :gen THEN NULL ELSE text END,"
            " reply_markup = CASE WHEN generation = :gen THEN NULL ELSE reply_markup END,"
            " message_id = coalesce(:mid, message_id), error = NULL, updated_at = :now"
            " WHERE id = :id",
            {"gen": message.generation, "mid": message_id, "now": ts(now), "id": message.id},
        )

    async def retry_at(
        self, message: OutboxMessage, when: datetime, attempts: int, error: str | None
    ) -> None:
        """Put a message back in the queue for later."""
        await self._conn.execute(
            "UPDATE outbox SET state = 'pending', not_before = ?, attempts = ?, error = ?,"
            " updated_at = ? WHERE id = ? AND state = 'sending'",
            (ts(when), attempts, error, ts(when), message.id),
        )
        self.touched = True

    async def failed(self, message: OutboxMessage, error: str, now: datetime) -> None:
        """Give up on a message, keeping Telegram's reason."""
        await self._conn.execute(
            "UPDATE outbox SET state = 'failed', text = NULL, reply_markup = NULL,"
            " error = ?, updated_at = ?"
            " WHERE id = ?",
            (error[:500], ts(now), message.id),
        )

    async def hold_member(self, member_id: int, now: datetime) -> None:
        """Stop sending to a member: everything queued for them waits."""
        await self._conn.execute(
            "UPDATE outbox SET state = 'held', updated_at = ?"
            " WHERE member_id = ? AND state IN ('pending', 'sending')",
            (ts(now), member_id),
        )

    async def release_member(self, member_id: int, now: datetime) -> int:
        """Queue again what was held for a member who is back; return how many."""
        cur = await self._conn.execute(
            "UPDATE outbox SET state = 'pending', not_before = NULL, attempts = 0,"
            " updated_at = ? WHERE member_id = ? AND state = 'held'",
            (ts(now), member_id),
        )
        self.touched = self.touched or cur.rowcount > 0
        return cur.rowcount

    async def cancel_member(self, member_id: int, now: datetime) -> int:
        """Cancel everything not yet sent to a member (deactivated); return how many."""
        cur = await self._conn.execute(
            "UPDATE outbox SET state = 'cancelled', text = NULL, reply_markup = NULL,"
            " error = 'member deactivated', updated_at = ?"
            " WHERE member_id = ? AND state IN ('pending', 'held')",
            (ts(now), member_id),
        )
        return cur.rowcount

    async def cancel_ref(
        self, ref_type: str, ref_id: int, now: datetime, chat_id: int | None = None
    ) -> int:
        """Cancel every copy of an object that has not gone out (it was withdrawn), or only
        the copies in one chat; a copy held for an unreachable member says so, so it still
        counts as unreachable."""
        cur = await self._conn.execute(
            "UPDATE outbox SET state = 'cancelled', text = NULL, reply_markup = NULL,"
            " updated_at = ?,"
            " error = CASE WHEN state = 'held' THEN 'held: member unreachable' ELSE error END"
            " WHERE ref_type = ? AND ref_id = ? AND kind = 'send'"
            " AND state IN ('pending', 'held') AND chat_id = COALESCE(?, chat_id)",
            (ts(now), ref_type, ref_id, chat_id),
        )
        return cur.rowcount
