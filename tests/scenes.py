"""Scenes for report tests: a group with check-ins, logged work and a flag, over real storage."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.flags import FlagDraft, FlagPolicy, Urgency
from bot.domain.models import Group, Member, Role
from bot.domain.worklog import WorkPolicy
from bot.services import flag_drafts, flags, presence
from bot.services import log_drafts as drafts
from bot.services.flag_drafts import DraftAt
from storage.store import Store
from tests.factories import make_group, make_member

OFFICE = (59.388, 17.928)


async def check_in_out(store: Store, member: Member, start: datetime, hours: float) -> None:
    """A check-in at the office for some hours."""
    await presence.check_in(store, member, lat=OFFICE[0], lon=OFFICE[1], accuracy_m=10, now=start)
    await presence.check_out(store, member, start + timedelta(hours=hours))


async def log_work(
    store: Store, member: Member, now: datetime, kind: str, type_key: str, minutes: int,
    residents: str = "none", partners: tuple[str, ...] = (), note: str | None = None,
) -> int:  # fmt: skip
    """Log one entry through the same steps as /log."""
    policy = WorkPolicy()
    await drafts.start(store, member, now)
    await drafts.choose(store, member, policy, now, kind=kind)
    await drafts.choose(store, member, policy, now, type_key=type_key)
    for code in partners:
        await drafts.toggle_partner(store, member, code, now)
    await drafts.next_step(store, member, now)
    await drafts.choose(store, member, policy, now, residents=residents)
    await drafts.choose(store, member, policy, now, minutes=minutes)
    if note:
        await drafts.note(store, member, note, now)
    else:
        await drafts.next_step(store, member, now)
    await drafts.next_step(store, member, now)
    return (await drafts.confirm(store, member, policy, now)).id


async def raise_flag(store: Store, member: Member, targets: list[str], now: datetime) -> int:
    """Raise a routine flag through the same steps as /flag."""
    policy = FlagPolicy()

    def at(draft: FlagDraft) -> DraftAt:
        return DraftAt(draft.id, draft.step)

    draft = await flag_drafts.start(store, member, now)
    for code in targets:
        draft = await flag_drafts.toggle_target(store, member, code, now, at(draft))
    draft = await flag_drafts.advance(store, member, now, at(draft))
    draft = await flag_drafts.choose(store, member, policy, now, at(draft), category="other")
    draft = await flag_drafts.choose(
        store, member, policy, now, at(draft), urgency=Urgency.ROUTINE
    )
    await flag_drafts.describe(store, member, "Ärende K-1", now)
    draft = await flag_drafts.locate(store, member, None, None, now)
    return (await flags.raise_flag(store, member, policy, now, at(draft))).id


async def report_scene(store: Store, day: datetime) -> tuple[Group, dict[str, Member]]:
    """Järva: POL, TULL and SAPO staff on one day, work logged, one flag acknowledged."""
    group = await make_group(store, "Järva")
    people = {
        "anna": await make_member(store, 701, agency="POL", group=group, name="Anna Polis"),
        "ari": await make_member(store, 702, agency="POL", group=group, name="Ari Polis"),
        "tove": await make_member(store, 711, agency="TULL", group=group, name="Tove Tull"),
        "sara": await make_member(store, 721, agency="SAPO", group=group, name="Sara Säpo"),
        "coord": await make_member(store, 700, role=Role.COORDINATOR, agency=None, group=group,
                                   name="Cora Samordnare"),
    }  # fmt: skip
    await check_in_out(store, people["anna"], day + timedelta(hours=7), 8)
    await check_in_out(store, people["ari"], day + timedelta(hours=7), 8)
    await check_in_out(store, people["tove"], day + timedelta(hours=7), 4)
    await check_in_out(store, people["sara"], day + timedelta(hours=19), 3)
    at = day + timedelta(hours=9)
    await log_work(store, people["anna"], at, "boundary", "control", 60, partners=("TULL",))
    await log_work(store, people["anna"], at, "relationship", "dialogue", 120, "6_20",
                   ("SAPO",), note="Hemlig anteckning om rektorn")  # fmt: skip
    await log_work(store, people["sara"], day + timedelta(hours=20), "relationship",
                   "outreach", 60, "21_100", ("POL",))  # fmt: skip
    flag_id = await raise_flag(store, people["anna"], ["TULL", "SAPO"], at)
    await flags.act(store, people["tove"], flag_id, "acknowledge", at + timedelta(minutes=2))
    return group, people
