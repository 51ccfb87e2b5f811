"""Planned shifts and offers to swap them."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from bot.domain.shifts import MAX_SHIFT, OnShift, Shift
from storage.rows import Repository, parse_ts, ts


def _shift(row: sqlite3.Row) -> Shift:
    return Shift(
        id=row["id"],
        member_id=row["member_id"],
        group_id=row["group_id"],
        starts_at=parse_ts(row["starts_at"]),
        ends_at=parse_ts(row["ends_at"]),
    )


class ShiftRepository(Repository):
    """Shifts: add, cancel, and read them by member or by group and time."""

    async def add(
        self, member_id: int, group_id: int, start: datetime, end: datetime, now: datetime
    ) -> int | None:
        """Add a shift; None when the identical shift exists (a re-import)."""
        row = await self._one(
            "INSERT INTO shifts (member_id, group_id, starts_at, ends_at, created_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
            (member_id, group_id, ts(start), ts(end), ts(now)),
        )
        return int(row["id"]) if row else None

    async def get(self, shift_id: int) -> Shift | None:
        """One live (not cancelled) shift."""
        row = await self._one(
            "SELECT * FROM shifts WHERE id = ? AND cancelled_at IS NULL", (shift_id,)
        )
        return _shift(row) if row else None

    async def cancelled(self, shift_id: int) -> Shift | None:
        """One cancelled shift (for the calendar's cancellation)."""
        row = await self._one(
            "SELECT * FROM shifts WHERE id = ? AND cancelled_at IS NOT NULL", (shift_id,)
        )
        return _shift(row) if row else None

    async def cancelled_of_member(
        self, member_id: int, start: datetime, end: datetime
    ) -> list[Shift]:
        """A member's cancelled shifts overlapping [start, end), by start."""
        return [
            _shift(row)
            for row in await self._all(
                "SELECT * FROM shifts WHERE member_id = ? AND cancelled_at IS NOT NULL"
                " AND starts_at >= ? AND starts_at < ? AND ends_at > ? ORDER BY starts_at",
                (member_id, ts(start - MAX_SHIFT), ts(end), ts(start)),
            )
        ]

    async def cancel(self, shift_id: int, now: datetime) -> bool:
        """Cancel a shift; False when it was not live."""
        cur = await self._conn.execute(
            "UPDATE shifts SET cancelled_at = ? WHERE id = ? AND cancelled_at IS NULL",
            (ts(now), shift_id),
        )
        return cur.rowcount == 1

    async def cancel_future(self, member_id: int, now: datetime) -> list[Shift]:
        """Cancel a member's live shifts that have not started (they left); return them."""
        rows = await self._all(
            "UPDATE shifts SET cancelled_at = ? WHERE member_id = ? AND cancelled_at IS NULL"
            " AND starts_at > ? RETURNING *",
            (ts(now), member_id, ts(now)),
        )
        return sorted((_shift(r) for r in rows), key=lambda s: s.starts_at)

    async def withdraw_offers(self, member_id: int, now: datetime) -> list[int]:
        """Withdraw a member's open swap offers; return their ids."""
        rows = await self._all(
            "UPDATE swap_offers SET withdrawn_at = ? WHERE offered_by = ? AND taken_by IS NULL"
            " AND withdrawn_at IS NULL RETURNING id",
            (ts(now), member_id),
        )
        return sorted(int(r["id"]) for r in rows)

    async def reassign(self, shift_id: int, member_id: int) -> None:
        """Give a shift to another member (a swap)."""
        await self._conn.execute(
            "UPDATE shifts SET member_id = ? WHERE id = ?", (member_id, shift_id)
        )

    async def of_member(self, member_id: int, start: datetime, end: datetime) -> list[Shift]:
        """A member's live shifts overlapping [start, end), by start."""
        return [
            _shift(row)
            for row in await self._all(
                "SELECT * FROM shifts WHERE member_id = ? AND cancelled_at IS NULL"
                " AND starts_at >= ? AND starts_at < ? AND ends_at > ? ORDER BY starts_at",
                (member_id, ts(start - MAX_SHIFT), ts(end), ts(start)),
            )
        ]

    async def on_shift(self, group_ids: list[int], now: datetime) -> list[OnShift]:
        """Everyone whose live shift covers `now`, with their last check-out of the group
        since the shift began."""
        return [
            OnShift(r[0], r[1], r[2], r[3], parse_ts(r[4]) if r[4] else None)
            for r in await self._all(
                "SELECT s.member_id, s.group_id, m.agency_code, m.display_name,"
                " (SELECT max(p.checked_out_at) FROM presences p WHERE p.member_id = s.member_id"
                "  AND p.group_id = s.group_id AND p.checked_out_at >= s.starts_at)"
                " FROM shifts s JOIN members m ON m.id = s.member_id WHERE s.cancelled_at IS NULL"
                " AND m.active = 1 AND s.group_id IN (SELECT value FROM json_each(?))"
                " AND s.starts_at >= ? AND s.starts_at <= ? AND s.ends_at > ?",
                (json.dumps(group_ids), ts(now - MAX_SHIFT), ts(now), ts(now)),
            )
        ]

    async def of_group(self, group_id: int, start: datetime, end: datetime) -> list[Shift]:
        """A group's live shifts overlapping [start, end), by start."""
        return [
            _shift(row)
            for row in await self._all(
                "SELECT * FROM shifts WHERE group_id = ? AND cancelled_at IS NULL"
                " AND starts_at >= ? AND starts_at < ? AND ends_at > ? ORDER BY starts_at",
                (group_id, ts(start - MAX_SHIFT), ts(end), ts(start)),
            )
        ]

    async def planned_by_agency(
        self, group_id: int, start: datetime, end: datetime
    ) -> list[tuple[str, datetime, datetime]]:
        """(agency, start, end) of a group's live shifts overlapping [start, end)."""
        return [
            (r["agency"], parse_ts(r["starts_at"]), parse_ts(r["ends_at"]))
            for r in await self._all(
                "SELECT m.agency_code AS agency, s.starts_at, s.ends_at FROM shifts s"
                " JOIN members m ON m.id = s.member_id WHERE s.group_id = ?"
                " AND s.cancelled_at IS NULL AND m.active = 1 AND m.agency_code IS NOT NULL"
                " AND s.starts_at >= ? AND s.starts_at < ? AND s.ends_at > ?",
                (group_id, ts(start - MAX_SHIFT), ts(end), ts(start)),
            )
        ]

    async def next_start(
        self, member_ids: list[int], group_id: int, after: datetime
    ) -> list[tuple[int, datetime]]:
        """For each member, the start of their next shift in the group after a moment."""
        return [
            (int(r["member_id"]), parse_ts(r["next"]))
            for r in await self._all(
                "SELECT member_id, min(starts_at) AS next FROM shifts WHERE group_id = ?"
                " AND cancelled_at IS NULL AND starts_at > ? AND member_id IN"
                " (SELECT value FROM json_each(?)) GROUP BY member_id",
                (group_id, ts(after), "[" + ",".join(str(int(m)) for m in member_ids) + "]"),
            )
        ]

    async def offer(self, shift_id: int, member_id: int, now: datetime) -> int | None:
        """Offer a shift for a swap; None when an offer is already open."""
        row = await self._one(
            "INSERT INTO swap_offers (shift_id, offered_by, created_at) VALUES (?, ?, ?)"
            " ON CONFLICT DO NOTHING RETURNING id",
            (shift_id, member_id, ts(now)),
        )
        return int(row["id"]) if row else None

    async def offer_for(self, offer_id: int) -> tuple[int, int, int | None] | None:
        """(shift, offered by, taken by) of an offer that was not withdrawn."""
        row = await self._one(
            "SELECT shift_id, offered_by, taken_by FROM swap_offers"
            " WHERE id = ? AND withdrawn_at IS NULL",
            (offer_id,),
        )
        return (row["shift_id"], row["offered_by"], row["taken_by"]) if row else None

    async def take(self, offer_id: int, member_id: int, now: datetime) -> bool:
        """Take an open offer; exactly one of several racing colleagues gets True."""
        cur = await self._conn.execute(
            "UPDATE swap_offers SET taken_by = ?, taken_at = ?"
            " WHERE id = ? AND taken_by IS NULL AND withdrawn_at IS NULL",
            (member_id, ts(now), offer_id),
        )
        return cur.rowcount == 1

    async def offer_cover(
        self,
        group_id: int,
        agency_code: str,
        start: datetime,
        end: datetime,
        created_by: int,
        now: datetime,
    ) -> int:
        """Record a gap offered to colleagues; its id."""
        row = await self._one(
            "INSERT INTO cover_offers (group_id, agency_code, starts_at, ends_at, created_by,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (group_id, agency_code, ts(start), ts(end), created_by, ts(now)),
        )
        assert row is not None
        return int(row[0])

    async def cover_offer(
        self, offer_id: int
    ) -> tuple[int, str, datetime, datetime, int, int | None] | None:
        """(group, agency, start, end, offered by, taken by) of a cover offer."""
        row = await self._one(
            "SELECT group_id, agency_code, starts_at, ends_at, created_by, taken_by"
            " FROM cover_offers WHERE id = ?",
            (offer_id,),
        )
        if row is None:
            return None
        return (
            row["group_id"],
            row["agency_code"],
            parse_ts(row["starts_at"]),
            parse_ts(row["ends_at"]),
            row["created_by"],
            row["taken_by"],
        )

    async def take_cover(
        self, offer_id: int, member_id: int, shift_id: int, now: datetime
    ) -> bool:
        """Mark a cover offer taken; False when someone was first."""
        cur = await self._conn.execute(
            "UPDATE cover_offers SET taken_by = ?, taken_at = ?, shift_id = ?"
            " WHERE id = ? AND taken_by IS NULL",
            (member_id, ts(now), shift_id, offer_id),
        )
        return cur.rowcount == 1
