"""The reminder tests' clock, their scene (Anna's shift in Rinkeby, with Bo and a
coordinator), a raised flag, and what was queued for a chat."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.flags import FlagDraft, FlagPolicy, Urgency
from bot.domain.models import Role
from bot.services import flags, roster
from bot.services.flag_drafts import DraftAt
from storage.store import Store
from tests.factories import make_group, make_member

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # 10:00 in Stockholm
OFFICE = {"lat": 59.388, "lon": 17.928, "accuracy_m": 10.0}


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


async def sent(store: Store, chat_id: int) -> list[str]:
    async with store.db.read() as conn:
        rows = await conn.execute_fetchall(
            "SELECT text FROM outbox WHERE kind = 'send' AND chat_id = ? ORDER BY id", (chat_id,)
        )
    return [r[0] for r in rows]


async def scene(store: Store):
    group = await make_group(store, "Rinkeby", min_per_agency=1)
    coord = await make_member(store, 1, role=Role.COORDINATOR, group=group, agency=None,
                              language="en")  # fmt: skip
    anna = await make_member(store, 2, group=group, agency="POL", name="Anna", username="anna",
                             language="en")  # fmt: skip
    bo = await make_member(store, 3, group=group, agency="POL", name="Bo", language="en")
    await roster.import_roster(
        store,
        "member,group,start,end\n@anna,Rinkeby,2026-11-30T10:00,2026-11-30T18:00\n",
        T0 - timedelta(days=1),
    )
    return group, coord, anna, bo


async def _flag(store: Store, raiser, group, urgency: Urgency, now: datetime) -> int:
    async with store.transaction() as tx:
        draft = await tx.flags.save_draft(
            FlagDraft(member_id=raiser.id, step="summary", targets=("TULL",), category="other",
                      urgency=urgency, description="x", group_id=group.id),
            now,
        )  # fmt: skip
    at = DraftAt(draft.id, draft.step)
    return (await flags.raise_flag(store, raiser, FlagPolicy(), now, at, draft.revision)).id
