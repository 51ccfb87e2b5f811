"""Logged work after the fact: my week, an entry's card, corrections, and each group's phase."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.errors import DomainError, UnknownGroup
from bot.domain.figures import percent_shares
from bot.domain.localtime import on_day
from bot.domain.models import Group, Member
from bot.domain.worklog import (
    DURATIONS,
    MAX_NOTE,
    Activity,
    GroupPhase,
    Kind,
    Phase,
    Residents,
    is_correction,
    may_change,
    may_read_note,
)
from bot.services.presence import screen
from storage.store import Store

LIST_LIMIT = 30
PROMPT_EDIT_NOTE = "log_edit_note"


class UnknownEntry(DomainError):
    """No such entry, or not one this member may see (deliberately the same)."""

    key = "log.unknown"


@dataclass(frozen=True)
class Mix:
    """Minutes of each kind over some days, and the target in force."""

    boundary: int
    relationship: int
    target_pct: int | None
    phase: Phase | None

    @property
    def relationship_pct(self) -> int | None:
        """Relationship-building's whole-percent share of the time; None with no work."""
        if not self.boundary + self.relationship:
            return None
        return percent_shares([self.boundary, self.relationship])[1]


def may_view(viewer: Member, entry: Activity) -> bool:
    """An entry's card: its author, and whoever runs its group."""
    return viewer.active and (viewer.id == entry.member_id or viewer.coordinates(entry.group_id))


def week_start(now: datetime, zone: str) -> datetime:
    """Monday 00:00 of this week in a zone, as an aware instant."""
    today = now.astimezone(ZoneInfo(zone)).date()
    return on_day(today - timedelta(days=today.weekday()), time(0), zone)


async def my_week(store: Store, member: Member, now: datetime, zone: str) -> list[Activity]:
    """My entries since Monday, newest first."""
    async with store.read() as tx:
        return await tx.activities.of_member(member.id, week_start(now, zone), now + timedelta(1))


async def group_week(store: Store, member: Member, now: datetime, zone: str) -> list[Activity]:
    """Entries this week in the groups I run (coordinators), newest first."""
    runs = [g for g in member.group_ids if member.coordinates(g)]
    if not runs:
        raise UnknownEntry("auth.not_allowed")
    async with store.read() as tx:
        return await tx.activities.of_groups(
            runs, week_start(now, zone), now + timedelta(1), LIST_LIMIT
        )


async def entry(store: Store, member: Member, activity_id: int) -> Activity:
    """An entry I may see (else UnknownEntry, as for one that does not exist)."""
    async with store.read() as tx:
        found = await tx.activities.get(activity_id)
    if found is None or not may_view(member, found):
        raise UnknownEntry()
    return found


async def view(
    store: Store, member: Member, activity_id: int, now: datetime
) -> tuple[Activity, bool, bool]:
    """An entry's card for me: (entry, note readable, changeable now)."""
    found = await entry(store, member, activity_id)
    return found, may_read_note(member, found), may_change(member, found, now)


async def change(
    store: Store,
    member: Member,
    activity_id: int,
    now: datetime,
    *,
    residents: str | None = None,
    minutes: int | None = None,
    note: str | None = None,
) -> Activity:
    """Correct an entry: its author within a day, its group's coordinators later (audited)."""
    fields: dict[str, str | int | None] = {}
    if residents is not None:
        if residents not in set(Residents):
            raise UnknownEntry("auth.stale_button")
        fields["residents"] = residents
    if minutes is not None:
        if minutes not in DURATIONS:
            raise UnknownEntry("auth.stale_button")
        fields["minutes"] = minutes
    if note is not None:
        fields["note"] = screen(note, MAX_NOTE)
    async with store.transaction() as tx:
        found = await tx.activities.get(activity_id)
        if found is None or not may_view(member, found):
            raise UnknownEntry()
        if not may_change(member, found, now):
            raise UnknownEntry("log.too_late")
        if "note" in fields and not may_read_note(member, found):
            raise UnknownEntry("auth.not_allowed")
        changed = await tx.activities.change(activity_id, now, **fields)
        await tx.prompts.cancel(member.id)
        await tx.audit.record(
            "activity.correct" if is_correction(member, found) else "activity.edit",
            now=now,
            actor_member_id=member.id,
            object_type="activity",
            object_id=activity_id,
            # The names of the fields, never their content.
            detail=",".join(sorted(fields)),
        )
    if changed is None:
        raise UnknownEntry()
    return changed


async def ask_note(store: Store, member: Member, activity_id: int, now: datetime) -> None:
    """Wait for a new note for this entry."""
    found = await entry(store, member, activity_id)
    if not may_change(member, found, now) or not may_read_note(member, found):
        raise UnknownEntry("log.too_late")
    async with store.transaction() as tx:
        await tx.prompts.ask(member.id, PROMPT_EDIT_NOTE, str(activity_id), now)


async def delete(store: Store, member: Member, activity_id: int, now: datetime) -> None:
    """Delete an entry (same rule as changing it); the audit keeps that it happened."""
    async with store.transaction() as tx:
        found = await tx.activities.get(activity_id)
        if found is None or not may_view(member, found):
            raise UnknownEntry()
        if not may_change(member, found, now):
            raise UnknownEntry("log.too_late")
        await tx.activities.delete(activity_id)
        await tx.audit.record(
            "activity.delete",
            now=now,
            actor_member_id=member.id,
            object_type="activity",
            object_id=activity_id,
            detail="correction" if is_correction(member, found) else None,
        )


async def mix(store: Store, group_ids: list[int], start: datetime, end: datetime) -> Mix:
    """Minutes of each kind in these groups over [start, end), and the current target."""
    async with store.read() as tx:
        minutes = await tx.activities.minutes_by_kind(group_ids, start, end)
        phases = await tx.activities.phases(group_ids)
    current = current_phases(phases)
    targets = [p.target_pct for p in current.values()]
    return Mix(
        boundary=minutes[Kind.BOUNDARY],
        relationship=minutes[Kind.RELATIONSHIP],
        target_pct=round(sum(targets) / len(targets)) if targets else None,
        phase=next(iter(current.values())).phase if len(current) == 1 else None,
    )


def current_phases(phases: list[GroupPhase]) -> dict[int, GroupPhase]:
    """The phase in force per group (the newest row), from a history in time order."""
    return {p.group_id: p for p in phases}


async def set_phase(
    store: Store,
    group_name: str,
    phase: Phase,
    target_pct: int | None,
    now: datetime,
    member: Member | None = None,
) -> tuple[Group, GroupPhase]:
    """Put a group in a phase (target defaults to the phase's); admins and the command line."""
    target = phase.default_target if target_pct is None else target_pct
    if not 0 <= target <= 100:
        raise ValueError("the target is a percentage, 0 to 100")
    async with store.transaction() as tx:
        group = await tx.groups.by_name(group_name)
        if group is None:
            raise UnknownGroup()
        await tx.activities.set_phase(group.id, phase, target, member.id if member else None, now)
        await tx.audit.record(
            "group.phase",
            now=now,
            actor_member_id=member.id if member else None,
            object_type="group",
            object_id=group.id,
            detail=f"{phase.value}:{target}",
        )
    return group, GroupPhase(group_id=group.id, phase=phase, target_pct=target, since=now)


async def group_name(store: Store, group_id: int) -> str:
    """A group's name ("?" if it is gone)."""
    async with store.read() as tx:
        group = await tx.groups.get(group_id)
    return group.name if group else "?"


async def phases_of(store: Store) -> list[tuple[Group, GroupPhase | None]]:
    """Every group with the phase it is in (None: never set)."""
    async with store.read() as tx:
        groups = await tx.groups.all()
        current = current_phases(await tx.activities.phases([g.id for g in groups]))
    return [(g, current.get(g.id)) for g in groups]
