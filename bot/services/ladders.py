"""Escalation ladders: who receives a flag's target now, and climbing when no one answers.

A flag is never sent to nobody: a rung with no one who can receive it (nobody checked in,
nobody of the agency, no coordinator) is passed at once, when the flag is raised as when it
climbs; the raiser is told where it went.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from bot.domain.ladders import Ladder, Rung, next_climb
from bot.domain.models import Group, Member
from bot.domain.reminders import Kind
from bot.services.flag_copies import refresh, send_copy
from bot.services.reminder_items import Action, Due, Scan
from storage.store import Store, Tx


class Reach(NamedTuple):
    """Where a target lands now: the first rung with someone on it, and who is there."""

    agency: str
    rung: Rung
    people: tuple[Member, ...]


class Presence(NamedTuple):
    """An agency as the flag picker shows it for one group."""

    on_duty: int  # checked in to the group now
    members: int  # active members of the group
    nearby: int  # active members in the neighbouring groups


async def people_on(
    tx: Tx, ladder: Ladder, agency: str, rung: Rung, exclude: int | None
) -> list[Member]:
    """Who can receive the flag on this rung (active, reachable, not the raiser)."""
    group_id = ladder.group_id
    found: list[Member]
    if rung is Rung.ON_DUTY:
        return await _on_duty(tx, group_id, agency, exclude)
    if rung is Rung.AGENCY:
        found = await tx.members.in_groups([group_id], active_only=True)
        found = [m for m in found if m.agency_code == agency]
    elif rung is Rung.COORDINATORS:
        found = await tx.members.coordinators_of([group_id])
    elif rung is Rung.NEIGHBOURS:
        found = await tx.members.in_groups(list(ladder.neighbours), active_only=True)
        found = [m for m in found if m.agency_code == agency]
    else:
        found = await tx.members.admins()
    return _receiving(found, exclude)


def _receiving(people: list[Member], exclude: int | None) -> list[Member]:
    return [m for m in people if m.active and m.unreachable_since is None and m.id != exclude]


async def _on_duty(tx: Tx, group_id: int, agency: str, exclude: int | None) -> list[Member]:
    """The agency's people checked in to the group, those inside the area first: someone
    checked in from elsewhere gets the flag when nobody of the agency is at the office."""
    present = {m: inside for m, _g, a, _n, inside in await tx.presences.present([group_id])
               if a == agency}  # fmt: skip
    people = _receiving(list((await tx.members.many(set(present))).values()), exclude)
    inside = [m for m in people if present[m.id]]
    return inside or people


async def reach(
    tx: Tx, ladder: Ladder, agency: str, rungs: tuple[Rung, ...], exclude: int | None
) -> Reach | None:
    """The first of these rungs with someone on it; None when none has anyone."""
    for rung in rungs:
        people = await people_on(tx, ladder, agency, rung, exclude)
        if people:
            return Reach(agency, rung, tuple(people))
    return None


async def reaches(
    store: Store, group_id: int, agencies: tuple[str, ...], exclude: int | None
) -> list[Reach | None]:
    """Where each agency's part would land if raised now (shown before Raise)."""
    async with store.read() as tx:
        ladder = await tx.ladders.of(group_id)
        return [await reach(tx, ladder, a, ladder.rungs, exclude) for a in agencies]


async def presence(store: Store, group_id: int) -> dict[str, Presence]:
    """Each agency's people on duty, in the group and next door, for the flag picker."""
    async with store.read() as tx:
        return await presence_in(tx, group_id)


async def presence_in(tx: Tx, group_id: int) -> dict[str, Presence]:
    """`presence`, in the caller's transaction."""
    ladder = await tx.ladders.of(group_id)
    on_duty = await tx.presences.on_duty([group_id])
    members = await tx.members.in_groups([group_id], active_only=True)
    nearby = await tx.members.in_groups(list(ladder.neighbours), active_only=True)
    counts: dict[str, Presence] = {}
    for agency in {m.agency_code for m in members + nearby} | {a for *_x, a, _n in on_duty}:
        if agency is None:
            continue
        counts[agency] = Presence(
            on_duty=len({m for m, _g, a, _n in on_duty if a == agency}),
            members=len([m for m in members if m.agency_code == agency]),
            nearby=len([m for m in nearby if m.agency_code == agency]),
        )
    return counts


def pickable(counts: dict[str, Presence], agency: str) -> bool:
    """An agency can be flagged in a group when it has someone there or next door."""
    found = counts.get(agency)
    return found is not None and (found.members > 0 or found.nearby > 0)


async def deliver(tx: Tx, flag_id: int, landing: Reach, now: datetime) -> None:
    """Give the flag to everyone on the rung it landed on; those beyond its group are
    recorded so that need to know lets them see it."""
    flag = await tx.flags.get(flag_id)
    assert flag is not None
    beyond = [p for p in landing.people if flag.group_id not in p.group_ids]
    for person in beyond:
        await tx.flags.add_reach(flag_id, person.id, now)
    if beyond:
        flag = await tx.flags.get(flag_id)
        assert flag is not None
    for person in landing.people:
        await send_copy(tx, flag, person, now)


async def climb(
    tx: Tx, flag_id: int, agency: str, since: Rung, due: datetime, now: datetime
) -> Rung | None:
    """Move an unanswered target to the next rung with someone on it (compare and set:
    once however often it is asked); the new rung, or None when it did not move."""
    flag = await tx.flags.get(flag_id)
    target = flag.target(agency) if flag else None
    if flag is None or not flag.is_open or target is None or target.rung is not since:
        return None
    ladder = await tx.ladders.of(flag.group_id)
    landing = await reach(tx, ladder, agency, ladder.above(since), flag.raised_by)
    if landing is None or not await tx.flags.climb(flag_id, agency, since, landing.rung, due):
        return None
    await deliver(tx, flag_id, landing, now)
    await tx.audit.record(
        "flag.climb",
        now=now,
        object_type="flag",
        object_id=flag_id,
        detail=f"{agency}:{landing.rung.value}",
    )
    await refresh(tx, flag_id, now)
    return landing.rung


def _climber(flag_id: int, agency: str, since: Rung, due: datetime) -> Action:
    async def act(tx: Tx, now: datetime) -> None:
        await climb(tx, flag_id, agency, since, due, now)

    return act


async def climbs(scan: Scan, now: datetime, until: datetime) -> list[Due]:
    """The reminder scan's source of ladder climbs: one rung per deadline period (the
    target's own, so a changed policy never moves a flag already raised)."""
    found: list[Due] = []
    for flag_id, agency, rung, since, period in await scan.tx.flags.climbing(until):
        due = next_climb(since, period)
        if rung is Rung.ADMINS or due > until:
            continue  # admins are the top of every ladder
        key = f"flag:{flag_id}:{agency}:climb:{rung.value}:{since.isoformat()}"
        found.append(
            Due(
                key,
                Kind.FLAG_ESCALATION,
                due,
                urgent=True,
                action=_climber(flag_id, agency, rung, due),
            )
        )
    done = await scan.tx.reminders.done([i.key for i in found])
    return [i for i in found if i.key not in done]


async def ladder_of(store: Store, group: Group) -> tuple[Ladder, list[Group]]:
    """A group's ladder and its neighbouring groups, to show."""
    async with store.read() as tx:
        ladder = await tx.ladders.of(group.id)
        return ladder, await tx.groups.many(list(ladder.neighbours))


async def set_ladder(
    store: Store,
    group: Group,
    rungs: tuple[Rung, ...] | None,
    neighbours: list[Group] | None,
    now: datetime,
) -> Ladder:
    """Change a group's rungs and/or neighbouring groups (never itself a neighbour)."""
    async with store.transaction() as tx:
        ladder = await tx.ladders.of(group.id)
        changes: dict[str, object] = {}
        if rungs is not None:
            changes["rungs"] = rungs
        if neighbours is not None:
            changes["neighbours"] = tuple(sorted({g.id for g in neighbours} - {group.id}))
        ladder = ladder.model_copy(update=changes)
        await tx.ladders.save(ladder, now)
        await tx.audit.record("ladder.set", now=now, object_type="group", object_id=group.id)
        return ladder
