"""Flags: raise and route, acknowledge, resolve, decline (and redirect), withdraw, comment.

Need to know is checked here, on every read and every action: a member who may not see a
flag gets the same UnknownFlag as for a flag that does not exist.
"""

from __future__ import annotations

from datetime import datetime

from bot.domain.errors import DomainError
from bot.domain.flags import (
    DraftStep,
    Flag,
    FlagAct,
    FlagPolicy,
    TargetState,
    allowed,
    may_see,
)
from bot.domain.ladders import Rung
from bot.domain.models import Member, Role
from bot.services.flag_copies import EXTRAS, lane, refresh, send_copy
from bot.services.flag_drafts import DraftAt, FlagRefused
from bot.services.ladders import deliver, reach
from bot.services.notify import notify
from bot.services.presence import screen
from storage.store import Store, Tx

PROMPT_COMMENT = "flag_comment"
PROMPT_DECLINE = "flag_decline"
LIST_LIMIT = 15


class UnknownFlag(DomainError):
    """No such flag, or not one this member may know about (deliberately the same)."""

    key = "flag.unknown"


async def _visible(tx: Tx, member: Member, flag_id: int) -> Flag:
    if tx.writing:
        # Instances change one flag one at a time: two parts finished at once would each see
        # the other still open, and neither would close the flag.
        await tx.flags.hold(flag_id)
    flag = await tx.flags.get(flag_id)
    if flag is None or not may_see(member, flag):
        raise UnknownFlag()
    return flag


async def recorded(
    tx: Tx, action: str, member: Member, flag_id: int, now: datetime, *, detail: str | None = None
) -> None:
    """Record an act on a flag in the audit log, and bring every card of the flag up to date."""
    await tx.audit.record(
        action,
        now=now,
        actor_member_id=member.id,
        object_type="flag",
        object_id=flag_id,
        detail=detail,
    )
    await refresh(tx, flag_id, now)


async def check_new_target(tx: Tx, flag: Flag, agency: str) -> None:
    """Refuse an agency that is unknown, already a target of the flag, or the raiser's own."""
    known = {a.code for a in await tx.groups.agencies()}
    if agency not in known or flag.target(agency) is not None or agency == flag.raiser_agency:
        raise FlagRefused("flag.bad_redirect")


async def permitted(tx: Tx, member: Member, flag_id: int, act: FlagAct) -> Flag:
    """The flag, if the rule lets this member do this to it now; else why not."""
    flag = await _visible(tx, member, flag_id)
    if act in allowed(member, flag):
        return flag
    target = flag.target(member.agency_code)
    if act is FlagAct.ACKNOWLEDGE and flag.is_open and target and target.acknowledged_by:
        who = await tx.members.get(target.acknowledged_by)
        raise AlreadyHandled(name=who.display_name if who else "?")
    if not flag.is_open or (target is not None and act in _TARGET_ACTS):
        raise FlagRefused("flag.closed")
    raise FlagRefused("auth.not_allowed")


_TARGET_ACTS = (FlagAct.ACKNOWLEDGE, FlagAct.RESOLVE, FlagAct.DECLINE)


async def raise_flag(
    store: Store, member: Member, policy: FlagPolicy, now: datetime, at: DraftAt, revision: str
) -> Flag:
    """Create the drafted flag (the one summarised where Raise was pressed, still as its
    summary showed it: `revision`) and route it."""
    async with store.transaction() as tx:
        # Held: a double tap that reached two instances raises it once, the other is stale.
        draft = await tx.flags.draft(member.id, hold=True)
        shown = draft is not None and (draft.id, draft.step, draft.revision) == (*at, revision)
        if draft is None or not shown or draft.step is not DraftStep.SUMMARY:
            raise FlagRefused("auth.stale_button")
        if draft.group_id is None:
            raise FlagRefused("flag.no_draft")
        if member.agency_code is None or draft.group_id not in member.group_ids:
            raise FlagRefused("flag.no_agency")
        flag_id = await tx.flags.add(draft, draft.group_id, member.agency_code, now)
        await tx.flags.adopt_attachments(draft.id, flag_id)
        for agency in draft.targets:
            await route(tx, flag_id, agency, policy, now)
        await tx.flags.drop_draft(member.id)
        await tx.prompts.cancel(member.id)
        await tx.audit.record(
            "flag.raise", now=now, actor_member_id=member.id, object_type="flag", object_id=flag_id
        )
        flag = await tx.flags.get(flag_id)
        assert flag is not None
        await send_copy(tx, flag, member, now)
        # The raiser's agency owns the flag: its people on duty follow it from the start.
        colleagues = await tx.members.many(await owners_on_duty(tx, flag) - {member.id})
        for colleague in colleagues.values():
            await send_copy(tx, flag, colleague, now)
    return flag


async def route(tx: Tx, flag_id: int, agency: str, policy: FlagPolicy, now: datetime) -> None:
    """Add a target on the first rung of its ladder with someone on it (never to no one)."""
    flag = await tx.flags.get(flag_id)
    assert flag is not None
    ladder = await tx.ladders.of(flag.group_id)
    landing = await reach(tx, ladder, agency, ladder.rungs, flag.raised_by)
    if landing is None:
        raise FlagRefused("flag.unreachable", agency=await tx.groups.named(agency))
    deadline = now + policy.deadlines[flag.urgency]
    nobody = landing.rung is not Rung.ON_DUTY
    if await tx.flags.add_target(flag_id, agency, deadline, nobody, now, landing.rung):
        await deliver(tx, flag_id, landing, now)


async def act(store: Store, member: Member, flag_id: int, action: FlagAct, now: datetime) -> str:
    """Acknowledge, resolve or withdraw; returns the catalogue key of the answer to show."""
    action = FlagAct(action)  # its value ("acknowledge") will do as well
    async with store.transaction() as tx:
        flag = await permitted(tx, member, flag_id, action)
        if action is FlagAct.WITHDRAW:
            if not await tx.flags.withdraw(flag_id, now):
                raise FlagRefused("flag.closed")
            await tx.outbox.cancel_ref(EXTRAS, flag_id, now)
            answer = "flag.withdrawn"
        else:
            answer = await _target_action(tx, member, flag, action, now)
        await tx.flags.close_if_done(flag_id, now)
        await recorded(tx, f"flag.{action.value}", member, flag_id, now)
    return answer


async def _target_action(
    tx: Tx, member: Member, flag: Flag, action: FlagAct, now: datetime
) -> str:
    target = flag.target(member.agency_code)
    if target is None:
        raise FlagRefused("auth.not_allowed")
    agency = target.agency
    if action is FlagAct.ACKNOWLEDGE:
        if not await tx.flags.acknowledge(flag.id, agency, member.id, now):
            fresh = (await tx.flags.get(flag.id)) or flag
            done_by = fresh.target(agency)
            who = (
                await tx.members.get(done_by.acknowledged_by)
                if done_by and done_by.acknowledged_by
                else None
            )
            raise AlreadyHandled(name=who.display_name if who else "?")
        return "flag.acknowledged_ok"
    if action is FlagAct.RESOLVE:
        if not await tx.flags.finish(flag.id, agency, member.id, now, TargetState.RESOLVED):
            raise FlagRefused("flag.closed")
        return "flag.resolved_ok"
    raise FlagRefused("auth.stale_button")


class AlreadyHandled(DomainError):
    """Someone else of the agency acknowledged first."""

    key = "flag.already_acknowledged"


async def ask_reason(store: Store, member: Member, flag_id: int, now: datetime) -> None:
    """Before declining: the bot waits for the reason."""
    async with store.transaction() as tx:
        await permitted(tx, member, flag_id, FlagAct.DECLINE)
        await tx.prompts.ask(member.id, PROMPT_DECLINE, str(flag_id), now)


async def decline(
    store: Store,
    member: Member,
    flag_id: int,
    reason: str,
    redirect: str | None,
    policy: FlagPolicy,
    now: datetime,
) -> None:
    """Decline my agency's part with a reason, optionally handing it to another agency."""
    checked = screen(reason, 300)
    async with store.transaction() as tx:
        flag = await permitted(tx, member, flag_id, FlagAct.DECLINE)
        target = flag.target(member.agency_code)
        assert target is not None  # the rule lets only a target agency decline
        if redirect is not None:
            await check_new_target(tx, flag, redirect)
        if not await tx.flags.finish(
            flag_id, target.agency, member.id, now, TargetState.DECLINED, checked, redirect
        ):
            raise FlagRefused("flag.closed")
        if redirect is not None:
            await route(tx, flag_id, redirect, policy, now)
        await tx.prompts.cancel(member.id)
        await tx.flags.close_if_done(flag_id, now)
        detail = f"redirect={redirect}" if redirect else None
        await recorded(tx, "flag.decline", member, flag_id, now, detail=detail)


async def ask_comment(store: Store, member: Member, flag_id: int, now: datetime) -> None:
    """The bot waits for a comment on this flag."""
    async with store.transaction() as tx:
        await permitted(tx, member, flag_id, FlagAct.COMMENT)
        await tx.prompts.ask(member.id, PROMPT_COMMENT, str(flag_id), now)


async def comment(store: Store, member: Member, flag_id: int, text: str, now: datetime) -> int:
    """Store a screened comment, show it on the card and relay it to everyone who holds the
    flag (every target reached, the coordinators alerted) and to its owners (the raiser's
    agency on duty in the group), except those who muted it."""
    checked = screen(text)
    async with store.transaction() as tx:
        flag = await permitted(tx, member, flag_id, FlagAct.COMMENT)
        comment_id = await tx.flags.comment(flag_id, member.id, checked, now)
        readers = set(await tx.outbox.holders("flag", flag_id)) | {flag.raised_by}
        readers |= await owners_on_duty(tx, flag)
        readers -= await tx.flags.muted(flag_id) | {member.id}
        sent = 0
        for reader in (await tx.members.many(readers)).values():
            if not may_see(reader, flag):
                continue
            await notify(
                tx,
                reader,
                "flag.comment",
                dedup=f"flag-comment:{comment_id}",
                now=now,
                priority=lane(flag),
                protect=True,
                number=flag.id,
                name=member.display_name,
                agency=await tx.groups.named(member.agency_code),
                text=checked,
            )
            sent += 1
        await tx.prompts.cancel(member.id)
        await recorded(tx, "flag.comment", member, flag_id, now)
    return sent


async def replied_flag(store: Store, member: Member, message_id: int) -> int | None:
    """The flag whose card (in this member's chat) a message replies to, if it is one."""
    async with store.read() as tx:
        ref = await tx.outbox.ref_of(member.telegram_user_id, message_id)
    return ref[1] if ref is not None and ref[0] == "flag" else None


async def owners_on_duty(tx: Tx, flag: Flag) -> set[int]:
    """Who of the raiser's agency is checked in to the flag's group: the flag's owners now."""
    return {
        m
        for m, _g, agency, _n in await tx.presences.on_duty([flag.group_id])
        if agency == flag.raiser_agency
    }


async def visible(store: Store, member: Member, flag_id: int) -> Flag:
    """The flag, if this member may see it (else UnknownFlag)."""
    async with store.read() as tx:
        return await _visible(tx, member, flag_id)


async def open_card(store: Store, member: Member, flag_id: int, now: datetime) -> None:
    """Send the member the flag's card again (asked for from /flags).

    It goes out as one more copy, protected like the others and edited with them, so it
    never offers what is no longer possible.
    """
    async with store.transaction() as tx:
        flag = await _visible(tx, member, flag_id)
        await send_copy(
            tx, flag, member, now, dedup=f"flag-open:{flag_id}:{member.id}:{now.isoformat()}",
            why="opened",
        )  # fmt: skip


async def listing(store: Store, member: Member, now: datetime) -> list[Flag]:
    """Open flags I raised or that target my agency in my groups; coordinators: all of theirs.

    Each flag listed is audited as read (the listing names it, its category and urgency).
    """
    async with store.transaction() as tx:
        flags = await tx.flags.listing(list(member.group_ids), True, LIST_LIMIT * 4)
        shown = [f for f in flags if may_see(member, f)][:LIST_LIMIT]
        for flag in shown:
            await tx.audit.record(
                "flag.read", now=now, actor_member_id=member.id, object_type="flag",
                object_id=flag.id, detail="listed",
            )  # fmt: skip
    return shown


async def hand_on(tx: Tx, flag_id: int, agency: str, leaving: Member, now: datetime) -> int:
    """A member who answered for their agency on a flag is leaving: the agency's others in
    the group (else the group's coordinators) get the flag, to resolve it; returns how many.
    Runs in the caller's transaction."""
    flag = await tx.flags.get(flag_id)
    if flag is None:
        return 0
    people = [
        m for m in await tx.members.in_groups([flag.group_id], active_only=True)
        if m.id != leaving.id
    ]  # fmt: skip
    others = [m for m in people if m.agency_code == agency]
    if not others:
        others = [m for m in people if m.coordinates(flag.group_id) and m.role is Role.COORDINATOR]
    for person in others:
        # Once: a holder keeps the copy they have.
        await send_copy(tx, flag, person, now, why="handed_on")
    return len(others)
