"""Who is here now against the minimum, and where the plan for the week falls short."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.coverage import Gap, gaps
from bot.domain.errors import NotAllowed, UnknownGroup
from bot.domain.models import Agency, Group, Member, Role
from storage.store import Store, Tx

HORIZON = timedelta(days=7)


@dataclass(frozen=True)
class AgencyNow:
    """One agency in one group right now."""

    agency: Agency
    present: list[str]
    minimum: int

    @property
    def covered(self) -> bool:
        """At or above the group's minimum."""
        return len(self.present) >= self.minimum


@dataclass(frozen=True)
class GroupNow:
    """A group right now, agency by agency."""

    group: Group
    agencies: list[AgencyNow]


@dataclass(frozen=True)
class Coverage:
    """A group now, and the planned gaps per agency over the coming week."""

    now: GroupNow
    planned_gaps: dict[str, list[Gap]]
    start: datetime
    end: datetime


async def _visible_groups(tx: Tx, member: Member) -> list[Group]:
    if member.role is Role.ADMIN and not member.group_ids:
        return await tx.groups.all()
    return await tx.groups.many(member.group_ids)


def _group_now(
    group: Group, agencies: list[Agency], on_duty: list[tuple[int, int, str | None, str]]
) -> GroupNow:
    present: dict[str, list[str]] = defaultdict(list)
    for _, group_id, agency, name in on_duty:
        if group_id == group.id:
            present[agency or ""].append(name)
    return GroupNow(
        group,
        [AgencyNow(a, sorted(present.get(a.code, [])), group.min_per_agency) for a in agencies],
    )


async def on_duty(store: Store, member: Member) -> list[GroupNow]:
    """Everyone checked in now in the member's groups, agency by agency."""
    async with store.read() as tx:
        agencies = await tx.groups.agencies()
        groups = await _visible_groups(tx, member)
        # One query for all groups: an admin sees sixty.
        present = await tx.presences.on_duty([g.id for g in groups])
    return [_group_now(g, agencies, present) for g in groups]


async def coverage(store: Store, member: Member, group_id: int, now: datetime) -> Coverage:
    """Actual coverage now and planned gaps for the next 7 days, for a group the member runs."""
    if not member.coordinates(group_id):
        raise NotAllowed()
    async with store.read() as tx:
        group = await tx.groups.get(group_id)
        if group is None:
            raise UnknownGroup()
        agencies = await tx.groups.agencies()
        current = _group_now(group, agencies, await tx.presences.on_duty([group.id]))
        planned: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
        for agency, start, end in await tx.shifts.planned_by_agency(group.id, now, now + HORIZON):
            planned[agency].append((start, end))
    found = {
        a.code: gaps(planned.get(a.code, []), now, now + HORIZON, group.min_per_agency)
        for a in agencies
    }
    return Coverage(current, found, now, now + HORIZON)
