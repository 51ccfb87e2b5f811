"""Flag drafts being composed, and the photos and voice notes attached to them."""

from __future__ import annotations

import json
from datetime import datetime

from bot.domain.flags import FlagDraft, Urgency
from storage.rows import Repository, ts

_DRAFT = "SELECT * FROM flag_drafts WHERE member_id = ?"
_HELD_DRAFT = _DRAFT + " /* FOR UPDATE */"


class FlagDrafts(Repository):
    """A member's flag draft and its attachments, until the flag is raised or dropped."""

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
