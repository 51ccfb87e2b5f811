"""Planning: import a roster, add or cancel one shift; members hear of their changes."""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from bot.domain.coverage import overlaps
from bot.domain.errors import DomainError, NotAllowed, UnknownGroup, UnknownMember
from bot.domain.models import Group, Member
from bot.domain.outbox import Priority
from bot.domain.shifts import (
    RosterProblem,
    Shift,
    parse_roster,
    roster_text,
    roster_time,
    shift_problem,
)
from bot.i18n import span
from bot.services.quiet import notify_awake
from storage.store import Store, Tx


class RosterInvalid(DomainError):
    """The roster has problems; nothing was imported."""

    key = "roster.invalid"

    def __init__(self, problems: list[RosterProblem]) -> None:
        super().__init__()
        self.problems = problems


class RosterNotText(DomainError):
    """The file is not a text file (a workbook renamed .csv, an image); nothing was imported."""

    key = "roster.not_text"


class ShiftInvalid(DomainError):
    """A single shift cannot be planned as asked."""


@dataclass
class ImportReport:
    """What an import did."""

    added: int = 0
    unchanged: int = 0
    members_told: int = 0
    added_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class _Planned:
    line: int
    member: Member
    group: Group
    start: datetime
    end: datetime


async def import_roster_file(
    store: Store, raw: bytes, now: datetime, actor: Member | None = None
) -> ImportReport:
    """Import a roster file as sent or saved: the bot and the command line read it alike."""
    text = roster_text(raw)
    if text is None:
        raise RosterNotText()
    return await import_roster(store, text, now, actor)


async def import_roster(
    store: Store, text: str, now: datetime, actor: Member | None = None
) -> ImportReport:
    """Check the whole roster first; import all of it or nothing. `actor` None: the CLI."""
    lines, problems = parse_roster(text)
    async with store.transaction() as tx:
        planned: list[_Planned] = []
        members: dict[str, Member | None] = {}
        groups: dict[str, Group | None] = {}
        for line in lines:
            ref = line.member.lower()
            if ref not in members:
                members[ref] = await _member_by_ref(tx, line.member)
            if line.group.lower() not in groups:
                groups[line.group.lower()] = await tx.groups.by_name(line.group)
            member, group = members[ref], groups[line.group.lower()]
            problem = _line_problem(member, group, actor)
            if problem is not None:
                problems.append(RosterProblem(line.line, problem, line.member))
                continue
            assert member and group
            start = roster_time(line.start, group.timezone, line.line)
            end = roster_time(line.end, group.timezone, line.line)
            if isinstance(start, RosterProblem):
                problems.append(start)
                continue
            if isinstance(end, RosterProblem):
                problems.append(end)
                continue
            problem = shift_problem(start, end)
            if problem is not None:
                problems.append(RosterProblem(line.line, problem, line.member))
                continue
            planned.append(_Planned(line.line, member, group, start, end))
        problems.extend(await _overlap_problems(tx, planned))
        if problems:
            raise RosterInvalid(sorted(problems, key=lambda p: p.line))
        return await _add_all(tx, planned, now, actor)


async def _member_by_ref(tx: Tx, ref: str) -> Member | None:
    ref = ref.strip()
    if ref.isdigit():
        return await tx.members.get(int(ref))
    return await tx.members.by_username(ref) if ref else None


def _line_problem(member: Member | None, group: Group | None, actor: Member | None) -> str | None:
    if member is None or not member.active:
        return "roster.unknown_member"
    if group is None:
        return "roster.unknown_group"
    if actor is not None and not actor.coordinates(group.id):
        return "roster.not_your_group"
    if group.id not in member.group_ids:
        return "roster.not_in_group"
    return None


async def _overlap_problems(tx: Tx, planned: list[_Planned]) -> list[RosterProblem]:
    problems: list[RosterProblem] = []
    by_member: dict[int, list[_Planned]] = defaultdict(list)
    for item in planned:
        by_member[item.member.id].append(item)
    for items in by_member.values():
        items.sort(key=lambda p: p.start)
        for a, b in itertools.pairwise(items):
            same = (a.group.id, a.start, a.end) == (b.group.id, b.start, b.end)
            if not same and overlaps((a.start, a.end), (b.start, b.end)):
                problems.append(RosterProblem(b.line, "roster.overlap", f"{a.line}"))
        first, last = items[0].start, max(p.end for p in items)
        existing = await tx.shifts.of_member(items[0].member.id, first, last)
        for item in items:
            if any(_clashes(item, shift) for shift in existing):
                problems.append(RosterProblem(item.line, "roster.overlap_existing", ""))
    return problems


def _clashes(item: _Planned, shift: Shift) -> bool:
    identical = (shift.group_id, shift.starts_at, shift.ends_at) == (
        item.group.id,
        item.start,
        item.end,
    )
    return not identical and overlaps((item.start, item.end), (shift.starts_at, shift.ends_at))


async def _add_all(
    tx: Tx, planned: list[_Planned], now: datetime, actor: Member | None
) -> ImportReport:
    report = ImportReport()
    news: dict[int, list[_Planned]] = defaultdict(list)
    for item in planned:
        shift_id = await tx.shifts.add(item.member.id, item.group.id, item.start, item.end, now)
        if shift_id is None:
            report.unchanged += 1
            continue
        report.added += 1
        report.added_ids.append(shift_id)
        if item.end > now:
            news[item.member.id].append(item)
    for items in news.values():
        member = items[0].member
        lines = "\n".join(
            "• " + span(member.language, p.start, p.end, p.group.timezone) + f" ({p.group.name})"
            for p in items
        )
        first_id = report.added_ids[0]
        await notify_awake(
            tx,
            member,
            "shifts.added_many",
            zone=items[0].group.timezone,
            starts=min(p.start for p in items),
            dedup=f"roster:{first_id}",
            now=now,
            priority=Priority.BULK,  # an import tells many people at once
            lines=lines,
        )
        report.members_told += 1
    await tx.audit.record(
        "roster.import",
        now=now,
        actor_member_id=actor.id if actor else None,
        detail=f"added={report.added} unchanged={report.unchanged}",
    )
    return report


async def add_shift(
    store: Store,
    actor: Member,
    member_id: int,
    group_id: int,
    start: datetime,
    end: datetime,
    now: datetime,
) -> int:
    """Plan one shift from the bot; the member is told."""
    if not actor.coordinates(group_id):
        raise NotAllowed()
    problem = shift_problem(start, end)
    if problem is not None:
        raise ShiftInvalid(problem)
    async with store.transaction() as tx:
        member = await tx.members.get(member_id)
        group = await tx.groups.get(group_id)
        if group is None:
            raise UnknownGroup()
        if member is None or not member.active or group_id not in member.group_ids:
            raise UnknownMember()
        for shift in await tx.shifts.of_member(member_id, start, end):
            if overlaps((start, end), (shift.starts_at, shift.ends_at)):
                raise ShiftInvalid("roster.overlap_existing")
        shift_id = await tx.shifts.add(member_id, group_id, start, end, now)
        if shift_id is None:
            raise ShiftInvalid("roster.overlap_existing")
        await notify_awake(
            tx,
            member,
            "shifts.added",
            zone=group.timezone,
            starts=start,
            dedup=f"shift-added:{shift_id}",
            now=now,
            priority=Priority.NORMAL,
            when=span(member.language, start, end, group.timezone),
            group=group.name,
        )
        await tx.audit.record(
            "shift.add", now=now, actor_member_id=actor.id, object_type="shift", object_id=shift_id
        )
    return shift_id


async def cancel_shift(store: Store, actor: Member, shift_id: int, now: datetime) -> Shift:
    """Cancel one shift; the member is told if it had not ended."""
    async with store.transaction() as tx:
        shift = await tx.shifts.get(shift_id)
        if shift is None or not actor.coordinates(shift.group_id):
            raise ShiftInvalid("shifts.unknown")
        await tx.shifts.cancel(shift_id, now)
        member = await tx.members.get(shift.member_id)
        group = await tx.groups.get(shift.group_id)
        if member is not None and group is not None and shift.ends_at > now:
            await notify_awake(
                tx,
                member,
                "shifts.cancelled",
                zone=group.timezone,
                starts=shift.starts_at,
                dedup=f"shift-cancelled:{shift_id}",
                now=now,
                priority=Priority.NORMAL,
                group=group.name,
                when=span(member.language, shift.starts_at, shift.ends_at, group.timezone),
            )
        await tx.audit.record(
            "shift.cancel",
            now=now,
            actor_member_id=actor.id,
            object_type="shift",
            object_id=shift_id,
        )
    return shift
