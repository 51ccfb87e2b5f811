"""What the bot asked a member to type, so their next plain message answers it."""

from __future__ import annotations

from datetime import datetime

from storage.rows import Repository, parse_ts, ts


class PromptRepository(Repository):
    """One open question per member."""

    async def ask(self, member_id: int, kind: str, payload: str | None, now: datetime) -> None:
        """Ask the member for text (replacing an older question)."""
        await self._conn.execute(
            "INSERT INTO prompts (member_id, kind, payload, created_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (member_id) DO UPDATE SET kind = excluded.kind,"
            " payload = excluded.payload, created_at = excluded.created_at,"
            " answer_message_id = NULL",
            (member_id, kind, payload, ts(now)),
        )

    async def current(
        self, member_id: int, asked_since: datetime | None = None
    ) -> tuple[str, str | None] | None:
        """The open question (kind, payload), if asked since the given moment."""
        row = await self._one(
            "SELECT kind, payload FROM prompts WHERE member_id = ?"
            " AND (? IS NULL OR created_at >= ?)",
            (
                member_id,
                ts(asked_since) if asked_since else None,
                ts(asked_since) if asked_since else None,
            ),
        )
        return (row["kind"], row["payload"]) if row else None

    async def cancel(self, member_id: int) -> bool:
        """Drop the open question; True if there was one."""
        cur = await self._conn.execute("DELETE FROM prompts WHERE member_id = ?", (member_id,))
        return cur.rowcount > 0

    async def answering(self, member_id: int, message_id: int) -> None:
        """Note the message that answers the open question now (its edit may answer again)."""
        await self._conn.execute(
            "UPDATE prompts SET answer_message_id = ? WHERE member_id = ?", (message_id, member_id)
        )

    async def answered_by(
        self, member_id: int, message_id: int, asked_since: datetime
    ) -> tuple[str, str | None] | None:
        """The open question (kind, payload), if this message was its last answer."""
        row = await self._one(
            "SELECT kind, payload FROM prompts WHERE member_id = ? AND answer_message_id = ?"
            " AND created_at >= ?",
            (member_id, message_id, ts(asked_since)),
        )
        return (row["kind"], row["payload"]) if row else None

    async def drafts_changed(self, member_id: int) -> dict[str, datetime]:
        """When each draft the member has (by its flow) last changed: the question of the
        latest one is what typed text answers when no other question is open."""
        rows = await self._all(
            "SELECT 'flag' AS flow, updated_at FROM flag_drafts WHERE member_id = ?"
            " UNION ALL SELECT 'log', updated_at FROM activity_drafts WHERE member_id = ?"
            " UNION ALL SELECT 'notice', updated_at FROM notice_drafts WHERE member_id = ?",
            (member_id, member_id, member_id),
        )
        return {row["flow"]: parse_ts(row["updated_at"]) for row in rows}
