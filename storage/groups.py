"""Groups and agencies."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from bot.domain.models import Agency, Group
from storage.rows import Repository, ts


def _group(row: sqlite3.Row) -> Group:
    return Group(
        id=row["id"],
        name=row["name"],
        lat=row["lat"],
        lon=row["lon"],
        radius_m=row["radius_m"],
        min_per_agency=row["min_per_agency"],
        timezone=row["timezone"],
    )


class GroupRepository(Repository):
    """Action groups (districts) and the deployment's agencies."""

    async def add(
        self,
        *,
        name: str,
        lat: float,
        lon: float,
        radius_m: int,
        min_per_agency: int,
        timezone: str,
        now: datetime,
    ) -> Group:
        """Insert a group; `Conflict` (from the transaction) when the name is taken."""
        row = await self._one(
            "INSERT INTO groups (name, lat, lon, radius_m, min_per_agency, timezone, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (name, lat, lon, radius_m, min_per_agency, timezone, ts(now)),
        )
        assert row is not None
        group_id = int(row[0])
        return Group(
            id=group_id,
            name=name,
            lat=lat,
            lon=lon,
            radius_m=radius_m,
            min_per_agency=min_per_agency,
            timezone=timezone,
        )

    async def all(self) -> list[Group]:
        """Every group, by name."""
        return [_group(row) for row in await self._all("SELECT * FROM groups ORDER BY name")]

    async def get(self, group_id: int) -> Group | None:
        """One group by id."""
        row = await self._one("SELECT * FROM groups WHERE id = ?", (group_id,))
        return _group(row) if row else None

    async def by_name(self, name: str) -> Group | None:
        """One group by name, ignoring case."""
        row = await self._one("SELECT * FROM groups WHERE name = ?", (name,))
        return _group(row) if row else None

    async def many(self, group_ids: tuple[int, ...] | list[int]) -> list[Group]:
        """The groups with these ids, by name."""
        if not group_ids:
            return []
        return [
            _group(row)
            for row in await self._all(
                "SELECT * FROM groups WHERE id IN (SELECT value FROM json_each(?)) ORDER BY name",
                (json.dumps(list(group_ids)),),
            )
        ]

    async def agencies(self) -> list[Agency]:
        """The deployment's active agencies, in the order they were set up."""
        return [
            Agency(code=row["code"], name=row["name"])
            for row in await self._all(
                "SELECT code, name FROM agencies WHERE active = 1 ORDER BY position, code"
            )
        ]

    async def agency(self, code: str) -> Agency | None:
        """One active agency by code, ignoring case."""
        row = await self._one(
            "SELECT code, name FROM agencies WHERE active = 1 AND code = ? COLLATE NOCASE",
            (code,),
        )
        return Agency(code=row["code"], name=row["name"]) if row else None
