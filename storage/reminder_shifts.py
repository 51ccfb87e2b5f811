"""The reminder scan's reads of shifts falling due, and of check-ins left open to close.

The scan runs every 30 s over up to millions of shifts, so every query here returns only
what falls due by `until` (now plus the scan's look-ahead) and was not sent or dropped
before: the work of a scan is proportional to what it must send, not to the plan's size.
Queries are built from constant fragments only; every value is bound.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.shifts import MAX_SHIFT
from storage.rows import Repository, parse_ts, ts

# Shift times are whole minutes, so SQLite's strftime in this form matches ts() exactly.
_TS = "'%Y-%m-%dT%H:%M:%S+00:00'"

# The one rule for "came to the shift" (the scan's missed check-in and the digest's no-show):
# a presence in the shift's group that began before the shift ended and had not ended
# before it began. A member who checked in and left early came; one who left before the
# shift began did not.
ATTENDED = (
    "EXISTS (SELECT 1 FROM presences p WHERE p.member_id = s.member_id"
    " AND p.group_id = s.group_id AND p.checked_in_at < s.ends_at"
    " AND (p.checked_out_at IS NULL OR p.checked_out_at > s.starts_at))"
)

_SHIFT = (
    "SELECT s.id, s.member_id, s.group_id, m.agency_code, s.starts_at, s.ends_at, g.timezone"
    " FROM shifts s JOIN members m ON m.id = s.member_id JOIN groups g ON g.id = s.group_id"
)
_LIVE = " WHERE s.cancelled_at IS NULL AND m.active = 1"


def _shifts_with(columns: str) -> str:
    """_SHIFT with more columns (constant SQL only)."""
    return _SHIFT.replace("SELECT s.id,", f"SELECT {columns}, s.id,", 1)


def _not_done(suffix: str) -> str:
    """SQL: the reminder `shift:<id>:m<member><suffix>` was neither sent nor dropped."""
    return (
        " NOT EXISTS (SELECT 1 FROM reminders_done d WHERE d.key = 'shift:' || s.id || ':m'"  # noqa: S608
        f" || s.member_id || '{suffix}')"
    )


@dataclass(frozen=True)
class ShiftRow:
    """A live shift with what reminders need about its member and group."""

    shift_id: int
    member_id: int
    group_id: int
    agency: str | None
    starts_at: datetime
    ends_at: datetime
    zone: str


@dataclass(frozen=True)
class OpenPresence:
    """A check-in still open, and the shift after whose end (+2 h) it is closed, if any."""

    presence_id: int
    member_id: int
    group_id: int
    zone: str
    since: datetime
    shift_id: int | None
    shift_ends_at: datetime | None


def _shift(row: sqlite3.Row) -> ShiftRow:
    return ShiftRow(
        shift_id=row["id"],
        member_id=row["member_id"],
        group_id=row["group_id"],
        agency=row["agency_code"],
        starts_at=parse_ts(row["starts_at"]),
        ends_at=parse_ts(row["ends_at"]),
        zone=row["timezone"],
    )


class ReminderShifts(Repository):
    """The scan's reads of shifts and presences, and closing a check-in left open."""

    async def leads_due(
        self, now: datetime, until: datetime, longest: timedelta
    ) -> list[tuple[ShiftRow, int]]:
        """(shift, lead minutes) of shifts not started by `now` whose lead reminder falls due
        by `until`, for members who have not come already; `longest`: the longest lead."""
        rows = await self._all(
            _shifts_with("coalesce(ms.lead_minutes, 60) AS lead")
            + " LEFT JOIN member_settings ms ON ms.member_id = s.member_id" + _LIVE
            + " AND s.starts_at > :now AND s.starts_at <= :latest"
            " AND coalesce(ms.lead_minutes, 60) > 0"
            " AND julianday(s.starts_at) - coalesce(ms.lead_minutes, 60) / 1440.0"
            " <= julianday(:until) AND NOT " + ATTENDED + " AND" + _not_done(":lead"),
            {"now": ts(now), "until": ts(until), "latest": ts(until + longest)},
        )  # fmt: skip
        return [(_shift(r), int(r["lead"])) for r in rows]

    async def early_shifts(self, now: datetime, ahead: datetime) -> list[ShiftRow]:
        """Shifts starting in (now, ahead] of members who want the evening-before reminder
        and have not had it."""
        # Driven by the few who asked for it, not by every shift of the next 12 hours.
        rows = await self._all(
            _SHIFT + " WHERE s.member_id IN (SELECT member_id FROM member_settings"  # noqa: S608
            " WHERE evening_before = 1) AND s.cancelled_at IS NULL AND m.active = 1"
            " AND s.starts_at > ? AND s.starts_at <= ? AND" + _not_done(":evening"),
            (ts(now), ts(ahead)),
        )  # fmt: skip
        return [_shift(r) for r in rows]

    async def missed_due(
        self, now: datetime, remind_by: datetime, alert_by: datetime, longest: timedelta
    ) -> list[tuple[ShiftRow, bool, bool]]:
        """(shift, remind, alert) of shifts running at `now` that their member has not come
        to: remind when it started by `remind_by` and the member was not reminded; alert
        when it started by `alert_by` and nobody was alerted about it yet."""
        alerted = (
            "EXISTS (SELECT 1 FROM reminders_done d"
            " WHERE d.key > 'shift:' || s.id || ':m' || s.member_id || ':alert:'"
            " AND d.key < 'shift:' || s.id || ':m' || s.member_id || ':alert;')"
        )
        columns = (
            _not_done(":missed") + " AS remind,"
            " s.starts_at <= :alert_by AND NOT " + alerted + " AS alert"
        )
        rows = await self._all(
            "SELECT * FROM (" + _shifts_with(columns) + _LIVE  # noqa: S608
            + " AND s.starts_at > :earliest AND s.starts_at <= :remind_by AND s.ends_at > :now"
            " AND NOT " + ATTENDED + ") WHERE remind OR alert",
            {"now": ts(now), "remind_by": ts(remind_by), "alert_by": ts(alert_by),
             "earliest": ts(now - longest)},
        )  # fmt: skip
        return [(_shift(r), bool(r["remind"]), bool(r["alert"])) for r in rows]

    async def attended(self, shift_ids: list[int]) -> set[int]:
        """Those of these shifts whose member was checked in during them (if only briefly)."""
        rows = await self._all(
            "SELECT s.id FROM shifts s WHERE s.id IN (SELECT value FROM json_each(?)) AND "  # noqa: S608
            + ATTENDED,
            ("[" + ",".join(str(int(i)) for i in shift_ids) + "]",),
        )
        return {int(r[0]) for r in rows}

    async def checkouts_due(self, since: datetime, until: datetime) -> list[ShiftRow]:
        """Shifts ending in (since, until] whose member is still checked in there since
        before the end, and was not reminded to check out."""
        rows = await self._all(
            _SHIFT + " JOIN presences p ON p.member_id = s.member_id AND p.group_id = s.group_id"
            " AND p.checked_out_at IS NULL" + _LIVE
            + " AND s.ends_at > ? AND s.ends_at <= ? AND p.checked_in_at < s.ends_at AND"
            # Bounds on the start as well, which the index (member, group, start) can use:
            # without them each open check-in read its member's whole year of shifts
            # (bench.scan: 47 ms a scan at 1,445 open check-ins, 4 ms with them).
            " s.starts_at > ? AND s.starts_at < ? AND" + _not_done(":checkout"),
            (ts(since), ts(until), ts(since - MAX_SHIFT), ts(until)),
        )  # fmt: skip
        return [_shift(r) for r in rows]

    async def open_presences(
        self, ended_by: datetime, after: timedelta, unplanned: timedelta
    ) -> list[OpenPresence]:
        """Open check-ins to close: with the first shift they cover that ended by `ended_by`
        with no other of the member's shifts running `after` its end (a double shift); or,
        covering no shift at all in `unplanned` from the check-in, without one."""
        rows = await self._all(
            "SELECT x.*, s.ends_at FROM (SELECT p.id, p.member_id, p.group_id,"  # noqa: S608
            " p.checked_in_at AS since, g.timezone,"
            " (SELECT s.id FROM shifts s WHERE s.member_id = p.member_id"
            "  AND s.group_id = p.group_id AND s.cancelled_at IS NULL"
            f"  AND s.starts_at > strftime({_TS}, p.checked_in_at, '-24 hours')"
            "  AND s.starts_at <= :ended_by AND s.ends_at <= :ended_by"
            "  AND s.ends_at > p.checked_in_at AND NOT EXISTS (SELECT 1 FROM shifts n"
            "  WHERE n.member_id = s.member_id AND n.group_id = s.group_id"
            "  AND n.cancelled_at IS NULL AND n.id != s.id"
            f"  AND n.starts_at <= strftime({_TS}, s.ends_at, :after)"
            f"  AND n.ends_at > strftime({_TS}, s.ends_at, :after))"
            "  ORDER BY s.starts_at LIMIT 1) AS shift_id,"
            " NOT EXISTS (SELECT 1 FROM shifts s WHERE s.member_id = p.member_id"
            "  AND s.group_id = p.group_id AND s.cancelled_at IS NULL"
            f"  AND s.starts_at > strftime({_TS}, p.checked_in_at, '-24 hours')"
            f"  AND s.starts_at < strftime({_TS}, p.checked_in_at, :unplanned)"
            "  AND s.ends_at > p.checked_in_at) AS unplanned"
            " FROM presences p JOIN members m ON m.id = p.member_id"
            " JOIN groups g ON g.id = p.group_id WHERE p.checked_out_at IS NULL"
            # Younger than `after`, a check-in cannot have outlived a shift by `after` yet.
            " AND p.checked_in_at < :ended_by"
            " AND m.active = 1) x LEFT JOIN shifts s ON s.id = x.shift_id"
            " WHERE x.shift_id IS NOT NULL OR x.unplanned",
            {
                "ended_by": ts(ended_by),
                "after": f"+{int(after.total_seconds())} seconds",
                "unplanned": f"+{int(unplanned.total_seconds())} seconds",
            },
        )
        return [
            OpenPresence(
                presence_id=r["id"],
                member_id=r["member_id"],
                group_id=r["group_id"],
                zone=r["timezone"],
                since=parse_ts(r["since"]),
                shift_id=r["shift_id"],
                shift_ends_at=parse_ts(r["ends_at"]) if r["ends_at"] else None,
            )
            for r in rows
        ]

    async def auto_check_out(self, presence_id: int, at: datetime) -> bool:
        """Close an open presence, marked 'auto'."""
        cur = await self._conn.execute(
            "UPDATE presences SET checked_out_at = ?, checkout_kind = 'auto'"
            " WHERE id = ? AND checked_out_at IS NULL",
            (ts(at), presence_id),
        )
        return cur.rowcount == 1
