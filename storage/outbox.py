"""The outbox table: queue, claim, settle, hold and cancel outgoing messages."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import aiosqlite
from pydantic import TypeAdapter

from bot.domain.outbox import Keyboard, Notification, OutboxMessage, OutboxState, Priority
from storage.outbox_leases import OutboxLeases
from storage.rows import parse_ts, ts

_KEYBOARD = TypeAdapter(Keyboard)


def _keyboard_json(keyboard: Keyboard | None) -> str | None:
    return None if keyboard is None else _KEYBOARD.dump_json(keyboard).decode()


def _hash(text: str, markup: str | None) -> str:
    """What a message shows, as a fingerprint: settled rows keep this, not the text."""
    return hashlib.sha256(f"{text}\x00{markup or ''}".encode()).hexdigest()[:32]


def _message(row: sqlite3.Row) -> OutboxMessage:
    markup = row["reply_markup"]
    return OutboxMessage(
        id=row["id"],
        dedup_key=row["dedup_key"],
        kind=row["kind"],
        member_id=row["member_id"],
        chat_id=row["chat_id"],
        ref_type=row["ref_type"],
        ref_id=row["ref_id"],
        text=row["text"] or "",  # a settled row keeps no text
        keyboard=_KEYBOARD.validate_json(markup) if markup else None,
        protect_content=bool(row["protect_content"]),
        state=OutboxState(row["state"]),
        generation=row["generation"],
        attempts=row["attempts"],
        not_before=parse_ts(row["not_before"]) if row["not_before"] else None,
        message_id=row["message_id"],
        error=row["error"],
        edits=row["edits"],
        priority=Priority(row["priority"]),
        location=_location(row["location"]),
        media=row["media"],
    )


# A member known to be unreachable gets the message held, not attempted.
_INSERT_SEND = (
    "INSERT INTO outbox (dedup_key, kind, member_id, chat_id, ref_type, ref_id, text,"
    " reply_markup, content_hash, protect_content, priority, location, media, state,"
    " not_before, created_at, updated_at) VALUES (:key, 'send', :member, :chat, :ref_type,"
    " :ref_id, :text, :markup, :hash, :protect, :priority, :location, :media,"
    " CASE WHEN (SELECT unreachable_since FROM members WHERE id = :member)"
    " IS NULL THEN 'pending' ELSE 'held' END, NULL, :now, :now)"
    " ON CONFLICT (dedup_key) DO NOTHING"
)


def _send_values(note: Notification, now: datetime) -> dict[str, object]:
    return {
        "key": note.dedup_key,
        "member": note.member_id,
        "chat": note.chat_id,
        "ref_type": note.ref_type,
        "ref_id": note.ref_id,
        "text": note.text,
        "markup": _keyboard_json(note.keyboard),
        "hash": _hash(note.text, _keyboard_json(note.keyboard)),
        "protect": int(note.protect_content),
        "priority": int(note.priority),
        "location": f"{note.location[0]!r},{note.location[1]!r}" if note.location else None,
        "media": note.media,
        "now": ts(now),
    }


@dataclass(frozen=True)
class PreparedSend:
    """A send as its row will be stored (text hashed, keyboard serialised), made ahead of
    the transaction that queues it."""

    values: dict[str, object]


def prepare(note: Notification, now: datetime) -> PreparedSend:
    """A send ready for `enqueue_prepared`, queued with the time `now`."""
    return PreparedSend(_send_values(note, now))


def _location(text: str | None) -> tuple[float, float] | None:
    if not text:
        return None
    lat, lon = text.split(",")
    return float(lat), float(lon)


class OutboxRepository(OutboxLeases):
    """Outgoing messages; `touched` tells the store to wake the sender after commit.

    Settling a row (sent, failed, cancelled) drops its text and markup (keep less): an edit
    is rendered afresh from the object, and the row's `content_hash` says whether an edit
    would change what the message shows.
    """

    def __init__(self, conn: aiosqlite.Connection) -> None:
        super().__init__(conn)
        self.touched = False

    async def enqueue(self, note: Notification, now: datetime) -> bool:
        """Queue a send unless the same dedup key was queued before; True when queued."""
        inserted = await self._one(_INSERT_SEND + " RETURNING id", _send_values(note, now))
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
        cur = await self._conn.executemany(_INSERT_SEND, [s.values for s in sends])
        self.touched = self.touched or cur.rowcount > 0
        return cur.rowcount

    async def enqueue_edit(
        self,
        *,
        ref_type: str,
        ref_id: int,
        chat_id: int,
        text: str,
        keyboard: Keyboard | None,
        now: datetime,
    ) -> None:
        """Show new content in every message of this object in this chat, in place.

        A copy not sent yet takes the new content. A copy sent, or on its way, gets one edit
        row, whose content the newest edit replaces (edits collapse); content the message
        already shows (or is about to) is not queued again, as Telegram would refuse it.
        """
        markup = _keyboard_json(keyboard)
        for original in await self._all(
            "SELECT id, state, content_hash FROM outbox WHERE kind = 'send'"
            " AND ref_type = ? AND ref_id = ? AND chat_id = ?"
            " AND state IN ('pending', 'held', 'sending', 'sent') ORDER BY id",
            (ref_type, ref_id, chat_id),
        ):
            await self._apply(original, text, markup, now)

    async def edit_latest(
        self,
        *,
        ref_type: str,
        ref_id: int,
        chat_id: int,
        since: datetime,
        text: str,
        now: datetime,
    ) -> bool:
        """Show new content in the newest message of this object in this chat, if it was
        queued since `since`; False when there is none (the caller sends a new one)."""
        original = await self._one(
            "SELECT id, state, content_hash FROM outbox WHERE kind = 'send'"
            " AND ref_type = ? AND ref_id = ? AND chat_id = ? AND created_at >= ?"
            " AND state IN ('pending', 'held', 'sending', 'sent') ORDER BY id DESC LIMIT 1",
            (ref_type, ref_id, chat_id, ts(since)),
        )
        if original is None:
            return False
        await self._apply(original, text, None, now)
        return True

    async def _apply(
        self, original: sqlite3.Row, text: str, markup: str | None, now: datetime
    ) -> None:
        queued = original["state"] in ("pending", "held")
        if queued and await self._replace_content(original["id"], text, markup, now):
            # An edit queued while the copy was in flight (it came back: a 429, its turn
            # taken) holds older content, and would be folded into the copy over this.
            await self._supersede_edits(original["id"], now)
        elif not await self._shows(original, text, markup):
            # Also a copy claimed since it was read as queued: it is on its way, so edit it.
            await self._edit_row(original["id"], text, markup, now)

    async def enqueue_last_edit(
        self, *, ref_type: str, ref_id: int, chat_id: int, text: str, now: datetime
    ) -> None:
        """Edit a deactivated member's copies of an object one last time, to a text without
        its content and without buttons.

        The edit carries no member: the sender holds back everything else queued for an
        inactive member, but this one must go out, or the copy keeps showing the object.
        """
        await self.enqueue_edit(
            ref_type=ref_type, ref_id=ref_id, chat_id=chat_id, text=text, keyboard=None, now=now
        )
        await self._conn.execute(
            "UPDATE outbox SET member_id = NULL WHERE kind = 'edit' AND state = 'pending'"
            " AND edits IN (SELECT id FROM outbox WHERE kind = 'send' AND ref_type = ?"
            " AND ref_id = ? AND chat_id = ?)",
            (ref_type, ref_id, chat_id),
        )

    async def _replace_content(
        self, outbox_id: int, text: str, markup: str | None, now: datetime
    ) -> bool:
        # A new generation, so a sender that read the old content cannot claim it.
        cur = await self._conn.execute(
            "UPDATE outbox SET text = ?, reply_markup = ?, content_hash = ?,"
            " generation = generation + 1, updated_at = ? WHERE id = ? AND state IN"
            " ('pending', 'held')",
            (text, markup, _hash(text, markup), ts(now), outbox_id),
        )
        return cur.rowcount == 1

    async def _supersede_edits(self, original_id: int, now: datetime) -> None:
        await self._conn.execute(
            "UPDATE outbox SET state = 'cancelled', text = NULL, reply_markup = NULL,"
            " generation = generation + 1, error = 'superseded: its message was not sent yet',"
            " updated_at = ? WHERE edits = ? AND kind = 'edit'"
            " AND state IN ('pending', 'held', 'sending')",
            (ts(now), original_id),
        )

    async def _shows(self, original: sqlite3.Row, text: str, markup: str | None) -> bool:
        """True when the message shows (or its queued edit will show) exactly this."""
        edit = await self._one(
            "SELECT state, content_hash FROM outbox WHERE edits = ? AND kind = 'edit'",
            (original["id"],),
        )
        if edit is not None and edit["state"] == "failed":
            return False  # what the message shows is not known
        latest = edit if edit is not None and edit["state"] != "cancelled" else original
        shown = latest["content_hash"]
        # No hash (adopted, or settled before hashes were kept): not known, so edit.
        return shown is not None and shown == _hash(text, markup)

    async def _edit_row(
        self, original_id: int, text: str, markup: str | None, now: datetime
    ) -> None:
        await self._conn.execute(
            "INSERT INTO outbox (dedup_key, kind, member_id, chat_id, ref_type, ref_id, text,"
            " reply_markup, content_hash, protect_content, priority, not_before, created_at,"
            " updated_at, edits)"
            " SELECT :key, 'edit', member_id, chat_id, ref_type, ref_id, :text, :markup, :hash,"
            " protect_content, priority, NULL, :now, :now, id FROM outbox WHERE id = :original"
            " ON CONFLICT (dedup_key) DO UPDATE SET text = excluded.text,"
            " reply_markup = excluded.reply_markup, content_hash = excluded.content_hash,"
            " state = 'pending', attempts = 0,"
            " generation = generation + 1, not_before = NULL,"
            " updated_at = excluded.updated_at, error = NULL",
            {"key": f"edit:{original_id}", "text": text, "markup": markup, "now": ts(now),
             "original": original_id, "hash": _hash(text, markup)},
        )  # fmt: skip
        self.touched = True

    async def fold(self, edit: OutboxMessage, original: OutboxMessage, now: datetime) -> bool:
        """Give an edit's content to its original, still queued; False if it left meanwhile.
        An edit superseded since it was claimed (its original took newer content) is done."""
        current = await self._one(
            "SELECT 1 FROM outbox WHERE id = ? AND state = 'sending' AND generation = ?",
            (edit.id, edit.generation),
        )
        if current is None:
            return True
        if not await self._replace_content(
            original.id, edit.text, _keyboard_json(edit.keyboard), now
        ):
            return False
        await self.cancel(edit, "folded into its original, not sent yet", now)
        self.touched = True
        return True

    async def cancel(self, message: OutboxMessage, reason: str, now: datetime) -> None:
        """Settle a message that will not be sent, with the reason."""
        await self._conn.execute(
            "UPDATE outbox SET state = 'cancelled', text = NULL, reply_markup = NULL,"
            " error = ?, updated_at = ?"
            " WHERE id = ?",
            (reason[:500], ts(now), message.id),
        )

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
            _message(row)
            for row in await self._all(
                "SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY chat_id"
                " ORDER BY priority, kind = 'send', id) AS nth FROM outbox"
                " WHERE state = 'pending' AND (not_before IS NULL OR not_before <= :now))"
                " WHERE nth = 1 ORDER BY priority, kind = 'send', id LIMIT :limit",
                {"now": ts(now), "limit": limit},
            )
        ]

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
        return _message(row) if row else None

    async def of_ref(self, ref_type: str, ref_id: int) -> list[OutboxMessage]:
        """Every row (sends, edits) of an object, oldest first."""
        rows = await self._all(
            "SELECT * FROM outbox WHERE ref_type = ? AND ref_id = ? ORDER BY id",
            (ref_type, ref_id),
        )
        return [_message(r) for r in rows]
