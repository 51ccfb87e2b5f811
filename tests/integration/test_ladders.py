"""Ladders over real storage: a flag nobody at all can receive is refused whole, and a climb
happens once however often the scan asks."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.flags import FlagDraft, FlagPolicy, Urgency
from bot.domain.ladders import Rung
from bot.domain.models import Role
from bot.i18n import explain
from bot.services import flags, ladders
from bot.services.flag_drafts import DraftAt, FlagRefused
from storage.store import Store
from tests.factories import START, make_group, make_member


async def _draft(store: Store, raiser_id: int, group_id: int, target: str) -> tuple[DraftAt, str]:
    async with store.transaction() as tx:
        draft = await tx.flags.save_draft(
            FlagDraft(member_id=raiser_id, step="summary", targets=(target,), category="other",
                      urgency=Urgency.URGENT, description="x", group_id=group_id),
            START,
        )  # fmt: skip
    return DraftAt(draft.id, draft.step), draft.revision


async def test_a_flag_no_one_can_receive_is_refused_and_nothing_is_kept(store: Store) -> None:
    group = await make_group(store, "Rinkeby")
    anna = await make_member(store, 1, agency="POL", group=group)
    tove = await make_member(store, 2, agency="TULL", group=group)
    async with store.transaction() as tx:  # TULL's only member blocked the bot; no coordinator
        await tx.members.set_unreachable(tove.id, START)
    at = await _draft(store, anna.id, group.id, "TULL")
    with pytest.raises(FlagRefused) as refused:
        await flags.raise_flag(store, anna, FlagPolicy(), START, *at)
    assert refused.value.key == "flag.unreachable"
    assert "No one can receive the flag for Swedish Customs" in explain("en", refused.value)
    async with store.db.read() as conn:
        assert (await conn.execute_fetchall("SELECT count(*) FROM flags"))[0][0] == 0
        assert (await conn.execute_fetchall("SELECT count(*) FROM outbox"))[0][0] == 0
    assert await ladders.reaches(store, group.id, ("TULL",), anna.id) == [None]


async def test_a_climb_happens_once(store: Store) -> None:
    group = await make_group(store, "Rinkeby")
    anna = await make_member(store, 1, agency="POL", group=group)
    await make_member(store, 2, agency="TULL", group=group)
    await make_member(store, 3, agency=None, group=group, role=Role.COORDINATOR)
    flag = await flags.raise_flag(
        store, anna, FlagPolicy(), START, *await _draft(store, anna.id, group.id, "TULL")
    )
    assert flag.targets[0].rung is Rung.AGENCY  # nobody on duty: at once to the agency
    later = START + timedelta(minutes=5)
    async with store.transaction() as tx:
        first = await ladders.climb(tx, flag.id, "TULL", Rung.AGENCY, later, later)
        again = await ladders.climb(tx, flag.id, "TULL", Rung.AGENCY, later, later)
    assert (first, again) == (Rung.COORDINATORS, None)
