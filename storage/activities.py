"""Logged work, drafts being composed, each group's phase and the balance watch's state."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from bot.domain.worklog import (
    Activity,
    ActivityDraft,
    GroupPhase,
    Kind,
    LogStep,
    Phase,
    Residents,
)
from storage.rows import Repository, parse_ts, ts


def _activity(row: sqlite3.Row) -> Activity:
    partners = row["partners"]
    return Activity(
        id=row["id"],
        group_id=row["group_id"],
        member_id=row["member_id"],
        agency_code=row["agency_code"],
        kind=Kind(row["kind"]),
        type=row["type"],
        partners=tuple(sorted(partners.split(","))) if partners else (),
        residents=Residents(row["residents"]),
        minutes=row["minutes"],
        note=row["note"],
        lat=row["lat"],
        lon=row["lon"],
        flag_id=row["flag_id"],
        done_at=parse_ts(row["done_at"]),
        created_at=parse_ts(row["created_at"]),
    )


_SELECT = (
    "SELECT a.*, (SELECT group_concat(agency_code) FROM activity_partners p"
    " WHERE p.activity_id = a.id) AS partners FROM activities a "
)
_BY_ID = _SELECT + "WHERE a.id = ?"
_LAST = _SELECT + "WHERE a.member_id = ? ORDER BY a.done_at DESC, a.id DESC LIMIT 1"
_OF_MEMBER = (
    _SELECT + "WHERE a.member_id = ? AND a.done_at >= ? AND a.done_at < ?"
    " ORDER BY a.done_at DESC, a.id DESC"
)
# Constant text joined at import; every value is bound.
_OF_GROUPS = (
    _SELECT  # noqa: S608
    + "WHERE a.group_id IN (SELECT value FROM json_each(?))"
    " AND a.done_at >= ? AND a.done_at < ? ORDER BY a.done_at DESC, a.id DESC LIMIT ?"
)


_DRAFT = "SELECT * FROM activity_drafts WHERE member_id = ?"
_HELD_DRAFT = _DRAFT + " /* FOR UPDATE */"


class ActivityRepository(Repository):
    """Activities and their partner agencies."""

    async def add(self, draft: ActivityDraft, agency_code: str | None, now: datetime) -> int:
        """Store a finished draft as an activity done now; return its id."""
        assert draft.group_id and draft.kind and draft.type and draft.residents and draft.minutes
        row = await self._one(
            "INSERT INTO activities (group_id, member_id, agency_code, kind, type, residents,"
            " minutes, note, lat, lon, flag_id, done_at, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                draft.group_id,
                draft.member_id,
                agency_code,
                draft.kind.value,
                draft.type,
                draft.residents.value,
                draft.minutes,
                draft.note,
                draft.lat,
                draft.lon,
                draft.flag_id,
                ts(now),
                ts(now),
                ts(now),
            ),
        )
        assert row is not None
        activity_id = int(row["id"])
        await self._conn.executemany(
            "INSERT INTO activity_partners (activity_id, agency_code) VALUES (?, ?)",
            [(activity_id, code) for code in sorted(set(draft.partners))],
        )
        return activity_id

    async def get(self, activity_id: int) -> Activity | None:
        """One activity."""
        row = await self._one(_BY_ID, (activity_id,))
        return _activity(row) if row else None

    async def last_of(self, member_id: int) -> Activity | None:
        """The member's most recent activity (for "same as last time")."""
        row = await self._one(_LAST, (member_id,))
        return _activity(row) if row else None

    async def of_member(self, member_id: int, start: datetime, end: datetime) -> list[Activity]:
        """The member's activities done in [start, end), newest first."""
        rows = await self._all(_OF_MEMBER, (member_id, ts(start), ts(end)))
        return [_activity(r) for r in rows]

    async def of_groups(
        self, group_ids: list[int], start: datetime, end: datetime, limit: int
    ) -> list[Activity]:
        """Activities in these groups done in [start, end), newest first."""
        rows = await self._all(_OF_GROUPS, (json.dumps(group_ids), ts(start), ts(end), limit))
        return [_activity(r) for r in rows]

    async def minutes_by_kind(
        self, group_ids: list[int], start: datetime, end: datetime
    ) -> dict[Kind, int]:
        """Logged minutes of each kind in these groups in [start, end)."""
        rows = await self._all(
            "SELECT kind, sum(minutes) AS minutes FROM activities"
            " WHERE group_id IN (SELECT value FROM json_each(?)) AND done_at >= ? AND done_at < ?"
            " GROUP BY kind",
            (json.dumps(group_ids), ts(start), ts(end)),
        )
        found = {Kind(r["kind"]): int(r["minutes"]) for r in rows}
        return {kind: found.get(kind, 0) for kind in Kind}

    async def change(
        self, activity_id: int, now: datetime, **fields: str | int | None
    ) -> Activity | None:
        """Set residents, minutes or note of an activity; None when it is gone."""
        allowed = {"residents", "minutes", "note"}
        if not fields or set(fields) - allowed:
            raise ValueError(f"cannot change {sorted(set(fields) - allowed)}")
        # Column names come from the fixed set above, never from input; values are bound.
        assignments = ", ".join(f"{name} = :{name}" for name in sorted(fields))
        cur = await self._conn.execute(
            f"UPDATE activities SET {assignments}, updated_at = :now WHERE id = :id",  # noqa: S608
            {**fields, "now": ts(now), "id": activity_id},
        )
        return await self.get(activity_id) if cur.rowcount == 1 else None

    async def delete(self, activity_id: int) -> bool:
        """Delete an activity and its partners; True if it existed."""
        cur = await self._conn.execute("DELETE FROM activities WHERE id = ?", (activity_id,))
        return cur.rowcount == 1

    # Drafts

    async def draft(self, member_id: int, hold: bool = False) -> ActivityDraft | None:
        """The entry this member is composing; with `hold`, kept from other transactions
        until this one ends (so a draft is saved once, however many instances are asked to)."""
        row = await self._one(_HELD_DRAFT if hold else _DRAFT, (member_id,))
        if row is None:
            return None
        return ActivityDraft(
            id=row["id"],
            member_id=row["member_id"],
            step=LogStep(row["step"]),
            group_id=row["group_id"],
            kind=Kind(row["kind"]) if row["kind"] else None,
            type=row["type"],
            partners=tuple(json.loads(row["partners"])),
            residents=Residents(row["residents"]) if row["residents"] else None,
            minutes=row["minutes"],
            note=row["note"],
            lat=row["lat"],
            lon=row["lon"],
            flag_id=row["flag_id"],
        )

    async def save_draft(self, draft: ActivityDraft, now: datetime) -> ActivityDraft:
        """Store a draft: a new one (id 0) replaces the member's draft and gets a fresh id."""
        values = (
            draft.member_id,
            draft.step.value,
            draft.group_id,
            draft.kind.value if draft.kind else None,
            draft.type,
            json.dumps(list(draft.partners)),
            draft.residents.value if draft.residents else None,
            draft.minutes,
            draft.note,
            draft.lat,
            draft.lon,
            draft.flag_id,
            ts(now),
        )
        if draft.id == 0:
            await self.drop_draft(draft.member_id)
            # No id at all, not NULL: PostgreSQL numbers only a row that leaves it out.
            row = await self._one(
                "INSERT INTO activity_drafts (member_id, step, group_id, kind, type,"
                " partners, residents, minutes, note, lat, lon, flag_id, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " RETURNING id",
                values,
            )
        else:
            row = await self._one(
                "INSERT INTO activity_drafts (id, member_id, step, group_id, kind, type,"
                " partners, residents, minutes, note, lat, lon, flag_id, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET step = excluded.step,"
                " group_id = excluded.group_id, kind = excluded.kind, type = excluded.type,"
                " partners = excluded.partners, residents = excluded.residents,"
                " minutes = excluded.minutes, note = excluded.note,"
                " lat = excluded.lat, lon = excluded.lon, flag_id = excluded.flag_id,"
                " updated_at = excluded.updated_at"
                " RETURNING id",
                (draft.id, *values),
            )
        assert row is not None
        return draft.model_copy(update={"id": row["id"]})

    async def note_note_message(self, draft_id: int, message_id: int) -> None:
        """Remember which message the draft's note came from."""
        await self._conn.execute(
            "UPDATE activity_drafts SET note_message_id = ? WHERE id = ?", (message_id, draft_id)
        )

    async def note_message(self, draft_id: int) -> int | None:
        """The message the draft's note came from, if known."""
        row = await self._one(
            "SELECT note_message_id FROM activity_drafts WHERE id = ?", (draft_id,)
        )
        return row["note_message_id"] if row else None

    async def drop_draft(self, member_id: int) -> bool:
        """Forget a member's draft; True if there was one."""
        cur = await self._conn.execute(
            "DELETE FROM activity_drafts WHERE member_id = ?", (member_id,)
        )
        return cur.rowcount > 0

    # Phases

    async def set_phase(
        self, group_id: int, phase: Phase, target_pct: int, member_id: int | None, now: datetime
    ) -> None:
        """Put a group in a phase with a target from now on."""
        await self._conn.execute(
            "INSERT INTO group_phases (group_id, phase, target_pct, since, set_by)"
            " VALUES (?, ?, ?, ?, ?)",
            (group_id, phase.value, target_pct, ts(now), member_id),
        )

    async def phases(self, group_ids: list[int]) -> list[GroupPhase]:
        """Every phase these groups have been in, oldest first."""
        rows = await self._all(
            "SELECT * FROM group_phases WHERE group_id IN (SELECT value FROM json_each(?))"
            " ORDER BY since, id",
            (json.dumps(group_ids),),
        )
        return [
            GroupPhase(
                group_id=r["group_id"],
                phase=Phase(r["phase"]),
                target_pct=r["target_pct"],
                since=parse_ts(r["since"]),
            )
            for r in rows
        ]

    async def balance_state(self, group_id: int) -> str:
        """What coordinators were last told about the group's mix ("ok" if nothing)."""
        row = await self._one("SELECT state FROM balance_state WHERE group_id = ?", (group_id,))
        return str(row["state"]) if row else "ok"

    async def set_balance_state(self, group_id: int, state: str, now: datetime) -> None:
        """Remember what coordinators were told."""
        await self._conn.execute(
            "INSERT INTO balance_state (group_id, state, since) VALUES (?, ?, ?)"
            " ON CONFLICT (group_id) DO UPDATE SET state = excluded.state, since = excluded.since",
            (group_id, state, ts(now)),
        )
