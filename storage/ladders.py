"""Each group's escalation ladder (the default when it has none of its own)."""

from __future__ import annotations

import json
from datetime import datetime

from bot.domain.ladders import Ladder, Rung
from storage.rows import Repository, ts


class LadderRepository(Repository):
    """Groups' ladders."""

    async def of(self, group_id: int) -> Ladder:
        """The group's ladder, or the default one."""
        row = await self._one(
            "SELECT rungs, neighbours FROM group_ladders WHERE group_id = ?", (group_id,)
        )
        if row is None:
            return Ladder(group_id=group_id)
        return Ladder(
            group_id=group_id,
            rungs=tuple(Rung(r) for r in json.loads(row["rungs"])),
            neighbours=tuple(int(g) for g in json.loads(row["neighbours"])),
        )

    async def save(self, ladder: Ladder, now: datetime) -> None:
        """Store a group's ladder."""
        await self._conn.execute(
            "INSERT INTO group_ladders (group_id, rungs, neighbours, updated_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (group_id) DO UPDATE SET rungs = excluded.rungs,"
            " neighbours = excluded.neighbours, updated_at = excluded.updated_at",
            (
                ladder.group_id,
                json.dumps([r.value for r in ladder.rungs]),
                json.dumps(list(ladder.neighbours)),
                ts(now),
            ),
        )
