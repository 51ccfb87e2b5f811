"""Notices, their recipients and confirmations, and drafts being composed."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from bot.domain.notices import Audience, Draft, Notice, NoticeStep
from storage.rows import Repository, parse_ts, ts


def _notice(row: sqlite3.Row) -> Notice:
    return Notice(
        id=row["id"],
        author_id=row["author_id"],
        text=row["text"],
        audience=Audience(row["audience"]),
        group_ids=tuple(json.loads(row["group_ids"])),
        agencies=tuple(json.loads(row["agencies"])),
        needs_confirmation=bool(row["needs_confirmation"]),
        status_chat_id=row["status_chat_id"],
        created_at=parse_ts(row["created_at"]),
        withdrawn_at=parse_ts(row["withdrawn_at"]) if row["withdrawn_at"] else None,
        reminders=row["reminders"],
    )


_DRAFT = "SELECT * FROM notice_drafts WHERE member_id = ?"
_HELD_DRAFT = _DRAFT + " /* FOR UPDATE */"


class NoticeRepository(Repository):
    """Notices and everything about them."""

    async def draft(self, member_id: int, hold: bool = False) -> Draft | None:
        """The notice this member is composing, if any; with `hold`, kept from other
        transactions until this one ends (so a draft is sent once, however many instances
        are asked to)."""
        row = await self._one(_HELD_DRAFT if hold else _DRAFT, (member_id,))
        if row is None:
            return None
        return Draft(
            member_id=row["member_id"],
            text=row["text"],
            audience=Audience(row["audience"]) if row["audience"] else None,
            group_id=row["group_id"],
            agencies=tuple(json.loads(row["agencies"])),
            needs_confirmation=bool(row["needs_confirmation"]),
            step=NoticeStep(row["step"]),
            text_message_id=row["text_message_id"],
        )

    async def save_draft(self, draft: Draft, now: datetime) -> None:
        """Create or replace a member's draft."""
        await self._conn.execute(
            "INSERT INTO notice_drafts (member_id, text, audience, group_id, agencies,"
            " needs_confirmation, step, text_message_id, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (member_id) DO UPDATE SET text = excluded.text,"
            " audience = excluded.audience, group_id = excluded.group_id,"
            " agencies = excluded.agencies, needs_confirmation = excluded.needs_confirmation,"
            " step = excluded.step, text_message_id = excluded.text_message_id,"
            " updated_at = excluded.updated_at",
            (
                draft.member_id,
                draft.text,
                draft.audience.value if draft.audience else None,
                draft.group_id,
                json.dumps(list(draft.agencies)),
                int(draft.needs_confirmation),
                draft.step.value,
                draft.text_message_id,
                ts(now),
            ),
        )

    async def drop_draft(self, member_id: int) -> None:
        """Forget a member's draft."""
        await self._conn.execute("DELETE FROM notice_drafts WHERE member_id = ?", (member_id,))

    async def add(
        self,
        *,
        author_id: int,
        text: str,
        audience: Audience,
        group_ids: list[int],
        agencies: tuple[str, ...],
        needs_confirmation: bool,
        status_chat_id: int,
        recipient_ids: list[int],
        now: datetime,
    ) -> int:
        """Store a notice and its recipients; return its id."""
        row = await self._one(
            "INSERT INTO notices (author_id, text, audience, group_ids, agencies,"
            " needs_confirmation, status_chat_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " RETURNING id",
            (
                author_id,
                text,
                audience.value,
                json.dumps(sorted(group_ids)),
                json.dumps(list(agencies)),
                int(needs_confirmation),
                status_chat_id,
                ts(now),
            ),
        )
        assert row is not None
        notice_id = int(row[0])
        await self._conn.executemany(
            "INSERT INTO notice_recipients (notice_id, member_id) VALUES (?, ?)",
            [(notice_id, member_id) for member_id in recipient_ids],
        )
        return notice_id

    async def get(self, notice_id: int) -> Notice | None:
        """One notice."""
        row = await self._one("SELECT * FROM notices WHERE id = ?", (notice_id,))
        return _notice(row) if row else None

    async def recent(self, group_ids: list[int] | None, limit: int = 10) -> list[Notice]:
        """The newest notices to any of these groups (all notices for None)."""
        return [
            _notice(row)
            for row in await self._all(
                "SELECT * FROM notices n WHERE :groups IS NULL OR EXISTS (SELECT 1 FROM"
                " json_each(n.group_ids) g"
                " WHERE g.value IN (SELECT value FROM json_each(:groups)))"
                " ORDER BY n.id DESC LIMIT :limit",
                {"groups": None if group_ids is None else json.dumps(group_ids), "limit": limit},
            )
        ]

    async def confirm(self, notice_id: int, member_id: int, now: datetime) -> bool | None:
        """Record a read confirmation: True if new, False if repeated, None if no recipient."""
        cur = await self._conn.execute(
            "UPDATE notice_recipients SET confirmed_at = ?"
            " WHERE notice_id = ? AND member_id = ? AND confirmed_at IS NULL",
            (ts(now), notice_id, member_id),
        )
        if cur.rowcount == 1:
            await self.touch(notice_id)
            return True
        row = await self._one(
            "SELECT 1 FROM notice_recipients WHERE notice_id = ? AND member_id = ?",
            (notice_id, member_id),
        )
        return False if row else None

    async def confirmed(self, notice_id: int) -> int:
        """How many recipients confirmed."""
        row = await self._one(
            "SELECT count(*) FROM notice_recipients"
            " WHERE notice_id = ? AND confirmed_at IS NOT NULL",
            (notice_id,),
        )
        return int(row[0]) if row else 0

    async def recipients(self, notice_id: int) -> int:
        """How many recipients the notice has."""
        row = await self._one(
            "SELECT count(*) FROM notice_recipients WHERE notice_id = ?", (notice_id,)
        )
        return int(row[0]) if row else 0

    async def unconfirmed(self, notice_id: int) -> list[int]:
        """Recipients who have not confirmed (delivered or not)."""
        return [
            int(r[0])
            for r in await self._all(
                "SELECT member_id FROM notice_recipients"
                " WHERE notice_id = ? AND confirmed_at IS NULL",
                (notice_id,),
            )
        ]

    async def unconfirmed_delivered(self, notice_id: int) -> list[int]:
        """Members who got the notice and have not confirmed it."""
        return [
            int(r[0])
            for r in await self._all(
                "SELECT r.member_id FROM notice_recipients r JOIN members m ON m.id = r.member_id"
                " WHERE r.notice_id = ? AND r.confirmed_at IS NULL AND m.active = 1 AND EXISTS"
                " (SELECT 1 FROM outbox o WHERE o.ref_type = 'notice' AND o.ref_id = r.notice_id"
                " AND o.member_id = r.member_id AND o.kind = 'send' AND o.state = 'sent')",
                (notice_id,),
            )
        ]

    async def withdraw(self, notice_id: int, now: datetime) -> bool:
        """Mark a notice withdrawn; False if it already was."""
        cur = await self._conn.execute(
            "UPDATE notices SET withdrawn_at = ?, status_dirty = 1"
            " WHERE id = ? AND withdrawn_at IS NULL",
            (ts(now), notice_id),
        )
        return cur.rowcount == 1

    async def start_reminder_round(self, notice_id: int, round_no: int) -> bool:
        """Record reminder round `round_no` if it is the next one; False if it happened."""
        cur = await self._conn.execute(
            "UPDATE notices SET reminders = :round, status_dirty = 1"
            " WHERE id = :id AND reminders = :round - 1",
            {"round": round_no, "id": notice_id},
        )
        return cur.rowcount == 1

    async def touch(self, notice_id: int) -> None:
        """Mark a notice's figures as changed."""
        await self._conn.execute("UPDATE notices SET status_dirty = 1 WHERE id = ?", (notice_id,))

    async def changed(self, limit: int = 20) -> list[int]:
        """Notices whose figures changed since their status was last shown."""
        return [
            int(r[0])
            for r in await self._all(
                "SELECT id FROM notices WHERE status_dirty = 1 ORDER BY id LIMIT ?", (limit,)
            )
        ]

    async def shown(self, notice_id: int) -> None:
        """The status now shows the current figures."""
        await self._conn.execute("UPDATE notices SET status_dirty = 0 WHERE id = ?", (notice_id,))
