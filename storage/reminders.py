"""What reminders are made of: due shifts, presences, handovers, flag targets; and what was
already done about them."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from storage.rows import Repository, parse_ts, ts


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
    checked_in: bool


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
        checked_in=bool(row["checked_in"]),
    )


# Checked in for a shift: an open presence of the member in the shift's group.
_SHIFT_SELECT = (
    "SELECT s.id, s.member_id, s.group_id, m.agency_code, s.starts_at, s.ends_at, g.timezone,"
    " EXISTS (SELECT 1 FROM presences p WHERE p.member_id = s.member_id"
    " AND p.group_id = s.group_id AND p.checked_out_at IS NULL) AS checked_in"
    " FROM shifts s JOIN members m ON m.id = s.member_id JOIN groups g ON g.id = s.group_id"
    " WHERE s.cancelled_at IS NULL AND m.active = 1"
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
            "INSERT OR REPLACE INTO member_settings (member_id, lead_minutes, evening_before,"
            " quiet_from, quiet_to) VALUES (?, ?, ?, ?, ?)",
            (
                member_id,
                settings.lead_minutes,
                int(settings.evening_before),
                settings.quiet_from,
                settings.quiet_to,
            ),
        )

    async def shifts_starting(
        self, after: datetime, until: datetime, *, running_at: datetime | None = None
    ) -> list[ShiftRow]:
        """Live shifts starting in (after, until]; with `running_at`, only those still running
        then whose member is not checked in (the candidates for a missed check-in)."""
        rows = await self._all(
            _SHIFT_SELECT + " AND s.starts_at > :after AND s.starts_at <= :until"
            " AND (:running IS NULL OR (s.ends_at > :running AND checked_in = 0))",
            {
                "after": ts(after),
                "until": ts(until),
                "running": ts(running_at) if running_at else None,
            },
        )
        return [_shift(r) for r in rows]

    async def shifts_to_close(
        self, after: datetime, until: datetime
    ) -> list[tuple[ShiftRow, datetime | None, bool]]:
        """Live shifts ending in (after, until] whose member is still checked in there, with
        when that presence began and whether another of their shifts there runs on past the
        end + 2 h (a double shift). Two statements in all: the scan runs every 30 s."""
        rows = await self._all(
            _SHIFT_SELECT + " AND s.ends_at > :after AND s.ends_at <= :until AND checked_in = 1",
            {"after": ts(after), "until": ts(until)},
        )
        if not rows:
            return []
        extra = {
            r["id"]: (r["since"], bool(r["continues"]))
            for r in await self._all(
                "SELECT s.id,"
                " (SELECT p.checked_in_at FROM presences p WHERE p.member_id = s.member_id"
                "  AND p.group_id = s.group_id AND p.checked_out_at IS NULL) AS since,"
                " EXISTS (SELECT 1 FROM shifts n WHERE n.member_id = s.member_id"
                "  AND n.group_id = s.group_id AND n.cancelled_at IS NULL AND n.id != s.id"
                # Shift times are whole minutes, so this matches ts()'s format exactly.
                "  AND n.starts_at <= strftime('%Y-%m-%dT%H:%M:%S+00:00', s.ends_at, '+2 hours')"
                "  AND n.ends_at > strftime('%Y-%m-%dT%H:%M:%S+00:00', s.ends_at, '+2 hours'))"
                "  AS continues"
                " FROM shifts s WHERE s.id IN (SELECT value FROM json_each(?))",
                (json.dumps([r["id"] for r in rows]),),
            )
        }
        found = []
        for row in rows:
            since, continues = extra[row["id"]]
            found.append((_shift(row), parse_ts(since) if since else None, continues))
        return found

    async def auto_check_out(self, member_id: int, group_id: int, at: datetime) -> bool:
        """Close the member's open presence in the group, marked 'auto'."""
        cur = await self._conn.execute(
            "UPDATE presences SET checked_out_at = ?, checkout_kind = 'auto'"
            " WHERE member_id = ? AND group_id = ? AND checked_out_at IS NULL",
            (ts(at), member_id, group_id),
        )
        return cur.rowcount == 1

    async def handovers_waiting(self, after: datetime) -> list[tuple[int, int, datetime, str]]:
        """(handover, group, created, zone) of unacknowledged handovers created after a time."""
        rows = await self._all(
            "SELECT h.id, h.group_id, h.created_at, g.timezone FROM handovers h"
            " JOIN groups g ON g.id = h.group_id"
            " WHERE h.acknowledged_at IS NULL AND h.created_at > ?",
            (ts(after),),
        )
        return [(r[0], r[1], parse_ts(r[2]), r[3]) for r in rows]

    async def handover_recipients(self, handover_id: int) -> list[int]:
        """Members a handover was sent to."""
        rows = await self._all(
            "SELECT member_id FROM handover_recipients WHERE handover_id = ?", (handover_id,)
        )
        return [int(r[0]) for r in rows]

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
            "SELECT"
            " (SELECT count(*) FROM presences WHERE group_id = :g AND checked_in_at >= :s"
            "  AND checked_in_at < :e) AS check_ins,"
            " (SELECT count(*) FROM shifts sh WHERE sh.group_id = :g AND sh.cancelled_at IS NULL"
            "  AND sh.starts_at >= :s AND sh.starts_at < :e AND NOT EXISTS (SELECT 1 FROM"
            "  presences p WHERE p.member_id = sh.member_id AND p.group_id = sh.group_id"
            "  AND p.checked_in_at < sh.ends_at"
            "  AND coalesce(p.checked_out_at, '9999') > sh.starts_at)) AS no_shows,"
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

    async def set_coverage_state(
        self, group_id: int, agency: str, state: str, now: datetime
    ) -> None:
        """Remember what coordinators were told."""
        await self._conn.execute(
            "INSERT INTO coverage_state (group_id, agency, state, since) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (group_id, agency) DO UPDATE SET state = excluded.state,"
            " since = excluded.since",
            (group_id, agency, state, ts(now)),
        )
