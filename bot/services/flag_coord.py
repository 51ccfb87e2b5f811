"""What a coordinator does on a flag for an agency: acknowledge on its behalf, pass its part
on, add an agency, write to whoever of it is on duty; and muting a flag, for anyone."""

from __future__ import annotations

from datetime import datetime

from bot.domain.flags import PASSED_ON, Flag, FlagAct, FlagPolicy, TargetState
from bot.domain.models import Member
from bot.services.flag_copies import lane, refresh
from bot.services.flag_drafts import FlagRefused
from bot.services.flags import check_new_target, permitted, recorded, route
from bot.services.ladders import people_on
from bot.services.notify import notify
from bot.services.presence import screen
from storage.store import Store

PROMPT_WRITE = "flag_write"
PROMPT_HAND_ON = "flag_hand_on"


async def acknowledge_for(
    store: Store, member: Member, flag_id: int, agency: str, now: datetime
) -> None:
    """Acknowledge an agency's open part on its behalf (recorded as such)."""
    async with store.transaction() as tx:
        flag = await permitted(tx, member, flag_id, FlagAct.ACT_FOR)
        target = flag.target(agency)
        if target is None or target.state is not TargetState.OPEN:
            raise FlagRefused("flag.not_open_for", agency=await tx.groups.named(agency))
        if not await tx.flags.acknowledge(flag_id, agency, member.id, now, on_behalf=True):
            raise FlagRefused("flag.not_open_for", agency=await tx.groups.named(agency))
        await recorded(tx, "flag.acknowledge_for", member, flag_id, now, detail=f"agency={agency}")


async def pass_on(
    store: Store,
    member: Member,
    flag_id: int,
    agency: str,
    to: str,
    policy: FlagPolicy,
    now: datetime,
) -> None:
    """Hand an agency's unfinished part to another agency (which gets it on its ladder)."""
    async with store.transaction() as tx:
        flag = await permitted(tx, member, flag_id, FlagAct.ACT_FOR)
        target = flag.target(agency)
        if target is None or target.state.finished:
            raise FlagRefused("flag.not_open_for", agency=await tx.groups.named(agency))
        await check_new_target(tx, flag, to)
        finished = await tx.flags.finish(
            flag_id, agency, member.id, now, TargetState.DECLINED, PASSED_ON, to
        )
        if not finished:
            raise FlagRefused("flag.not_open_for", agency=await tx.groups.named(agency))
        await route(tx, flag_id, to, policy, now)
        await recorded(tx, "flag.pass_on", member, flag_id, now, detail=f"{agency}->{to}")


async def add_agency(
    store: Store, member: Member, flag_id: int, agency: str, policy: FlagPolicy, now: datetime
) -> None:
    """Add an agency as a target of an open flag."""
    async with store.transaction() as tx:
        flag = await permitted(tx, member, flag_id, FlagAct.ACT_FOR)
        await check_new_target(tx, flag, agency)
        await route(tx, flag_id, agency, policy, now)
        await recorded(tx, "flag.add_agency", member, flag_id, now, detail=f"agency={agency}")


async def ask_write(
    store: Store, member: Member, flag_id: int, agency: str, now: datetime
) -> None:
    """Before writing to an agency's people on duty: the bot waits for the text."""
    async with store.transaction() as tx:
        flag = await permitted(tx, member, flag_id, FlagAct.ACT_FOR)
        if flag.target(agency) is None:
            raise FlagRefused("auth.stale_button")
        await tx.prompts.ask(member.id, PROMPT_WRITE, f"{flag_id}:{agency}", now)


async def write(
    store: Store, member: Member, flag_id: int, agency: str, text: str, now: datetime
) -> int:
    """Send a screened message about the flag to whoever of the agency is on duty (else to
    the agency's members in the group); it is kept as a comment. Returns how many got it."""
    checked = screen(text)
    async with store.transaction() as tx:
        flag = await permitted(tx, member, flag_id, FlagAct.ACT_FOR)
        if flag.target(agency) is None:
            raise FlagRefused("auth.stale_button")
        ladder = await tx.ladders.of(flag.group_id)
        people = await people_on(tx, ladder, agency, ladder.rungs[0], member.id) or (
            await people_on(tx, ladder, agency, ladder.rungs[1], member.id)
            if len(ladder.rungs) > 1
            else []
        )
        if not people:
            raise FlagRefused("flag.nobody_to_write", agency=await tx.groups.named(agency))
        comment_id = await tx.flags.comment(flag_id, member.id, checked, now)
        for person in people:
            await notify(
                tx,
                person,
                "flag.coord_message",
                dedup=f"flag-write:{comment_id}",
                now=now,
                priority=lane(flag),
                protect=True,
                number=flag_id,
                name=member.display_name,
                text=checked,
            )
        await tx.prompts.cancel(member.id)
        await recorded(tx, "flag.write", member, flag_id, now)
    return len(people)


async def mute(store: Store, member: Member, flag_id: int, muted: bool, now: datetime) -> None:
    """Stop (or resume) the pushes about one flag for this member; the card stays current."""
    async with store.transaction() as tx:
        await permitted(tx, member, flag_id, FlagAct.MUTE)
        await tx.flags.set_muted(flag_id, member.id, muted)
        await refresh(tx, flag_id, now)


async def for_menu(store: Store, member: Member, flag_id: int) -> Flag:
    """The flag, if this member may act for its agencies now (a coordinator of its group)."""
    async with store.read() as tx:
        return await permitted(tx, member, flag_id, FlagAct.ACT_FOR)


async def choosing_successor(
    store: Store, member: Member, flag_id: int, agency: str, now: datetime
) -> list[str]:
    """Hold which part is being passed on; the agencies it may go to."""
    async with store.transaction() as tx:
        flag = await permitted(tx, member, flag_id, FlagAct.ACT_FOR)
        target = flag.target(agency)
        if target is None or target.state.finished:
            raise FlagRefused("flag.not_open_for", agency=await tx.groups.named(agency))
        await tx.prompts.ask(member.id, PROMPT_HAND_ON, f"{flag_id}:{agency}", now)
        return [
            a.code
            for a in await tx.groups.agencies()
            if flag.target(a.code) is None and a.code != flag.raiser_agency
        ]


def held_part(payload: str | None) -> tuple[int, str] | None:
    """(flag, agency) of a held "pass on" or "write to" question."""
    if payload is None or ":" not in payload:
        return None
    flag_id, agency = payload.split(":", 1)
    return (int(flag_id), agency) if flag_id.isdecimal() else None
