"""Members and groups: look up, list, change language, deactivate, set up groups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.agencies import Directory
from bot.domain.errors import (
    GroupExists,
    NotAllowed,
    UnknownAgency,
    UnknownGroup,
    UnknownMember,
)
from bot.domain.models import Agency, Group, Member, Role
from bot.services.flag_copies import recheck_copies, retire_copies
from bot.services.offboarding import offboard
from storage.errors import Conflict
from storage.store import Store

LANGUAGES = ("sv", "en")


@dataclass(frozen=True)
class Profile:
    """What the bot stores about a member, for `/me`."""

    member: Member
    groups: list[Group]
    agency: Agency | str | None


async def find_member(store: Store, telegram_user_id: int) -> Member | None:
    """The member behind a Telegram user (active or not)."""
    async with store.read() as tx:
        return await tx.members.by_telegram_id(telegram_user_id)


async def profile(store: Store, member: Member) -> Profile:
    """Everything stored about one member."""
    async with store.read() as tx:
        groups = await tx.groups.many(member.group_ids)
        agency = await tx.groups.named(member.agency_code) if member.agency_code else None
    return Profile(member=member, groups=groups, agency=agency)


async def refresh_profile(
    store: Store, member: Member, *, display_name: str, username: str | None
) -> None:
    """Keep name and @username as Telegram shows them (rosters match on @username)."""
    if (member.display_name, member.username) == (display_name, username):
        return
    async with store.transaction() as tx:
        await tx.members.update_profile(member.id, display_name=display_name, username=username)


async def set_language(store: Store, member: Member, language: str, now: datetime) -> None:
    """Switch a member's language."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    async with store.transaction() as tx:
        await tx.members.set_language(member.id, language)
        await tx.audit.record(
            "member.language", now=now, actor_member_id=member.id, detail=language
        )


async def groups_run_by(store: Store, member: Member) -> list[Group]:
    """The groups a member may run: all for an admin, their own for a coordinator."""
    async with store.read() as tx:
        if member.role is Role.ADMIN:
            return await tx.groups.all()
        if member.role is Role.COORDINATOR:
            return await tx.groups.many(member.group_ids)
    return []


async def list_members(store: Store, viewer: Member, group_id: int) -> list[Member]:
    """Members of one group the viewer runs, by agency then name."""
    if not viewer.coordinates(group_id):
        raise NotAllowed()
    async with store.read() as tx:
        if await tx.groups.get(group_id) is None:
            raise UnknownGroup()
        return await tx.members.in_groups([group_id])


async def member_for(store: Store, viewer: Member, member_id: int) -> Member:
    """A member the viewer runs (shares a group they coordinate); else UnknownMember."""
    async with store.read() as tx:
        target = await tx.members.get(member_id)
    if target is None or not _runs(viewer, target):
        raise UnknownMember()
    return target


def _runs(viewer: Member, target: Member) -> bool:
    if viewer.role is Role.ADMIN:
        return True
    return any(viewer.coordinates(g) for g in target.group_ids) and viewer.role.at_least(
        target.role
    )


async def deactivate_member(
    store: Store, member_id: int, now: datetime, actor: Member | None = None
) -> Member:
    """Withdraw all access from a member at once; `actor` None means the command line."""
    async with store.transaction() as tx:
        target = await tx.members.get(member_id)
        if target is None or (actor is not None and not _runs(actor, target)):
            raise UnknownMember()
        if actor is not None and actor.id == target.id:
            raise NotAllowed()
        await tx.members.set_active(member_id, False, now)
        # Nothing queued or held for them goes out any more (the sender checks again when
        # it takes a message, for whatever is queued later by mistake).
        await tx.outbox.cancel_member(member_id, now)
        # Their flag cards stop showing the flags at once, not at the flags' next change.
        await retire_copies(tx, target, now)
        left = await offboard(tx, target, now) if target.active else None
        await tx.audit.record(
            "member.deactivate",
            now=now,
            actor_member_id=actor.id if actor else None,
            object_type="member",
            object_id=member_id,
            detail=None
            if left is None
            else f"shifts {left.shifts_cancelled},"
            f" offers {left.offers_withdrawn}, flags {left.flags_handed_on}",
        )
        updated = await tx.members.get(member_id)
    assert updated is not None
    return updated


async def set_agency(
    store: Store, member_id: int, agency_code: str, now: datetime, actor: Member | None = None
) -> Member:
    """Move a member to another agency in all their groups (admins and the command line only:
    an invite never does it). Their flag cards show at once what the new agency may see."""
    if actor is not None and actor.role is not Role.ADMIN:
        raise NotAllowed()
    async with store.transaction() as tx:
        target = await tx.members.get(member_id)
        if target is None:
            raise UnknownMember()
        agency = await tx.groups.agency(agency_code.strip().upper())
        if agency is None:
            raise UnknownAgency()
        if agency.code == target.agency_code:
            return target
        await tx.members.set_agency(member_id, agency.code)
        await tx.audit.record(
            "member.agency",
            now=now,
            actor_member_id=actor.id if actor else None,
            object_type="member",
            object_id=member_id,
            detail=f"{target.agency_code or 'none'} -> {agency.code}",
        )
        updated = await tx.members.get(member_id)
        assert updated is not None
        await recheck_copies(tx, updated, now)
    return updated


async def activate_member(store: Store, member_id: int, now: datetime) -> Member:
    """Give a deactivated member their access back (command line only)."""
    async with store.transaction() as tx:
        if await tx.members.get(member_id) is None:
            raise UnknownMember()
        await tx.members.set_active(member_id, True, now)
        await tx.audit.record(
            "member.activate", now=now, object_type="member", object_id=member_id
        )
        updated = await tx.members.get(member_id)
    assert updated is not None
    return updated


async def all_members(store: Store, group_name: str | None = None) -> list[Member]:
    """Every member, or those of one group (command line)."""
    async with store.read() as tx:
        if group_name is None:
            return await tx.members.in_groups()
        group = await tx.groups.by_name(group_name)
        if group is None:
            raise UnknownGroup()
        return await tx.members.in_groups([group.id])


async def add_group(
    store: Store,
    *,
    name: str,
    lat: float,
    lon: float,
    radius_m: int,
    min_per_agency: int,
    timezone: str,
    now: datetime,
) -> Group:
    """Set up a new action group (district)."""
    name = name.strip()
    if not name or len(name) > 80:
        raise ValueError("the name must be 1-80 characters")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError("latitude must be within ±90 and longitude within ±180")
    if not 10 <= radius_m <= 50_000:
        raise ValueError("the radius must be between 10 and 50000 metres")
    if not 0 <= min_per_agency <= 100:
        raise ValueError("the minimum per agency must be between 0 and 100")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {timezone!r}") from exc
    try:
        async with store.transaction() as tx:
            group = await tx.groups.add(
                name=name,
                lat=lat,
                lon=lon,
                radius_m=radius_m,
                min_per_agency=min_per_agency,
                timezone=timezone,
                now=now,
            )
            await tx.audit.record("group.add", now=now, object_type="group", object_id=group.id)
    except Conflict as exc:
        raise GroupExists() from exc
    return group


async def list_groups(store: Store) -> list[Group]:
    """Every group, by name."""
    async with store.read() as tx:
        return await tx.groups.all()


async def group_by_name(store: Store, name: str) -> Group:
    """One group by name; UnknownGroup when there is none."""
    async with store.read() as tx:
        group = await tx.groups.by_name(name)
    if group is None:
        raise UnknownGroup()
    return group


async def agencies(store: Store) -> list[Agency]:
    """The deployment's agencies, in their set-up order."""
    async with store.read() as tx:
        return await tx.groups.agencies()


async def directory(store: Store) -> Directory:
    """Every agency by code, retired ones too, to name them in texts."""
    async with store.read() as tx:
        return await tx.groups.directory()


async def group(store: Store, group_id: int) -> Group | None:
    """One group."""
    async with store.read() as tx:
        return await tx.groups.get(group_id)


async def member(store: Store, member_id: int) -> Member | None:
    """One member."""
    async with store.read() as tx:
        return await tx.members.get(member_id)


async def active_in_group(store: Store, group_id: int) -> list[Member]:
    """The active members of a group, by agency then name."""
    async with store.read() as tx:
        return await tx.members.in_groups([group_id], active_only=True)


async def own_groups(store: Store, member: Member) -> list[Group]:
    """The groups a member belongs to, by name."""
    async with store.read() as tx:
        return await tx.groups.many(member.group_ids)
