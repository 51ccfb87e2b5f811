"""Flags, their targets and comments, and drafts being composed."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta

from bot.domain.flags import Flag, FlagDraft, Outcome, Target, TargetState, Urgency
from bot.domain.ladders import Rung
from storage.rows import Repository, parse_ts, ts


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


_DRAFT = "SELECT * FROM flag_drafts WHERE member_id = ?"
_HELD_DRAFT = _DRAFT + " /* FOR UPDATE */"


class FlagRepository(Repository):
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

    async def draft(self, member_id: int, hold: bool = False) -> FlagDraft | None:
        """The flag this member is composing; with `hold`, kept from other transactions until
        this one ends (so a draft is raised once, however many instances are asked to)."""
        row = await self._one(_HELD_DRAFT if hold else _DRAFT, (member_id,))
        if row is None:
            return None
        return FlagDraft(
            id=row["id"],
            member_id=row["member_id"],
            step=row["step"],
            targets=tuple(json.loads(row["targets"])),
            category=row["category"],
            urgency=Urgency(row["urgency"]) if row["urgency"] else None,
            description=row["description"],
            lat=row["lat"],
            lon=row["lon"],
            place=row["place"],
            place_address=row["place_address"],
            group_id=row["group_id"],
            quick=bool(row["quick"]),
        )

    async def save_draft(self, draft: FlagDraft, now: datetime) -> FlagDraft:
        """Store a draft: a new one (id 0) replaces the member's draft and gets a fresh id."""
        values = (
            draft.member_id,
            draft.step.value,
            json.dumps(list(draft.targets)),
            draft.category,
            draft.urgency.value if draft.urgency else None,
            draft.description,
            draft.lat,
            draft.lon,
            draft.place,
            draft.place_address,
            draft.group_id,
            int(draft.quick),
            ts(now),
        )
        if draft.id == 0:
            await self.drop_draft(draft.member_id)
            # No id at all, not NULL: PostgreSQL numbers only a row that leaves it out.
            row = await self._one(
                "INSERT INTO flag_drafts (member_id, step, targets, category, urgency,"
                " description, lat, lon, place, place_address, group_id, quick, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " RETURNING id",
                values,
            )
        else:
            row = await self._one(
                "INSERT INTO flag_drafts (id, member_id, step, targets, category, urgency,"
                " description, lat, lon, place, place_address, group_id, quick, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET step = excluded.step, targets = excluded.targets,"
                " category = excluded.category, urgency = excluded.urgency,"
                " description = excluded.description, lat = excluded.lat, lon = excluded.lon,"
                " place = excluded.place, place_address = excluded.place_address,"
                " group_id = excluded.group_id, quick = excluded.quick,"
                " updated_at = excluded.updated_at"
                " RETURNING id",
                (draft.id, *values),
            )
        assert row is not None
        return draft.model_copy(update={"id": row["id"]})

    async def note_description_message(self, draft_id: int, message_id: int) -> None:
        """Remember which message the draft's description came from."""
        await self._conn.execute(
            "UPDATE flag_drafts SET description_message_id = ? WHERE id = ?",
            (message_id, draft_id),
        )

    async def description_message(self, draft_id: int) -> int | None:
        """The message the draft's description came from, if known."""
        row = await self._one(
            "SELECT description_message_id FROM flag_drafts WHERE id = ?", (draft_id,)
        )
        return row["description_message_id"] if row else None

    async def attach(self, draft_id: int, kind: str, file_id: str, now: datetime) -> int:
        """Attach a photo or voice note to a draft; how many it has now."""
        await self._conn.execute(
            "INSERT INTO flag_attachments (draft_id, kind, file_id, created_at)"
            " VALUES (?, ?, ?, ?)",
            (draft_id, kind, file_id, ts(now)),
        )
        return await self.attached(draft_id)

    async def attached(self, draft_id: int) -> int:
        """How many photos and voice notes a draft has."""
        row = await self._one(
            "SELECT count(*) AS n FROM flag_attachments WHERE draft_id = ? AND flag_id IS NULL",
            (draft_id,),
        )
        return int(row["n"]) if row else 0

    async def adopt_attachments(self, draft_id: int, flag_id: int) -> None:
        """The raised flag takes its draft's attachments."""
        await self._conn.execute(
            "UPDATE flag_attachments SET flag_id = ?, draft_id = NULL"
            " WHERE draft_id = ? AND flag_id IS NULL",
            (flag_id, draft_id),
        )

    async def attachments(self, flag_id: int) -> list[tuple[int, str, str]]:
        """(id, kind, file_id) of a flag's attachments, in order."""
        rows = await self._all(
            "SELECT id, kind, file_id FROM flag_attachments WHERE flag_id = ? ORDER BY id",
            (flag_id,),
        )
        return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]

    async def drop_draft(self, member_id: int) -> bool:
        """Forget a member's draft (and what was attached to it); True if there was one."""
        await self._conn.execute(
            "DELETE FROM flag_attachments WHERE flag_id IS NULL AND draft_id IN"
            " (SELECT id FROM flag_drafts WHERE member_id = ?)",
            (member_id,),
        )
        cur = await self._conn.execute("DELETE FROM flag_drafts WHERE member_id = ?", (member_id,))
        return cur.rowcount > 0

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
