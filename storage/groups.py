"""Groups and agencies."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

import aiosqlite

from bot.domain.models import Agency, Group
from storage.rows import ts


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


class GroupRepository:
    """Action groups (districts) and the deployment's agencies."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

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
        """Insert a group; sqlite3.IntegrityError when the name is taken."""
        cur = await self._conn.execute(
            "INSERT INTO groups (name, lat, lon, radius_m, min_per_agency, timezone, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (name, lat, lon, radius_m, min_per_agency, timezone, ts(now)),
        )
        group_id = cur.lastrowid
        assert group_id is not None
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
        async with self._conn.execute("SELECT * FROM groups ORDER BY name") as cur:
            return [_group(row) for row in await cur.fetchall()]

    async def get(self, group_id: int) -> Group | None:
        """One group by id."""
        async with self._conn.execute("SELECT * FROM groups WHERE id = ?", (group_id,)) as cur:
            row = await cur.fetchone()
        return _group(row) if row else None

    async def by_name(self, name: str) -> Group | None:
        """One group by name, ignoring case."""
        async with self._conn.execute("SELECT * FROM groups WHERE name = ?", (name,)) as cur:
            row = await cur.fetchone()
        return _group(row) if row else None

    async def many(self, group_ids: tuple[int, ...] | list[int]) -> list[Group]:
        """The groups with these ids, by name."""
        if not group_ids:
            return []
        async with self._conn.execute(
            "SELECT * FROM groups WHERE id IN (SELECT value FROM json_each(?)) ORDER BY name",
            (json.dumps(list(group_ids)),),
        ) as cur:
            return [_group(row) for row in await cur.fetchall()]

    async def agencies(self) -> list[Agency]:
        """The deployment's active agencies, in the order they were set up."""
        async with self._conn.execute(
            "SELECT code, name FROM agencies WHERE active = 1 ORDER BY rowid"
        ) as cur:
            return [Agency(code=row["code"], name=row["name"]) for row in await cur.fetchall()]

    async def agency(self, code: str) -> Agency | None:
        """One active agency by code, ignoring case."""
        async with self._conn.execute(
            "SELECT code, name FROM agencies WHERE active = 1 AND code = ? COLLATE NOCASE",
            (code,),
        ) as cur:
            row = await cur.fetchone()
        return Agency(code=row["code"], name=row["name"]) if row else None
