"""Presences (check-ins and check-outs) and handover notes."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.domain.shifts import Presence
from storage.rows import Repository, parse_ts, ts


def _presence(row: sqlite3.Row) -> Presence:
    return Presence(
        id=row["id"],
        member_id=row["member_id"],
        group_id=row["group_id"],
        shift_id=row["shift_id"],
        checked_in_at=parse_ts(row["checked_in_at"]),
        inside=bool(row["inside"]),
        distance_m=row["distance_m"],
        minutes_late=row["minutes_late"],
        checked_out_at=parse_ts(row["checked_out_at"]) if row["checked_out_at"] else None,
        checkout_kind=row["checkout_kind"],
    )


@dataclass(frozen=True)
class UndoOffer:
    """A check-out message that offers Undo: whose, which message, and when they left."""

    presence_id: int
    member_id: int
    chat_id: int
    message_id: int
    checked_out_at: datetime

    @property
    def key(self) -> str:
        """The reminder key of taking the offer off the message (one per message)."""
        return f"checkout:{self.presence_id}:{self.message_id}:undo"


class PresenceRepository(Repository):
    """Who is (and was) here."""

    async def open_for(self, member_id: int) -> Presence | None:
        """The member's current presence, if checked in."""
        row = await self._one(
            "SELECT * FROM presences WHERE member_id = ? AND checked_out_at IS NULL",
            (member_id,),
        )
        return _presence(row) if row else None

    async def check_in(
        self,
        *,
        member_id: int,
        group_id: int,
        shift_id: int | None,
        now: datetime,
        lat: float,
        lon: float,
        accuracy_m: float | None,
        distance_m: float,
        inside: bool,
        minutes_late: int | None,
    ) -> int | None:
        """Open a presence; None when the member is checked in already."""
        row = await self._one(
            "INSERT INTO presences (member_id, group_id, shift_id, checked_in_at, lat, lon,"
            " accuracy_m, distance_m, inside, minutes_late) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING RETURNING id",
            (
                member_id,
                group_id,
                shift_id,
                ts(now),
                lat,
                lon,
                accuracy_m,
                distance_m,
                int(inside),
                minutes_late,
            ),
        )
        return int(row["id"]) if row else None

    async def check_out(self, member_id: int, now: datetime, kind: str) -> Presence | None:
        """Close the member's open presence; None when there was none."""
        row = await self._one(
            "UPDATE presences SET checked_out_at = ?, checkout_kind = ?"
            " WHERE member_id = ? AND checked_out_at IS NULL RETURNING *",
            (ts(now), kind, member_id),
        )
        return _presence(row) if row else None

    async def reopen(self, presence_id: int, member_id: int) -> Presence | None:
        """Open a presence the member checked out of again; None when it is not theirs, not
        checked out by hand, or they have checked in since (one open presence at most)."""
        row = await self._one(
            "UPDATE presences SET checked_out_at = NULL, checkout_kind = NULL"
            " WHERE id = ? AND member_id = ? AND checkout_kind = 'manual'"
            " AND NOT EXISTS (SELECT 1 FROM presences o WHERE o.member_id = ?"
            " AND o.checked_out_at IS NULL) RETURNING *",
            (presence_id, member_id, member_id),
        )
        return _presence(row) if row else None

    async def get(self, presence_id: int) -> Presence | None:
        """One presence."""
        row = await self._one("SELECT * FROM presences WHERE id = ?", (presence_id,))
        return _presence(row) if row else None

    async def undo_offers(self, since: datetime, before: datetime) -> list[UndoOffer]:
        """Check-out messages offering Undo (adopted by the outbox as 'checkout' messages)
        for check-outs made in [since, before), whose offer was not settled yet."""
        return [
            UndoOffer(r[0], r[1], r[2], r[3], parse_ts(r[4]))
            for r in await self._all(
                "SELECT p.id, p.member_id, o.chat_id, o.message_id, p.checked_out_at"
                " FROM presences p JOIN outbox o ON o.ref_type = 'checkout' AND o.ref_id = p.id"
                " WHERE p.checked_out_at >= ? AND p.checked_out_at < ? AND o.kind = 'send'"
                " AND o.state = 'sent' AND o.message_id IS NOT NULL"
                " AND o.created_at >= p.checked_out_at AND NOT EXISTS (SELECT 1"
                " FROM reminders_done d WHERE d.key = 'checkout:' || p.id || ':' || o.message_id"
                " || ':undo')",
                (ts(since), ts(before)),
            )
        ]

    async def on_duty(self, group_ids: list[int]) -> list[tuple[int, int, str | None, str]]:
        """(member, group, agency, name) of everyone checked in now in these groups."""
        return [
            (r[0], r[1], r[2], r[3])
            for r in await self._all(
                "SELECT p.member_id, p.group_id, m.agency_code, m.display_name FROM presences p"
                " JOIN members m ON m.id = p.member_id WHERE p.checked_out_at IS NULL"
                " AND m.active = 1 AND p.group_id IN (SELECT value FROM json_each(?))",
                ("[" + ",".join(str(int(g)) for g in group_ids) + "]",),
            )
        ]

    async def present(self, group_ids: list[int]) -> list[tuple[int, int, str | None, str, bool]]:
        """(member, group, agency, name, inside the area) of everyone checked in now."""
        return [
            (r[0], r[1], r[2], r[3], bool(r[4]))
            for r in await self._all(
                "SELECT p.member_id, p.group_id, m.agency_code, m.display_name, p.inside"
                " FROM presences p JOIN members m ON m.id = p.member_id"
                " WHERE p.checked_out_at IS NULL AND m.active = 1"
                " AND p.group_id IN (SELECT value FROM json_each(?))",
                ("[" + ",".join(str(int(g)) for g in group_ids) + "]",),
            )
        ]

    async def handovers_waiting(
        self, group_id: int, agency: str | None, member_id: int, since: datetime
    ) -> int:
        """Handovers in a group since a moment that nobody acknowledged yet, of an agency or
        addressed to a member (another agency's chosen for their next shift)."""
        row = await self._one(
            "SELECT count(*) AS n FROM handovers WHERE group_id = ? AND (agency_code IS ?"
            " OR id IN (SELECT handover_id FROM handover_recipients WHERE member_id = ?))"
            " AND acknowledged_at IS NULL AND created_at >= ?",
            (group_id, agency, member_id, ts(since)),
        )
        return int(row["n"]) if row else 0

    async def add_handover(
        self,
        *,
        presence_id: int,
        from_member_id: int,
        group_id: int,
        agency_code: str | None,
        note: str,
        recipient_ids: list[int],
        now: datetime,
    ) -> int:
        """Store a handover note and who should read it."""
        row = await self._one(
            "INSERT INTO handovers (presence_id, from_member_id, group_id, agency_code, note,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (presence_id, from_member_id, group_id, agency_code, note, ts(now)),
        )
        assert row is not None
        handover_id = int(row[0])
        await self._conn.executemany(
            "INSERT INTO handover_recipients (handover_id, member_id) VALUES (?, ?)",
            [(handover_id, m) for m in recipient_ids],
        )
        return handover_id

    async def handover(self, handover_id: int) -> sqlite3.Row | None:
        """A handover with its author and acknowledgement."""
        return await self._one("SELECT * FROM handovers WHERE id = ?", (handover_id,))

    async def is_handover_recipient(self, handover_id: int, member_id: int) -> bool:
        """True when the member was sent this handover."""
        return (
            await self._one(
                "SELECT 1 FROM handover_recipients WHERE handover_id = ? AND member_id = ?",
                (handover_id, member_id),
            )
            is not None
        )

    async def acknowledge(self, handover_id: int, member_id: int, now: datetime) -> bool:
        """Acknowledge a handover; True for the first to do so."""
        cur = await self._conn.execute(
            "UPDATE handovers SET acknowledged_by = ?, acknowledged_at = ?"
            " WHERE id = ? AND acknowledged_at IS NULL",
            (member_id, ts(now), handover_id),
        )
        return cur.rowcount == 1
