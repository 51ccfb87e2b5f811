"""What reminders were already done, members' settings, escalations' reads and held news.

The scan's reads of shifts and presences live in `reminder_shifts`, with the rule of what
"came to the shift" means (`ATTENDED`), which the day's figures here share.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from storage.reminder_shifts import ATTENDED, OpenPresence, ReminderShifts, ShiftRow
from storage.rows import parse_ts, ts

__all__ = ["HeldNews", "MemberSettings", "OpenPresence", "ReminderRepository", "ShiftRow"]


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


class ReminderRepository(ReminderShifts):
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
