"""What reminders are made of, read as "due by then and not done yet" in SQL; and what was
already done about them.

The scan runs every 30 s over up to millions of shifts, so every query here returns only
what falls due by `until` (now plus the scan's look-ahead) and was not sent or dropped
before: the work of a scan is proportional to what it must send, not to the plan's size.
Queries are built from constant fragments only; every value is bound.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

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


@dataclass(frozen=True)
class HeldNews:
    """A message held through a member's quiet hours."""

    key: str
    member_id: int
    due: datetime
    text: str
    zone: str
    priority: int


@dataclass(frozen=True)
class MemberSettings:
    """A member's reminder settings."""

    lead_minutes: int = 60
    evening_before: bool = False
    quiet_from: str | None = None
    quiet_to: str | None = None


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


class ReminderRepository(Repository):
    """Reads for the reminder scan, and its memory of what is done."""

    async def done(self, keys: list[str]) -> set[str]:
        """Which of these reminder keys were sent or dropped already."""
        if not keys:
            return set()
        rows = await self._all(
            "SELECT key FROM reminders_done WHERE key IN (SELECT value FROM json_each(?))",
            (json.dumps(keys),),
        )
        return {r["key"] for r in rows}

    async def mark(self, key: str, outcome: str, due: datetime, now: datetime) -> bool:
        """Remember a reminder as sent or dropped; False if another scan got there first."""
        cur = await self._conn.execute(
            "INSERT INTO reminders_done (key, outcome, due_at, done_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            (key, outcome, ts(due), ts(now)),
        )
        return cur.rowcount == 1

    async def mark_many(self, items: list[tuple[str, str, datetime]], now: datetime) -> set[str]:
        """Remember several (key, outcome, due) at once; the keys not remembered before."""
        if not items:
            return set()
        # One row of placeholders per item (a batch is at most a few hundred): plain SQL
        # that both engines run as one statement.
        done = ts(now)
        rows = await self._all(
            "INSERT INTO reminders_done (key, outcome, due_at, done_at) VALUES "  # noqa: S608
            + ", ".join(["(?, ?, ?, ?)"] * len(items))
            + " ON CONFLICT DO NOTHING RETURNING key",
            [v for key, outcome, due in items for v in (key, outcome, ts(due), done)],
        )
        return {r[0] for r in rows}

    async def settings(self, member_id: int) -> MemberSettings:
        """A member's settings (the defaults until they change one)."""
        return (await self.settings_of([member_id]))[member_id]

    async def settings_of(self, member_ids: list[int]) -> dict[int, MemberSettings]:
        """Several members' settings in one query (the defaults for those without)."""
        rows = await self._all(
            "SELECT * FROM member_settings WHERE member_id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(set(member_ids))),),
        )
        found = {
            r["member_id"]: MemberSettings(
                r["lead_minutes"], bool(r["evening_before"]), r["quiet_from"], r["quiet_to"]
            )
            for r in rows
        }
        return {m: found.get(m, MemberSettings()) for m in member_ids}

    async def save_settings(self, member_id: int, settings: MemberSettings) -> None:
        """Store a member's settings."""
        await self._conn.execute(
            "INSERT INTO member_settings (member_id, lead_minutes, evening_before,"
            " quiet_from, quiet_to) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (member_id) DO UPDATE SET lead_minutes = excluded.lead_minutes,"
            " evening_before = excluded.evening_before, quiet_from = excluded.quiet_from,"
            " quiet_to = excluded.quiet_to",
            (
                member_id,
                settings.lead_minutes,
                int(settings.evening_before),
                settings.quiet_from,
                settings.quiet_to,
            ),
        )

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
            + _not_done(":checkout"),
            (ts(since), ts(until)),
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

    async def handovers_waiting(
        self, after: datetime, until: datetime
    ) -> list[tuple[int, int, datetime, str]]:
        """(handover, group, created, zone) of unacknowledged handovers created in
        (after, until]."""
        rows = await self._all(
            "SELECT h.id, h.group_id, h.created_at, g.timezone FROM handovers h"
            " JOIN groups g ON g.id = h.group_id"
            " WHERE h.acknowledged_at IS NULL AND h.created_at > ? AND h.created_at <= ?",
            (ts(after), ts(until)),
        )
        return [(r[0], r[1], parse_ts(r[2]), r[3]) for r in rows]

    async def handover_recipients(self, handover_ids: list[int]) -> dict[int, list[int]]:
        """The members each handover was sent to."""
        found: dict[int, list[int]] = {h: [] for h in handover_ids}
        for row in await self._all(
            "SELECT handover_id, member_id FROM handover_recipients"
            " WHERE handover_id IN (SELECT value FROM json_each(?))",
            (json.dumps(handover_ids),),
        ):
            found[int(row[0])].append(int(row[1]))
        return found

    async def targets_open(self, due_by: datetime) -> list[tuple[int, str, datetime, datetime]]:
        """(flag, agency, added, deadline) of open targets of open flags, deadline <= due_by."""
        rows = await self._all(
            "SELECT t.flag_id, t.agency_code, t.added_at, t.ack_deadline FROM flag_targets t"
            " JOIN flags f ON f.id = t.flag_id WHERE t.state = 'open' AND t.ack_deadline <= ?"
            " AND f.closed_at IS NULL AND f.withdrawn_at IS NULL",
            (ts(due_by),),
        )
        return [(r[0], r[1], parse_ts(r[2]), parse_ts(r[3])) for r in rows]

    async def targets_unresolved(self, before: datetime) -> list[tuple[int, str, int, datetime]]:
        """(flag, agency, acknowledged by, when) of targets acknowledged before a time."""
        rows = await self._all(
            "SELECT t.flag_id, t.agency_code, t.acknowledged_by, t.acknowledged_at"
            " FROM flag_targets t JOIN flags f ON f.id = t.flag_id"
            " WHERE t.state = 'acknowledged' AND t.acknowledged_at <= ?"
            " AND f.closed_at IS NULL AND f.withdrawn_at IS NULL",
            (ts(before),),
        )
        return [(r[0], r[1], r[2], parse_ts(r[3])) for r in rows]

    async def day_figures(self, group_id: int, start: datetime, end: datetime) -> dict[str, int]:
        """Check-ins, no-shows, flags raised and acknowledged in a group in [start, end)."""
        row = await self._one(
            "SELECT"  # noqa: S608
            " (SELECT count(*) FROM presences WHERE group_id = :g AND checked_in_at >= :s"
            "  AND checked_in_at < :e) AS check_ins,"
            " (SELECT count(*) FROM shifts s WHERE s.group_id = :g AND s.cancelled_at IS NULL"
            "  AND s.starts_at >= :s AND s.starts_at < :e AND NOT " + ATTENDED + ") AS no_shows,"
            " (SELECT count(*) FROM flags WHERE group_id = :g AND created_at >= :s"
            "  AND created_at < :e) AS raised,"
            " (SELECT count(*) FROM flag_targets t JOIN flags f ON f.id = t.flag_id"
            "  WHERE f.group_id = :g AND t.acknowledged_at >= :s AND t.acknowledged_at < :e)"
            "  AS acknowledged",
            {"g": group_id, "s": ts(start), "e": ts(end)},
        )
        assert row is not None
        return {k: int(row[k]) for k in ("check_ins", "no_shows", "raised", "acknowledged")}

    async def open_flags(self, group_id: int) -> list[tuple[int, datetime]]:
        """(flag, raised at) of the group's open flags, oldest first."""
        rows = await self._all(
            "SELECT id, created_at FROM flags WHERE group_id = ? AND closed_at IS NULL"
            " AND withdrawn_at IS NULL ORDER BY created_at",
            (group_id,),
        )
        return [(int(r[0]), parse_ts(r[1])) for r in rows]

    async def coverage_states(self, group_id: int) -> dict[str, str]:
        """What coordinators were last told per agency of a group."""
        rows = await self._all(
            "SELECT agency, state FROM coverage_state WHERE group_id = ?", (group_id,)
        )
        return {r["agency"]: r["state"] for r in rows}

    async def move_coverage_state(
        self, group_id: int, agency: str, before: str, state: str, now: datetime
    ) -> bool:
        """Remember that coordinators are told `state`, if they were last told `before`
        (nothing yet counts as `before`); False when another instance moved it first, so
        exactly one of them tells."""
        cur = await self._conn.execute(
            "INSERT INTO coverage_state (group_id, agency, state, since) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (group_id, agency) DO UPDATE SET state = excluded.state,"
            " since = excluded.since WHERE coverage_state.state = ?",
            (group_id, agency, state, ts(now), before),
        )
        return cur.rowcount == 1

    async def hold_news(
        self,
        key: str,
        member_id: int,
        text: str,
        zone: str,
        priority: int,
        due: datetime,
        now: datetime,
    ) -> bool:
        """Keep a message for a member until `due` (when their quiet hours end in `zone`);
        False when one with this key is held already."""
        cur = await self._conn.execute(
            "INSERT INTO news_held (key, member_id, text, zone, priority, due_at, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (key, member_id, text, zone, priority, ts(due), ts(now)),
        )
        return cur.rowcount == 1

    async def news_due(self, until: datetime) -> list[HeldNews]:
        """Held messages due by `until`."""
        rows = await self._all(
            "SELECT key, member_id, due_at, text, zone, priority FROM news_held WHERE due_at <= ?",
            (ts(until),),
        )
        return [
            HeldNews(r[0], int(r[1]), parse_ts(r[2]), str(r[3]), str(r[4]), int(r[5]))
            for r in rows
        ]

    async def take_news(self, key: str) -> str | None:
        """Remove a held message and return its text; None when it was taken already."""
        row = await self._one("DELETE FROM news_held WHERE key = ? RETURNING text", (key,))
        return str(row[0]) if row else None
