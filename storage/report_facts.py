"""The facts behind a report, read in bulk as epoch seconds (SQLite converts in C)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bot.domain.checkins import NO_AGENCY, Checkins
from bot.domain.figures import TargetFact, WorkFact
from bot.domain.worklog import Residents
from storage.rows import Repository, ts

_AT_LEAST = {r.value: r.at_least for r in Residents}
CHUNK = 50_000
# The agency comes as its position in `agencies` (0: none), turned into the report's index after.
_CHECKINS = (
    "SELECT p.group_id, coalesce(ag.position, 0), p.member_id, unixepoch(p.checked_in_at),"
    " unixepoch(coalesce(p.checked_out_at, :now))"
    " FROM presences p JOIN members m ON m.id = p.member_id"
    " LEFT JOIN agencies ag ON ag.code = m.agency_code"
    " WHERE p.group_id IN (SELECT value FROM json_each(:groups))"
    " AND p.checked_in_at < :end AND coalesce(p.checked_out_at, :now) > :start"
)


_WORK = (
    "SELECT a.group_id, coalesce(a.agency_code, ''), a.kind, a.type, a.minutes,"
    " a.residents, unixepoch(a.done_at),"
    " (SELECT group_concat(agency_code) FROM activity_partners p WHERE p.activity_id = a.id)"
    " FROM activities a WHERE a.group_id IN (SELECT value FROM json_each(:groups))"
    " AND a.done_at >= :start AND a.done_at < :end"
)


def _work(
    rows: Iterable[Sequence[Any]],
    shared: dict[str, str],
    partners: dict[str | None, tuple[str, ...]],
) -> Iterator[WorkFact]:
    for r in rows:
        if r[7] not in partners:
            partners[r[7]] = tuple(shared.setdefault(p, p) for p in r[7].split(","))
        yield WorkFact(
            group_id=r[0],
            agency=shared.setdefault(r[1], r[1]),
            kind=shared.setdefault(r[2], r[2]),
            type=shared.setdefault(r[3], r[3]),
            minutes=r[4],
            residents_at_least=_AT_LEAST[r[5]],
            done_at=r[6],
            partners=partners[r[7]],
        )


class ReportFactRepository(Repository):
    """Check-ins, activities and flag targets of some groups over a period."""

    async def checkins(
        self,
        group_ids: list[int],
        agencies: tuple[str, ...],
        start: datetime,
        end: datetime,
        now: datetime,
    ) -> Checkins:
        """Check-ins overlapping [start, end), as arrays; one still open lasts until `now`.

        Read in chunks straight into arrays: a year of a city's check-ins never exists as a
        million Python objects at once.
        """
        params = {
            "groups": json.dumps(group_ids),
            "start": ts(start),
            "end": ts(end),
            "now": ts(now),
        }
        columns: list[list[NDArray[np.int64]]] = [[] for _ in range(5)]
        async with self._conn.execute(_CHECKINS, params) as cursor:
            cursor.row_factory = None  # plain tuples: no Row object per check-in
            while rows := await cursor.fetchmany(CHUNK):
                chunk = np.array(rows, dtype=np.int64).reshape(-1, 5)
                for column, values in zip(columns, chunk.T, strict=True):
                    column.append(values.copy())
        group, row, member, start_at, end_at = (
            np.concatenate(c) if c else np.zeros(0, np.int64) for c in columns
        )
        rowids = await self._conn.execute_fetchall("SELECT position, code FROM agencies")
        index = np.full(max([0, *(r[0] for r in rowids)]) + 1, NO_AGENCY, np.int64)
        for rowid, code in rowids:
            if code in agencies:
                index[rowid] = agencies.index(code)
        return Checkins(agencies, group, index[row], member, start_at, end_at)

    async def work(self, group_ids: list[int], start: datetime, end: datetime) -> list[WorkFact]:
        """Activities done in [start, end), without their notes or authors."""
        params = {"groups": json.dumps(group_ids), "start": ts(start), "end": ts(end)}
        # A city's year is hundreds of thousands of rows over a few dozen distinct strings:
        # share one object per string rather than keep one per row.
        shared: dict[str, str] = {}
        partners: dict[str | None, tuple[str, ...]] = {None: ()}
        facts: list[WorkFact] = []
        async with self._conn.execute(_WORK, params) as cursor:
            cursor.row_factory = None
            while rows := await cursor.fetchmany(CHUNK):
                facts.extend(_work(rows, shared, partners))
        return facts

    async def targets(
        self, group_ids: list[int], start: datetime, end: datetime
    ) -> list[TargetFact]:
        """The targets of flags raised in [start, end) (withdrawn flags are left out)."""
        rows = await self._conn.execute_fetchall(
            "SELECT f.id, f.group_id, f.raiser_agency, t.agency_code, f.urgency,"
            " unixepoch(t.added_at), unixepoch(t.ack_deadline), unixepoch(t.acknowledged_at),"
            " t.state = 'resolved'"
            " FROM flags f JOIN flag_targets t ON t.flag_id = f.id"
            " WHERE f.group_id IN (SELECT value FROM json_each(:groups))"
            " AND f.created_at >= :start AND f.created_at < :end AND f.withdrawn_at IS NULL",
            {"groups": json.dumps(group_ids), "start": ts(start), "end": ts(end)},
        )
        return [
            TargetFact(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], bool(r[8])) for r in rows
        ]

    async def names(self, member_ids: list[int]) -> dict[int, tuple[str, str]]:
        """(display name, agency) of members, for the coordinators' attendance sheet."""
        rows = await self._conn.execute_fetchall(
            "SELECT id, display_name, coalesce(agency_code, '') FROM members"
            " WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(member_ids),),
        )
        return {r[0]: (r[1], r[2]) for r in rows}
