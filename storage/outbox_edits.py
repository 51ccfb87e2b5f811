"""Edits of messages already queued or sent: new content in place, collapsed per message."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from bot.domain.outbox import Keyboard, OutboxMessage
from storage.outbox_rows import content_hash, keyboard_json
from storage.outbox_settle import OutboxSettle
from storage.rows import ts


class OutboxEdits(OutboxSettle):
    """Show new content in messages of an object; the row's `content_hash` says whether an
    edit would change what the message shows."""

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
        markup = keyboard_json(keyboard)
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
            (text, markup, content_hash(text, markup), ts(now), outbox_id),
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
        return shown is not None and shown == content_hash(text, markup)

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
             "original": original_id, "hash": content_hash(text, markup)},
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
            original.id, edit.text, keyboard_json(edit.keyboard), now
        ):
            return False
        await self.cancel(edit, "folded into its original, not sent yet", now)
        self.touched = True
        return True
