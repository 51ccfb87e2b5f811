"""Setting a district's staffing target (the command line; the bot reads it in coverage)."""

from __future__ import annotations

from datetime import time

from bot.domain.errors import UnknownGroup
from bot.domain.models import Group
from bot.domain.staffing import Target
from storage.store import Store


class UnknownAgency(ValueError):
    """No active agency has this code."""


async def targets(store: Store, group_name: str) -> tuple[Group, list[Target]]:
    """The group and its target as set (empty: the default applies)."""
    async with store.read() as tx:
        group = await tx.groups.by_name(group_name)
        if group is None:
            raise UnknownGroup()
        return group, await tx.groups.targets(group.id)


async def set_target(
    store: Store, group_name: str, agency_code: str, minimum: int, hours: tuple[time, time]
) -> Target:
    """Set one agency's line of a group's target: how many, in which hours."""
    if minimum < 1:
        raise ValueError("--min is at least 1 (use --remove to leave the agency out)")
    async with store.transaction() as tx:
        group = await tx.groups.by_name(group_name)
        if group is None:
            raise UnknownGroup()
        agency = await tx.groups.agency(agency_code)
        if agency is None:
            codes = ", ".join(a.code for a in await tx.groups.agencies())
            raise UnknownAgency(f"no agency {agency_code!r}; the agencies are {codes}")
        target = Target(agency.code, minimum, *hours)
        await tx.groups.set_target(group.id, target)
    return target


async def remove_target(store: Store, group_name: str, agency_code: str) -> bool:
    """Leave an agency out of a group's target; False when it was not in it."""
    async with store.transaction() as tx:
        group = await tx.groups.by_name(group_name)
        if group is None:
            raise UnknownGroup()
        return await tx.groups.remove_target(group.id, agency_code.upper())
