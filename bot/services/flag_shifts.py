"""Flags across shifts: a flag belongs to the raiser's agency in the group, not to the person.

Whoever of the agency checks in gets the agency's open flags there (those it raised, and those
waiting for it); whoever raised a flag and checks out hands it to their agency on duty and
stops getting its pushes (🔔 Follow again on the card undoes that).
"""

from __future__ import annotations

from datetime import datetime

from bot.domain.flags import may_see
from bot.domain.models import Member
from bot.services.flag_copies import refresh, send_copy
from storage.store import Tx

OPEN_FLAGS = 50  # a group's open flags read at a check-in; more would be a backlog to clear


async def arrive(tx: Tx, member: Member, group_id: int, now: datetime) -> int:
    """The member checked in: send them each open flag of their agency in the group they do
    not hold yet; returns how many open flags their agency has there."""
    agency = member.agency_code
    if agency is None:
        return 0
    found = 0
    held = set(await tx.outbox.held_refs(member.id, "flag"))
    for flag in await tx.flags.listing([group_id], True, OPEN_FLAGS):
        target = flag.target(agency)
        ours = flag.raiser_agency == agency or (target is not None and not target.state.finished)
        if not ours or not may_see(member, flag):
            continue
        found += 1
        if flag.id not in held:
            await send_copy(tx, flag, member, now, dedup=f"flag:{flag.id}:{member.id}:in:{now}")
    return found


async def leave(tx: Tx, member: Member, group_id: int, now: datetime) -> int:
    """The member checked out: each open flag they raised there goes to their agency's people
    on duty, and their own pushes of it stop when someone took it over; returns how many."""
    colleagues = {
        m
        for m, _g, agency, _n in await tx.presences.on_duty([group_id])
        if agency == member.agency_code and m != member.id
    }
    if not colleagues:
        return 0  # nobody takes over: the raiser keeps following
    people = await tx.members.many(colleagues)
    passed = 0
    for flag in await tx.flags.listing([group_id], True, OPEN_FLAGS):
        if flag.raised_by != member.id:
            continue
        for person in people.values():
            await send_copy(tx, flag, person, now)
        await tx.flags.set_muted(flag.id, member.id, True)
        await refresh(tx, flag.id, now)
        passed += 1
    return passed


async def back(tx: Tx, member: Member, group_id: int, now: datetime) -> int:
    """The member took back a check-out: they follow the flags they raised there again (the
    colleagues who took them over keep their copies); returns how many."""
    followed = 0
    for flag in await tx.flags.listing([group_id], True, OPEN_FLAGS):
        if flag.raised_by == member.id and await tx.flags.set_muted(flag.id, member.id, False):
            await refresh(tx, flag.id, now)
            followed += 1
    return followed
