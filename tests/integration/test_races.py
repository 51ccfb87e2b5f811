"""Check-then-act under concurrency: two instances (two connections to one database) doing
the same thing at the same moment. Each race is made real: both transactions are held at the
point between their check and their act until the other gets there too, or until it is clear
the other cannot (it waits for a lock the first holds). Raising a flag from a draft, closing a
flag whose last parts are resolved at once, acknowledging, declining, taking a swap and
redeeming an invite, sending a notice and saving a work-log entry each end as if done one after
the other."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.domain.flags import FlagDraft, FlagPolicy, Outcome, Urgency
from bot.domain.models import Member, Role
from bot.domain.notices import Audience, Draft, NoticeStep
from bot.domain.worklog import ActivityDraft, Kind, LogStep, Residents, WorkPolicy
from bot.services import flag_outcomes, flags, log_drafts, notice_drafts, roster, shifts
from bot.services.flag_drafts import DraftAt, FlagRefused
from bot.services.invites import create_invite, redeem_invite
from bot.services.shifts import SwapRefused
from storage.activities import ActivityRepository
from storage.db import Database
from storage.flags import FlagRepository
from storage.invites import InviteRepository
from storage.notices import NoticeRepository
from storage.shifts import ShiftRepository
from storage.store import Store
from tests.factories import START, make_group, make_member
from tests.pg import Emptier

# How long a transaction that got to the meeting point waits for the other: long enough for
# the other to get there when nothing stops it, and all it costs when a lock does.
PATIENCE_S = 1.0


@pytest.fixture(params=["sqlite", "postgresql"])
async def pair(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[list[Store]]:
    """Two stores on one migrated database, as two instances have them."""
    if request.param == "sqlite":
        url = str(tmp_path / "race.db")
    else:
        emptier: Emptier = request.getfixturevalue("pg_database")
        await emptier.empty()
        url = emptier.url
    first = await Database.open(url)
    await first.migrate()
    second = await Database.open(url)
    yield [Store(first), Store(second)]
    await second.close()
    await first.close()


class Meeting:
    """Where racing transactions wait for each other between their check and their act."""

    def __init__(self, parties: int) -> None:
        self.parties = parties
        self.arrived = 0
        self.everyone = asyncio.Event()

    async def reach(self) -> None:
        self.arrived += 1
        if self.arrived >= self.parties:
            self.everyone.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.everyone.wait(), PATIENCE_S)


def meet_before(
    monkeypatch: pytest.MonkeyPatch, repository: type, method: str, parties: int = 2
) -> Meeting:
    """Hold each caller of `repository.method` at one meeting before it runs."""
    meeting = Meeting(parties)
    original: Callable[..., Awaitable[Any]] = getattr(repository, method)

    async def held(self: Any, *args: Any, **kwargs: Any) -> Any:
        await meeting.reach()
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(repository, method, held)
    return meeting


async def _race(*calls: Awaitable[Any]) -> list[Any]:
    return list(await asyncio.gather(*calls, return_exceptions=True))


async def _count(store: Store, sql: str) -> int:
    async with store.db.read() as conn:
        rows = await conn.execute_fetchall(sql)
    return int(rows[0][0])


async def _flag_scene(store: Store) -> dict[str, Member]:
    group = await make_group(store, "Rinkeby")
    people = {"anna": "POL", "tove": "TULL", "tim": "TULL", "fia": "FK"}
    return {
        name: await make_member(store, 100 + i, agency=agency, group=group, name=name)
        for i, (name, agency) in enumerate(people.items())
    }


async def _draft(store: Store, raiser: Member, targets: tuple[str, ...]) -> tuple[DraftAt, str]:
    async with store.transaction() as tx:
        draft = await tx.flags.save_draft(
            FlagDraft(member_id=raiser.id, step="summary", targets=targets, category="other",
                      urgency=Urgency.URGENT, description="x", group_id=raiser.group_ids[0]),
            START,
        )  # fmt: skip
    return DraftAt(draft.id, draft.step), draft.revision


async def test_a_double_tap_on_raise_makes_one_flag(
    pair: list[Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    people = await _flag_scene(pair[0])
    at = await _draft(pair[0], people["anna"], ("TULL",))
    meet_before(monkeypatch, FlagRepository, "add")
    results = await _race(
        *(flags.raise_flag(s, people["anna"], FlagPolicy(), START, *at) for s in pair)
    )
    refused = [r for r in results if isinstance(r, FlagRefused)]
    assert len(refused) == 1 and refused[0].key == "auth.stale_button", results
    assert await _count(pair[0], "SELECT COUNT(*) FROM flags") == 1


async def test_a_double_tap_on_send_sends_the_notice_once(
    pair: list[Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    people = await _flag_scene(pair[0])
    async with pair[0].read() as tx:
        group = await tx.groups.get(people["anna"].group_ids[0])
    coord = await make_member(pair[0], 200, role=Role.COORDINATOR, group=group)
    draft = Draft(member_id=coord.id, text="Möte kl 14", audience=Audience.MINE, group_id=None,
                  agencies=(), needs_confirmation=True, step=NoticeStep.PREVIEW)  # fmt: skip
    async with pair[0].transaction() as tx:
        await tx.notices.save_draft(draft, START)
    meet_before(monkeypatch, NoticeRepository, "add")
    results = await _race(
        *(
            notice_drafts.send(s, coord, revision=draft.revision, status_message_id=7, now=START)
            for s in pair
        )
    )
    assert [type(r) for r in results if isinstance(r, Exception)] == [notice_drafts.NoDraft]
    assert await _count(pair[0], "SELECT COUNT(*) FROM notices") == 1
    assert await _count(pair[0], "SELECT COUNT(*) FROM notice_recipients") == 4


async def test_a_double_tap_on_save_logs_the_work_once(
    pair: list[Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    anna = (await _flag_scene(pair[0]))["anna"]
    async with pair[0].transaction() as tx:
        draft = await tx.activities.save_draft(
            ActivityDraft(member_id=anna.id, step=LogStep.SUMMARY, group_id=anna.group_ids[0],
                          kind=Kind.RELATIONSHIP, type="school_visit", residents=Residents.SOME,
                          minutes=60),
            START,
        )  # fmt: skip
    at = log_drafts.LogAt(draft.id, draft.step)
    meet_before(monkeypatch, ActivityRepository, "add")
    results = await _race(*(log_drafts.confirm(s, anna, WorkPolicy(), START, at) for s in pair))
    refused = [r for r in results if isinstance(r, log_drafts.LogRefused)]
    assert len(refused) == 1 and refused[0].key == "auth.stale_button", results
    assert await _count(pair[0], "SELECT COUNT(*) FROM activities") == 1


async def test_the_last_two_parts_resolved_at_once_close_the_flag(
    pair: list[Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    people = await _flag_scene(pair[0])
    at = await _draft(pair[0], people["anna"], ("TULL", "FK"))
    flag = await flags.raise_flag(pair[0], people["anna"], FlagPolicy(), START, *at)
    meet_before(monkeypatch, FlagRepository, "close_if_done")
    later = START + timedelta(minutes=5)
    results = await _race(
        flag_outcomes.resolve(pair[0], people["tove"], flag.id, Outcome.HANDLED, later),
        flag_outcomes.resolve(pair[1], people["fia"], flag.id, Outcome.HANDLED, later),
    )
    assert results == [None, None]
    async with pair[0].read() as tx:
        closed = await tx.flags.get(flag.id)
    assert closed is not None and not closed.is_open


@pytest.mark.parametrize("method", ["acknowledge", "decline"])
async def test_two_colleagues_answering_one_part_at_once_one_wins(
    pair: list[Store], monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    people = await _flag_scene(pair[0])
    at = await _draft(pair[0], people["anna"], ("TULL",))
    flag = await flags.raise_flag(pair[0], people["anna"], FlagPolicy(), START, *at)
    later = START + timedelta(minutes=2)
    racers = [(pair[0], people["tove"]), (pair[1], people["tim"])]
    if method == "acknowledge":
        meet_before(monkeypatch, FlagRepository, "acknowledge")
        calls = [flags.act(s, m, flag.id, flags.FlagAct.ACKNOWLEDGE, later) for s, m in racers]
    else:
        meet_before(monkeypatch, FlagRepository, "finish")
        calls = [
            flags.decline(s, m, flag.id, "not ours", None, FlagPolicy(), later) for s, m in racers
        ]
    results = await _race(*calls)
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(lost) == 1, results
    assert isinstance(lost[0], flags.AlreadyHandled | FlagRefused), results
    state = "acknowledged" if method == "acknowledge" else "declined"
    async with pair[0].read() as tx:
        target = (await tx.flags.get(flag.id)).target("TULL")  # type: ignore[union-attr]
    assert target is not None and target.state.value == state


async def test_two_colleagues_taking_one_swap_at_once_one_gets_it(
    pair: list[Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    group = await make_group(pair[0], "Rinkeby")
    names = ("anna", "bo", "cy")
    anna, bo, cy = [await make_member(pair[0], 300 + i, group=group, name=n, username=n)
                    for i, n in enumerate(names)]  # fmt: skip
    await roster.import_roster(
        pair[0], "member,group,start,end\n@anna,Rinkeby,2026-12-03T08:00,2026-12-03T16:00\n", START
    )
    async with pair[0].read() as tx:
        (shift,) = await tx.shifts.of_member(anna.id, START, START + timedelta(days=7))
    offer = await shifts.offer_swap(pair[0], anna, shift.id, START)
    assert offer == 2
    offer_id = await _count(pair[0], "SELECT MAX(id) FROM swap_offers")
    meet_before(monkeypatch, ShiftRepository, "take")
    results = await _race(
        shifts.take_swap(pair[0], bo, offer_id, START),
        shifts.take_swap(pair[1], cy, offer_id, START),
    )
    won = [r for r in results if not isinstance(r, Exception)]
    assert len(won) == 1 and [type(r) for r in results if isinstance(r, Exception)] == [
        SwapRefused
    ], results
    async with pair[0].read() as tx:
        (moved,) = await tx.shifts.of_member(won[0].member_id, START, START + timedelta(days=7))
    assert moved.id == shift.id


@pytest.mark.parametrize(("places", "people"), [(1, 2), (2, 3)])
async def test_an_invite_is_never_used_more_than_it_has_places(
    pair: list[Store], monkeypatch: pytest.MonkeyPatch, places: int, people: int
) -> None:
    group = await make_group(pair[0], "Rinkeby")
    invite = await create_invite(pair[0], role=Role.EXPERT, agency_code="POL", group_id=group.id,
                                 uses=places, ttl=timedelta(hours=1), now=START)  # fmt: skip
    meet_before(monkeypatch, InviteRepository, "take", parties=people)
    results = await _race(*(
        redeem_invite(pair[n % 2], code=invite.code, telegram_user_id=500 + n,
                      display_name=f"P{n}", username=None, language="sv", now=START)
        for n in range(people)
    ))  # fmt: skip
    assert len([r for r in results if not isinstance(r, Exception)]) == places, results
    assert await _count(pair[0], "SELECT COUNT(*) FROM members") == places
    assert await _count(pair[0], "SELECT COUNT(*) FROM invite_uses") == places
    assert await _count(pair[0], "SELECT MIN(uses_left) FROM invites") == 0
