"""Flags, their targets and comments (drafts being composed live in `flag_drafts`)."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta

from bot.domain.flags import Flag, FlagDraft, Outcome, Target, TargetState, Urgency
from bot.domain.ladders import Rung
from storage.flag_drafts import FlagDrafts
from storage.rows import parse_ts, ts


def _maybe(text: str | None) -> datetime | None:
    return parse_ts(text) if text else None


def _target(row: sqlite3.Row) -> Target:
    return Target(
        agency=row["agency_code"],
        state=TargetState(row["state"]),
        ack_deadline=parse_ts(row["ack_deadline"]),
        no_one_on_duty=bool(row["no_one_on_duty"]),
        acknowledged_by=row["acknowledged_by"],
        acknowledged_at=_maybe(row["acknowledged_at"]),
        closed_by=row["closed_by"],
        closed_at=_maybe(row["closed_at"]),
        decline_reason=row["decline_reason"],
        redirected_to=row["redirected_to"],
        rung=Rung(row["rung"]),
        rung_at=_maybe(row["rung_at"]),
        on_behalf=bool(row["on_behalf"]),
        outcome=Outcome(row["outcome"]) if row["outcome"] else None,
        outcome_note=row["outcome_note"],
    )


def _flag(row: sqlite3.Row, targets: list[Target], reached: frozenset[int]) -> Flag:
    return Flag(
        id=row["id"],
        group_id=row["group_id"],
        raised_by=row["raised_by"],
        raiser_agency=row["raiser_agency"],
        category=row["category"],
        urgency=Urgency(row["urgency"]),
        description=row["description"],
        lat=row["lat"],
        lon=row["lon"],
        place=row["place"],
        place_address=row["place_address"],
        created_at=parse_ts(row["created_at"]),
        withdrawn_at=_maybe(row["withdrawn_at"]),
        closed_at=_maybe(row["closed_at"]),
        targets=tuple(targets),
        reached=reached,
    )


class FlagRepository(FlagDrafts):
    """Flags and everything about them."""

    async def answering(self, member_id: int) -> list[tuple[int, str]]:
        """(flag, agency) of open flags whose target a member acknowledged for their agency
        and has not closed: what they answer for."""
        return [
            (int(r["flag_id"]), str(r["agency_code"]))
            for r in await self._all(
                "SELECT t.flag_id, t.agency_code FROM flag_targets t JOIN flags f"
                " ON f.id = t.flag_id WHERE t.acknowledged_by = ? AND t.state = 'acknowledged'"
                " AND f.closed_at IS NULL ORDER BY t.flag_id",
                (member_id,),
            )
        ]

    async def add(self, draft: FlagDraft, group_id: int, raiser_agency: str, now: datetime) -> int:
        """Store a new flag (targets are added separately); return its id."""
        assert draft.category and draft.urgency and draft.description
        row = await self._one(
            "INSERT INTO flags (group_id, raised_by, raiser_agency, category, urgency,"
            " description, lat, lon, place, place_address, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                group_id,
                draft.member_id,
                raiser_agency,
                draft.category,
                draft.urgency.value,
                draft.description,
                draft.lat,
                draft.lon,
                draft.place,
                draft.place_address,
                ts(now),
            ),
        )
        assert row is not None
        return int(row[0])

    async def add_target(
        self,
        flag_id: int,
        agency: str,
        deadline: datetime,
        no_one_on_duty: bool,
        now: datetime,
        rung: Rung = Rung.ON_DUTY,
    ) -> bool:
        """Add a target agency at a rung of its ladder; False when it was a target already."""
        cur = await self._conn.execute(
            "INSERT INTO flag_targets (flag_id, agency_code, ack_deadline, no_one_on_duty,"
            " added_at, rung, rung_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (flag_id, agency, ts(deadline), int(no_one_on_duty), ts(now), rung.value, ts(now)),
        )
        return cur.rowcount == 1

    async def climb(
        self, flag_id: int, agency: str, from_rung: Rung, to_rung: Rung, at: datetime
    ) -> bool:
        """Move an open target up its ladder; False when it moved or was answered already."""
        cur = await self._conn.execute(
            "UPDATE flag_targets SET rung = ?, rung_at = ? WHERE flag_id = ?"
            " AND agency_code = ? AND rung = ? AND state = 'open'",
            (to_rung.value, ts(at), flag_id, agency, from_rung.value),
        )
        return cur.rowcount == 1

    async def climbing(self, due_by: datetime) -> list[tuple[int, str, Rung, datetime, timedelta]]:
        """(flag, agency, rung, since, deadline period) of open targets of open flags that
        reached their rung before `due_by`."""
        rows = await self._all(
            "SELECT t.flag_id, t.agency_code, t.rung, coalesce(t.rung_at, t.added_at) AS since,"
            " t.added_at, t.ack_deadline FROM flag_targets t JOIN flags f ON f.id = t.flag_id"
            " WHERE t.state = 'open' AND f.closed_at IS NULL AND f.withdrawn_at IS NULL"
            " AND coalesce(t.rung_at, t.added_at) <= ?",
            (ts(due_by),),
        )
        return [
            (r[0], r[1], Rung(r[2]), parse_ts(r[3]), parse_ts(r[5]) - parse_ts(r[4])) for r in rows
        ]

    async def add_reach(self, flag_id: int, member_id: int, now: datetime) -> None:
        """Give a member beyond the group the flag (need to know follows)."""
        await self._conn.execute(
            "INSERT OR IGNORE INTO flag_reach (flag_id, member_id, added_at) VALUES (?, ?, ?)",
            (flag_id, member_id, ts(now)),
        )

    async def set_muted(self, flag_id: int, member_id: int, muted: bool) -> bool:
        """Mute or unmute a flag for a member; False when it already was so."""
        if muted:
            cur = await self._conn.execute(
                "INSERT OR IGNORE INTO flag_mutes (flag_id, member_id) VALUES (?, ?)",
                (flag_id, member_id),
            )
        else:
            cur = await self._conn.execute(
                "DELETE FROM flag_mutes WHERE flag_id = ? AND member_id = ?", (flag_id, member_id)
            )
        return cur.rowcount == 1

    async def muted(self, flag_id: int) -> set[int]:
        """Members who muted this flag."""
        rows = await self._all("SELECT member_id FROM flag_mutes WHERE flag_id = ?", (flag_id,))
        return {int(r[0]) for r in rows}

    async def comments(self, flag_id: int, limit: int) -> list[tuple[int, str, datetime]]:
        """The last comments on a flag, oldest first: (member, text, when)."""
        rows = await self._all(
            "SELECT member_id, text, created_at FROM flag_comments WHERE flag_id = ?"
            " ORDER BY id DESC LIMIT ?",
            (flag_id, limit),
        )
        return [(r[0], r[1], parse_ts(r[2])) for r in reversed(rows)]

    async def hold(self, flag_id: int) -> None:
        """Keep the flag from other transactions' changes until this one ends: what it checked
        (which parts are still open) stays true until it acts on it."""
        await self._one("SELECT id FROM flags WHERE id = ? /* FOR UPDATE */", (flag_id,))

    async def get(self, flag_id: int) -> Flag | None:
        """A flag with its targets."""
        row = await self._one("SELECT * FROM flags WHERE id = ?", (flag_id,))
        if row is None:
            return None
        targets = await self._all(
            "SELECT * FROM flag_targets WHERE flag_id = ? ORDER BY added_at, agency_code",
            (flag_id,),
        )
        reached = await self._all("SELECT member_id FROM flag_reach WHERE flag_id = ?", (flag_id,))
        return _flag(row, [_target(t) for t in targets], frozenset(int(r[0]) for r in reached))

    async def acknowledge(
        self, flag_id: int, agency: str, member_id: int, now: datetime, on_behalf: bool = False
    ) -> bool:
        """Acknowledge an open target; exactly one of several at once gets True."""
        cur = await self._conn.execute(
            "UPDATE flag_targets SET state = 'acknowledged', acknowledged_by = ?,"
            " acknowledged_at = ?, on_behalf = ? WHERE flag_id = ? AND agency_code = ?"
            " AND state = 'open'",
            (member_id, ts(now), int(on_behalf), flag_id, agency),
        )
        return cur.rowcount == 1

    async def finish(
        self,
        flag_id: int,
        agency: str,
        member_id: int,
        now: datetime,
        state: TargetState,
        reason: str | None = None,
        redirected_to: str | None = None,
    ) -> bool:
        """Resolve or decline a target that is not finished; False when it was."""
        cur = await self._conn.execute(
            "UPDATE flag_targets SET state = ?, closed_by = ?, closed_at = ?, decline_reason = ?,"
            " redirected_to = ?, acknowledged_by = coalesce(acknowledged_by, ?),"
            " acknowledged_at = coalesce(acknowledged_at, ?)"
            " WHERE flag_id = ? AND agency_code = ? AND state IN ('open', 'acknowledged')",
            (
                state.value,
                member_id,
                ts(now),
                reason,
                redirected_to,
                member_id,
                ts(now),
                flag_id,
                agency,
            ),
        )
        return cur.rowcount == 1

    async def set_outcome(
        self, flag_id: int, agency: str, member_id: int, outcome: Outcome | None, note: str | None
    ) -> bool:
        """Record how a resolved part ended (its resolver only); None leaves a value as it is."""
        cur = await self._conn.execute(
            "UPDATE flag_targets SET outcome = coalesce(?, outcome),"
            " outcome_note = coalesce(?, outcome_note) WHERE flag_id = ? AND agency_code = ?"
            " AND state = 'resolved' AND closed_by = ?",
            (outcome.value if outcome else None, note, flag_id, agency, member_id),
        )
        return cur.rowcount == 1

    async def set_category(self, flag_id: int, category: str) -> None:
        """Change a flag's category."""
        await self._conn.execute("UPDATE flags SET category = ? WHERE id = ?", (category, flag_id))

    async def close_if_done(self, flag_id: int, now: datetime) -> bool:
        """Close the flag when every target is resolved or declined; True if it closed now."""
        cur = await self._conn.execute(
            "UPDATE flags SET closed_at = ? WHERE id = ? AND closed_at IS NULL AND NOT EXISTS"
            " (SELECT 1 FROM flag_targets WHERE flag_id = ?"
            " AND state IN ('open', 'acknowledged'))",
            (ts(now), flag_id, flag_id),
        )
        return cur.rowcount == 1

    async def withdraw(self, flag_id: int, now: datetime) -> bool:
        """Withdraw an open flag; False when it was closed or withdrawn already."""
        cur = await self._conn.execute(
            "UPDATE flags SET withdrawn_at = ?, closed_at = coalesce(closed_at, ?)"
            " WHERE id = ? AND withdrawn_at IS NULL AND closed_at IS NULL",
            (ts(now), ts(now), flag_id),
        )
        return cur.rowcount == 1

    async def comment(self, flag_id: int, member_id: int, text: str, now: datetime) -> int:
        """Store a comment."""
        row = await self._one(
            "INSERT INTO flag_comments (flag_id, member_id, text, created_at)"
            " VALUES (?, ?, ?, ?) RETURNING id",
            (flag_id, member_id, text, ts(now)),
        )
        assert row is not None
        return int(row[0])

    async def listing(self, group_ids: list[int], open_only: bool, limit: int) -> list[Flag]:
        """Flags of these groups, newest first."""
        rows = await self._all(
            "SELECT id FROM flags WHERE group_id IN (SELECT value FROM json_each(?))"
            " AND (? = 0 OR (withdrawn_at IS NULL AND closed_at IS NULL))"
            " ORDER BY created_at DESC, id DESC LIMIT ?",
            (json.dumps(group_ids), int(open_only), limit),
        )
        flags = [await self.get(int(r["id"])) for r in rows]
        return [f for f in flags if f is not None]
