"""Groups and agencies."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, time

from bot.domain.agencies import Directory
from bot.domain.models import Agency, Group
from bot.domain.staffing import Target
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


def _agency(row: sqlite3.Row) -> Agency:
    return Agency(
        code=row["code"],
        name=row["name"],
        name_en=row["name_en"],
        short_sv=row["short_sv"],
        short_en=row["short_en"],
        parent=row["parent_code"],
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
            _agency(row)
            for row in await self._all(
                "SELECT code, name, name_en, short_sv, short_en, parent_code FROM agencies"
                " WHERE active = 1 ORDER BY position, code"
            )
        ]

    async def directory(self) -> Directory:
        """Every agency, retired ones too, to name the codes stored in older rows."""
        return Directory.of(
            _agency(row)
            for row in await self._all(
                "SELECT code, name, name_en, short_sv, short_en, parent_code FROM agencies"
                " ORDER BY position, code"
            )
        )

    async def add_agency(self, agency: Agency) -> None:
        """A new agency (or unit of one) after the others; `Conflict` when the code is taken."""
        await self._conn.execute(
            "INSERT INTO agencies (code, name, name_en, short_sv, short_en, parent_code, position)"
            " SELECT ?, ?, ?, ?, ?, ?, COALESCE(MAX(position), 0) + 1 FROM agencies",
            (agency.code, agency.name, agency.name_en, agency.short_sv, agency.short_en,
             agency.parent),
        )  # fmt: skip

    async def named(self, code: str | None) -> Agency | str:
        """An agency for a text, which names it in the reader's language (see Directory)."""
        return (await self.directory()).entry(code)

    async def agency(self, code: str) -> Agency | None:
        """One active agency by code, ignoring case."""
        row = await self._one(
            "SELECT code, name, name_en, short_sv, short_en, parent_code FROM agencies"
            " WHERE active = 1 AND code = ? COLLATE NOCASE",
            (code,),
        )
        return _agency(row) if row else None

    async def targets(self, group_id: int) -> list[Target]:
        """The group's staffing target, agency by agency in set-up order (empty: none set)."""
        return (await self.targets_of([group_id])).get(group_id, [])

    async def targets_of(self, group_ids: list[int]) -> dict[int, list[Target]]:
        """The staffing targets of several groups in one query (an admin's /onduty: sixty)."""
        found: dict[int, list[Target]] = {}
        for row in await self._all(
            "SELECT t.group_id, t.agency_code, t.minimum, t.from_minute, t.to_minute"
            " FROM staffing_targets t JOIN agencies a ON a.code = t.agency_code"
            " WHERE t.group_id IN (SELECT value FROM json_each(?)) AND a.active = 1"
            " ORDER BY a.position, a.code",
            (json.dumps(group_ids),),
        ):
            found.setdefault(row["group_id"], []).append(
                Target(
                    row["agency_code"],
                    row["minimum"],
                    time(row["from_minute"] // 60, row["from_minute"] % 60),
                    time(row["to_minute"] // 60, row["to_minute"] % 60),
                )
            )
        return found

    async def set_target(self, group_id: int, target: Target) -> None:
        """Set (or replace) one agency's line of a group's staffing target."""
        await self._conn.execute(
            "INSERT INTO staffing_targets (group_id, agency_code, minimum, from_minute, to_minute)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (group_id, agency_code) DO UPDATE SET"
            " minimum = excluded.minimum, from_minute = excluded.from_minute,"
            " to_minute = excluded.to_minute",
            (
                group_id,
                target.agency,
                target.minimum,
                target.start.hour * 60 + target.start.minute,
                target.end.hour * 60 + target.end.minute,
            ),
        )

    async def remove_target(self, group_id: int, agency_code: str) -> bool:
        """Leave an agency out of a group's target; False when it was not in it."""
        cur = await self._conn.execute(
            "DELETE FROM staffing_targets WHERE group_id = ? AND agency_code = ?",
            (group_id, agency_code),
        )
        return cur.rowcount > 0

    async def staffed_agencies(self, group_id: int) -> list[str]:
        """Agencies with an active member in the group, in set-up order."""
        return (await self.staffed_of([group_id])).get(group_id, [])

    async def staffed_of(self, group_ids: list[int]) -> dict[int, list[str]]:
        """For several groups in one query: the agencies with an active member there."""
        found: dict[int, list[str]] = {}
        for row in await self._all(
            "SELECT DISTINCT gm.group_id, a.code, a.position FROM group_memberships gm"
            " JOIN members m ON m.id = gm.member_id JOIN agencies a ON a.code = m.agency_code"
            " WHERE gm.group_id IN (SELECT value FROM json_each(?)) AND m.active = 1"
            " AND a.active = 1 ORDER BY a.position, a.code",
            (json.dumps(group_ids),),
        ):
            found.setdefault(row["group_id"], []).append(row["code"])
        return found
