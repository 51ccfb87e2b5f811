"""The outbox table: queue outgoing messages and read the queue (edits, settling and leases
live in `outbox_edits`, `outbox_settle` and `outbox_leases`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import aiosqlite

from bot.domain.outbox import Notification, OutboxMessage, OutboxState, Priority
from storage.outbox_edits import OutboxEdits
from storage.outbox_rows import INSERT_SEND, PreparedSend, outbox_message, prepare, send_values
from storage.rows import ts

__all__ = ["OutboxRepository", "PreparedSend", "prepare"]


class OutboxRepository(OutboxEdits):
    """Outgoing messages; `touched` tells the store to wake the sender after commit.

    Settling a row drops its text and markup (keep less): an edit is rendered afresh from
    the object.
    """

    def __init__(self, conn: aiosqlite.Connection) -> None:
        super().__init__(conn)
        self.touched = False

    async def enqueue(self, note: Notification, now: datetime) -> bool:
        """Queue a send unless the same dedup key was queued before; True when queued."""
        inserted = await self._one(INSERT_SEND + " RETURNING id", send_values(note, now))
        self.touched = self.touched or inserted is not None
        return inserted is not None

    async def enqueue_many(self, notes: Sequence[Notification], now: datetime) -> int:
        """Queue sends as `enqueue` does, in one call; how many were queued."""
        return await self.enqueue_prepared([prepare(n, now) for n in notes])

    async def enqueue_prepared(self, sends: Sequence[PreparedSend]) -> int:
        """Queue sends prepared before the transaction (the reminder scan's batches: one
        statement, and nothing to hash or serialise, while the write lock is held)."""
        if not sends:
            return 0
        cur = await self._conn.executemany(INSERT_SEND, [s.values for s in sends])
        self.touched = self.touched or cur.rowcount > 0
        return cur.rowcount

    async def adopt(
        self,
        *,
        ref_type: str,
        ref_id: int,
        chat_id: int,
        member_id: int,
        message_id: int,
        priority: Priority,
        now: datetime,
    ) -> None:
        """Take a message sent directly (a reply) as the object's message, for later edits
        (which go in its lane). A newer message of the object in the chat takes the place of
        the one adopted before (a check-out undone and made again)."""
        await self._conn.execute(
            "INSERT INTO outbox (dedup_key, kind, member_id, chat_id, ref_type, ref_id, text,"
            " state, priority, not_before, created_at, updated_at, message_id)"
            " VALUES (?, 'send', ?, ?, ?, ?, NULL, 'sent', ?, NULL, ?, ?, ?)"
            " ON CONFLICT (dedup_key) DO UPDATE SET message_id = excluded.message_id,"
            " state = 'sent', content_hash = NULL, created_at = excluded.created_at,"
            " updated_at = excluded.updated_at",
            (
                f"{ref_type}:{ref_id}:{chat_id}",
                member_id,
                chat_id,
                ref_type,
                ref_id,
                int(priority),
                ts(now),
                ts(now),
                message_id,
            ),
        )

    async def drop_edits(self, chat_id: int, message_id: int, now: datetime) -> None:
        """Cancel the edits not sent yet of a message that was edited directly since (its
        content moved on: an older edit must not turn it back)."""
        await self._conn.execute(
            "UPDATE outbox SET state = 'cancelled', text = NULL, reply_markup = NULL,"
            " generation = generation + 1, error = 'superseded: edited directly',"
            " updated_at = ? WHERE kind = 'edit' AND state IN ('pending', 'held')"
            " AND edits IN (SELECT id FROM outbox WHERE kind = 'send' AND chat_id = ?"
            " AND message_id = ?)",
            (ts(now), chat_id, message_id),
        )

    async def ref_of(self, chat_id: int, message_id: int) -> tuple[str, int] | None:
        """The object a message sent to a chat shows, if it shows one."""
        row = await self._one(
            "SELECT ref_type, ref_id FROM outbox WHERE chat_id = ? AND message_id = ?"
            " AND kind = 'send' AND ref_type IS NOT NULL AND ref_id IS NOT NULL",
            (chat_id, message_id),
        )
        return (str(row["ref_type"]), int(row["ref_id"])) if row else None

    async def held_refs(self, member_id: int, ref_type: str) -> list[int]:
        """The objects of a type a member has (or is about to get) a copy of."""
        rows = await self._all(
            "SELECT DISTINCT ref_id FROM outbox WHERE member_id = ? AND ref_type = ?"
            " AND kind = 'send' AND ref_id IS NOT NULL"
            " AND state IN ('pending', 'sending', 'sent', 'held')",
            (member_id, ref_type),
        )
        return [int(r["ref_id"]) for r in rows]

    async def holders(self, ref_type: str, ref_id: int) -> list[int]:
        """Members who have (or are about to get) a copy of an object."""
        rows = await self._all(
            "SELECT DISTINCT member_id FROM outbox WHERE ref_type = ? AND ref_id = ?"
            " AND kind = 'send' AND member_id IS NOT NULL"
            " AND state IN ('pending', 'sending', 'sent', 'held')",
            (ref_type, ref_id),
        )
        return [int(r["member_id"]) for r in rows]

    async def copy_chats(self, ref_type: str, ref_id: int) -> list[tuple[int, str]]:
        """(chat, language of its member) for every chat with a copy of an object that was
        delivered, is on its way, or still waits: a copy in flight must be edited like a
        delivered one, or it arrives later showing what is no longer true."""
        return [
            (int(r["chat_id"]), str(r["language"]))
            for r in await self._all(
                "SELECT DISTINCT o.chat_id, coalesce(m.language, 'sv') AS language FROM outbox o"
                " LEFT JOIN members m ON m.id = o.member_id WHERE o.ref_type = ? AND o.ref_id = ?"
                " AND o.kind = 'send' AND o.state IN ('pending', 'held', 'sending', 'sent')",
                (ref_type, ref_id),
            )
        ]

    async def due(self, now: datetime, limit: int = 200) -> list[OutboxMessage]:
        """The next due message of each chat (at most `limit` chats), lane by lane.

        One per chat, because a chat takes one message at a time anyway: a chat with a long
        queue then fills one place of the batch, not all of them, and holds no one up.
        Within a chat and a lane, edits come first (a live status must not wait behind
        queued sends), then the oldest.
        """
        return [
            outbox_message(row)
            for row in await self._all(
                "SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY chat_id"
                " ORDER BY priority, kind = 'send', id) AS nth FROM outbox"
                " WHERE state = 'pending' AND (not_before IS NULL OR not_before <= :now))"
                " WHERE nth = 1 ORDER BY priority, kind = 'send', id LIMIT :limit",
                {"now": ts(now), "limit": limit},
            )
        ]

    async def unreachable(self, ref_type: str, ref_id: int) -> int:
        """Copies of an object held for members who cannot be reached, and copies cancelled
        while held for members who still cannot be reached."""
        row = await self._one(
            "SELECT count(*) FROM outbox o JOIN members m ON m.id = o.member_id"
            " WHERE o.kind = 'send' AND o.ref_type = ? AND o.ref_id = ? AND (o.state = 'held'"
            " OR (o.state = 'cancelled' AND o.error = 'held: member unreachable'"
            " AND m.unreachable_since IS NOT NULL))",
            (ref_type, ref_id),
        )
        return int(row[0]) if row else 0

    async def states(self, ref_type: str, ref_id: int) -> dict[OutboxState, int]:
        """How many sends of an object are in each state."""
        return {
            OutboxState(r["state"]): r["n"]
            for r in await self._all(
                "SELECT state, count(*) AS n FROM outbox WHERE kind = 'send' AND ref_type = ?"
                " AND ref_id = ? GROUP BY state",
                (ref_type, ref_id),
            )
        }

    async def get(self, outbox_id: int) -> OutboxMessage | None:
        """One row by id."""
        row = await self._one("SELECT * FROM outbox WHERE id = ?", (outbox_id,))
        return outbox_message(row) if row else None

    async def of_ref(self, ref_type: str, ref_id: int) -> list[OutboxMessage]:
        """Every row (sends, edits) of an object, oldest first."""
        rows = await self._all(
            "SELECT * FROM outbox WHERE ref_type = ? AND ref_id = ? ORDER BY id",
            (ref_type, ref_id),
        )
        return [outbox_message(r) for r in rows]
