"""An expert's shifts: the week ahead, a calendar file, and swapping a shift."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.callbacks import SwapTake
from bot.domain.coverage import overlaps
from bot.domain.errors import DomainError
from bot.domain.models import Group, Member
from bot.domain.outbox import Button, Priority
from bot.domain.shifts import Presence, Shift
from bot.i18n import span, t
from bot.services.ics import calendar_file, cancellation_file
from bot.services.notify import notify
from bot.services.rest import check_rest
from storage.store import Store

WEEK = timedelta(days=7)
CALENDAR_HORIZON = timedelta(days=60)


class SwapRefused(DomainError):
    """The swap cannot be made (the key says why)."""


@dataclass(frozen=True)
class Week:
    """A member's shifts for the next seven days and their presence now."""

    shifts: list[tuple[Shift, Group]]
    presence: Presence | None
    presence_group: Group | None


async def my_week(store: Store, member: Member, now: datetime) -> Week:
    """Shifts overlapping the next 7 days, and whether the member is checked in."""
    async with store.read() as tx:
        shifts = await tx.shifts.of_member(member.id, now, now + WEEK)
        groups = {g.id: g for g in await tx.groups.many(list({s.group_id for s in shifts}))}
        presence = await tx.presences.open_for(member.id)
        where = await tx.groups.get(presence.group_id) if presence else None
    return Week([(s, groups[s.group_id]) for s in shifts], presence, where)


async def calendar(store: Store, member: Member, now: datetime) -> bytes:
    """The member's upcoming shifts as an iCalendar file, cancelled ones marked so."""
    async with store.read() as tx:
        shifts = await tx.shifts.of_member(member.id, now, now + CALENDAR_HORIZON)
        gone = await tx.shifts.cancelled_of_member(member.id, now, now + CALENDAR_HORIZON)
        ids = list({s.group_id for s in [*shifts, *gone]})
        groups = {g.id: g for g in await tx.groups.many(ids)}
    live = [(s, groups[s.group_id]) for s in shifts if s.group_id in groups]
    cancelled = [(s, groups[s.group_id]) for s in gone if s.group_id in groups]
    return calendar_file(member, live, cancelled, now)


async def cancellation(store: Store, member: Member, shift_id: int, now: datetime) -> bytes:
    """The cancellation of one of the member's shifts, as a calendar file."""
    async with store.read() as tx:
        shift = await tx.shifts.cancelled(shift_id)
        group = await tx.groups.get(shift.group_id) if shift else None
    if shift is None or group is None or shift.member_id != member.id:
        raise SwapRefused("shifts.unknown")
    return cancellation_file(member, shift, group, now)


async def offer_swap(store: Store, member: Member, shift_id: int, now: datetime) -> int:
    """Offer one of my future shifts to my agency's colleagues in that group."""
    async with store.transaction() as tx:
        shift = await tx.shifts.get(shift_id)
        if shift is None or shift.member_id != member.id:
            raise SwapRefused("shifts.unknown")
        if shift.starts_at <= now:
            raise SwapRefused("swap.started")
        offer_id = await tx.shifts.offer(shift_id, member.id, now)
        if offer_id is None:
            raise SwapRefused("swap.already_offered")
        group = await tx.groups.get(shift.group_id)
        assert group is not None
        colleagues = [
            m
            for m in await tx.members.in_groups([group.id], active_only=True)
            if m.agency_code == member.agency_code and m.id != member.id
        ]
        for colleague in colleagues:
            when = span(colleague.language, shift.starts_at, shift.ends_at, group.timezone)
            take = [
                [
                    Button(
                        text=t(colleague.language, "swap.take_button"),
                        data=SwapTake(offer_id).pack(),
                    )
                ]
            ]
            await notify(
                tx,
                colleague,
                "swap.offered",
                dedup=f"swap:{offer_id}",
                now=now,
                priority=Priority.NORMAL,
                keyboard=take,
                ref=("swap", offer_id),
                name=member.display_name,
                when=when,
                group=group.name,
            )
        await tx.audit.record(
            "swap.offer",
            now=now,
            actor_member_id=member.id,
            object_type="shift",
            object_id=shift_id,
        )
    return len(colleagues)


async def take_swap(store: Store, member: Member, offer_id: int, now: datetime) -> Shift:
    """Take a colleague's offered shift: the first to press wins, the rest see it is taken."""
    async with store.transaction() as tx:
        offer = await tx.shifts.offer_for(offer_id)
        shift = await tx.shifts.get(offer[0]) if offer else None
        offerer = await tx.members.get(offer[1]) if offer else None
        if offer is None or shift is None or offerer is None:
            raise SwapRefused("swap.gone")
        if (
            member.id == offerer.id
            or member.agency_code != offerer.agency_code
            or (shift.group_id not in member.group_ids)
        ):
            raise SwapRefused("swap.gone")
        if offer[2] is not None:
            taker = await tx.members.get(offer[2])
            raise SwapRefused("swap.taken", name=taker.display_name if taker else "?")
        if shift.starts_at <= now:
            raise SwapRefused("swap.started")
        mine = await tx.shifts.of_member(member.id, shift.starts_at, shift.ends_at)
        if any(overlaps((s.starts_at, s.ends_at), (shift.starts_at, shift.ends_at)) for s in mine):
            raise SwapRefused("swap.clash")
        where = await tx.groups.get(shift.group_id)
        zone = where.timezone if where else "UTC"
        await check_rest(tx, member, shift.starts_at, shift.ends_at, zone, ignore=shift.id)
        if not await tx.shifts.take(offer_id, member.id, now):
            raise SwapRefused("swap.taken", name="?")
        await tx.shifts.reassign(shift.id, member.id)
        group = await tx.groups.get(shift.group_id)
        assert group is not None
        for person in [offerer, *await tx.members.coordinators_of([group.id])]:
            if person.id == member.id:
                continue
            await notify(
                tx,
                person,
                "swap.done",
                dedup=f"swap-done:{offer_id}",
                now=now,
                priority=Priority.NORMAL,
                taker=member.display_name,
                giver=offerer.display_name,
                when=span(person.language, shift.starts_at, shift.ends_at, group.timezone),
                group=group.name,
            )
        for chat_id, language in await tx.outbox.copy_chats("swap", offer_id):
            taken = t(
                language,
                "swap.taken_by",
                name=member.display_name,
                when=span(language, shift.starts_at, shift.ends_at, group.timezone),
            )
            await tx.outbox.enqueue_edit(
                ref_type="swap",
                ref_id=offer_id,
                chat_id=chat_id,
                text=taken,
                keyboard=None,
                now=now,
            )
        await tx.audit.record(
            "swap.take",
            now=now,
            actor_member_id=member.id,
            object_type="shift",
            object_id=shift.id,
        )
    return shift.model_copy(update={"member_id": member.id})


async def upcoming_in_group(
    store: Store, member_id: int, group_id: int, now: datetime, days: int
) -> list[Shift]:
    """A member's shifts in one group over the next `days` days (for planning)."""
    async with store.read() as tx:
        shifts = await tx.shifts.of_member(member_id, now, now + timedelta(days=days))
    return [s for s in shifts if s.group_id == group_id]
