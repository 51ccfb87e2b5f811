"""The facts behind a report, read in bulk as epoch seconds (SQLite converts in C)."""

from __future__ import annotations

import json
from datetime import datetime

from bot.domain.figures import Span, TargetFact, WorkFact
from bot.domain.worklog import Residents
from storage.rows import Repository, ts

_AT_LEAST = {r.value: r.at_least for r in Residents}


class ReportFactRepository(Repository):
    """Check-ins, activities and flag targets of some groups over a period."""

    async def spans(
        self, group_ids: list[int], start: datetime, end: datetime, now: datetime
    ) -> list[Span]:
        """Check-ins overlapping [start, end); one still open lasts until `now`."""
        rows = await self._conn.execute_fetchall(
            "SELECT p.group_id, coalesce(m.agency_code, ''), p.member_id,"
            " unixepoch(p.checked_in_at), unixepoch(coalesce(p.checked_out_at, :now))"
            " FROM presences p JOIN members m ON m.id = p.member_id"
            " WHERE p.group_id IN (SELECT value FROM json_each(:groups))"
            " AND p.checked_in_at < :end AND coalesce(p.checked_out_at, :now) > :start",
            {"groups": json.dumps(group_ids), "start": ts(start), "end": ts(end), "now": ts(now)},
        )
        return [Span(*row) for row in rows]

    async def work(self, group_ids: list[int], start: datetime, end: datetime) -> list[WorkFact]:
        """Activities done in [start, end), without their notes or authors."""
        rows = await self._conn.execute_fetchall(
            "SELECT a.group_id, coalesce(a.agency_code, ''), a.kind, a.type, a.minutes,"
            " a.residents, unixepoch(a.done_at),"
            " (SELECT group_concat(agency_code) FROM activity_partners p"
            "  WHERE p.activity_id = a.id)"
            " FROM activities a WHERE a.group_id IN (SELECT value FROM json_each(:groups))"
            " AND a.done_at >= :start AND a.done_at < :end",
            {"groups": json.dumps(group_ids), "start": ts(start), "end": ts(end)},
        )
        return [
            WorkFact(
                group_id=r[0],
                agency=r[1],
                kind=r[2],
                type=r[3],
                minutes=r[4],
                residents_at_least=_AT_LEAST[r[5]],
                done_at=r[6],
                partners=tuple(r[7].split(",")) if r[7] else (),
            )
            for r in rows
        ]

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
