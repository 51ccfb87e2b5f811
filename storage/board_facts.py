"""What a residents' board is made of, read as counts: who was present, how much work."""

from __future__ import annotations

from datetime import datetime

from bot.domain.board import WorkRow
from bot.domain.worklog import Kind, Residents
from storage.rows import Repository, ts


class BoardFactRepository(Repository):
    """Presence at a moment and work in a period, by agency and never by person."""

    async def agencies_present(self, group_id: int, at: datetime) -> list[str | None]:
        """The agencies of members checked in to the group at a moment."""
        rows = await self._all(
            "SELECT DISTINCT m.agency_code FROM presences p JOIN members m ON m.id = p.member_id"
            " WHERE p.group_id = :group AND m.active = 1 AND p.checked_in_at <= :at"
            " AND (p.checked_out_at IS NULL OR p.checked_out_at > :at)",
            {"group": group_id, "at": ts(at)},
        )
        return [r["agency_code"] for r in rows]

    async def work(
        self, group_id: int, kind: Kind, start: datetime, end: datetime
    ) -> list[WorkRow]:
        """Work of one kind done in [start, end), counted by agency, type and reach."""
        rows = await self._all(
            "SELECT agency_code, type, residents, count(*) AS n FROM activities"
            " WHERE group_id = ? AND kind = ? AND done_at >= ? AND done_at < ?"
            " GROUP BY agency_code, type, residents",
            (group_id, kind.value, ts(start), ts(end)),
        )
        return [
            WorkRow(
                agency_code=r["agency_code"],
                type=r["type"],
                residents=Residents(r["residents"]),
                count=r["n"],
            )
            for r in rows
        ]
