"""Scenes for report tests: a group with check-ins, logged work and a flag, over real storage."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.flags import FlagDraft, FlagPolicy, Urgency
from bot.domain.models import Group, Member, Role
from bot.domain.worklog import ActivityDraft, Kind, Residents, WorkPolicy
from bot.services import flag_drafts, flags, presence
from bot.services import log_drafts as drafts
from bot.services.flag_drafts import DraftAt
from bot.services.log_drafts import LogAt
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

    def at(draft: ActivityDraft) -> LogAt:
        return LogAt(draft.id, draft.step)

    d = await drafts.start(store, member, now)
    d = await drafts.choose(store, member, policy, now, at(d), kind=Kind(kind))
    d = await drafts.choose(store, member, policy, now, at(d), type_key=type_key)
    for code in partners:
        d = await drafts.toggle_partner(store, member, code, now, at(d))
    d = await drafts.next_step(store, member, now, at(d))
    d = await drafts.choose(store, member, policy, now, at(d), residents=Residents(residents))
    d = await drafts.choose(store, member, policy, now, at(d), minutes=minutes)
    if note:
        d = await drafts.note(store, member, note, now)
    else:
        d = await drafts.next_step(store, member, now, at(d))
    d = await drafts.next_step(store, member, now, at(d))
    return (await drafts.confirm(store, member, policy, now, at(d))).id


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
    return (await flags.raise_flag(store, member, policy, now, at(draft), draft.revision)).id


async def report_scene(store: Store, day: datetime) -> tuple[Group, dict[str, Member]]:
    """Järva: POL, TULL and SAPO staff on one day, work logged, one flag acknowledged."""
    group = await make_group(store, "Järva")
    cast = {
        "anna": (701, "POL", Role.EXPERT, "Anna Polis"),
        "ari": (702, "POL", Role.EXPERT, "Ari Polis"),
        "tove": (711, "TULL", Role.EXPERT, "Tove Tull"),
        "sara": (721, "SAPO", Role.EXPERT, "Sara Säpo"),
        "coord": (700, None, Role.COORDINATOR, "Cora Samordnare"),
    }
    people = {
        key: await make_member(store, uid, role=role, agency=agency, group=group, name=name,
                               language="en")
        for key, (uid, agency, role, name) in cast.items()
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
