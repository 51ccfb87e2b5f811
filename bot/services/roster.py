"""Planning: import a roster, add or cancel one shift; members hear of their changes."""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from bot.domain.callbacks import CalendarCancel
from bot.domain.coverage import overlaps
from bot.domain.errors import DomainError, NotAllowed, UnknownGroup, UnknownMember
from bot.domain.models import Group, Member
from bot.domain.outbox import Button, Priority
from bot.domain.shifts import (
    RosterProblem,
    Shift,
    parse_roster,
    rest_problem,
    roster_text,
    roster_time,
    shift_problem,
)
from bot.i18n import Hours, span, t
from bot.services.quiet import notify_awake
from bot.services.rest import REST_WINDOW, ShiftInvalid, check_rest
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


@dataclass
class ImportReport:
    """What an import did."""

    added: int = 0
    unchanged: int = 0
    members_told: int = 0
    added_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Planned:
    """A shift about to be planned, with the line (or position) it came from."""

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
        planned: list[Planned] = []
        names = _Names(tx)
        groups: dict[str, Group | None] = {}
        for line in lines:
            if line.group.lower() not in groups:
                groups[line.group.lower()] = await tx.groups.by_name(line.group)
            group = groups[line.group.lower()]
            try:
                member = await names.member(line.member, group)
            except _Ambiguous as exc:
                problems.append(
                    RosterProblem(line.line, "roster.ambiguous_member", line.member, exc.names)
                )
                continue
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
            planned.append(Planned(line.line, member, group, start, end))
        problems.extend(await plan_problems(tx, planned))
        if problems:
            raise RosterInvalid(sorted(problems, key=lambda p: p.line))
        return await add_planned(tx, planned, now, actor)


# "12", or "12 Omar Aziz (POL)" as the template writes it: the member id comes first.
_BY_ID = re.compile(r"(\d+)(?:\s.*)?", re.DOTALL)
# "Omar (POL)", "Omar Aziz (POL)" or "Omar (Polismyndigheten)": a name and an agency.
_BY_NAME = re.compile(r"(.+?)\s*\(([^()]+)\)")


class _Ambiguous(Exception):
    def __init__(self, names: str) -> None:
        super().__init__()
        self.names = names


class _Names:
    """Who a roster line means: by member id, @username, or "Förnamn (MYNDIGHET)" when unique
    among the group's members (members without a username cannot be named otherwise)."""

    def __init__(self, tx: Tx) -> None:
        self._tx = tx
        self._seen: dict[tuple[str, int | None], Member | None] = {}
        self._groups: dict[int, list[Member]] = {}
        self._agencies: dict[str, str] | None = None

    async def member(self, ref: str, group: Group | None) -> Member | None:
        key = (ref.strip().casefold(), group.id if group else None)
        if key not in self._seen:
            self._seen[key] = await self._find(ref.strip(), group)
        return self._seen[key]

    async def _find(self, ref: str, group: Group | None) -> Member | None:
        if by_id := _BY_ID.fullmatch(ref):
            return await self._tx.members.get(int(by_id.group(1)))
        named = _BY_NAME.fullmatch(ref)
        if named is None:
            return await self._tx.members.by_username(ref) if ref else None
        if group is None:
            return None
        agency = (await self._agency_codes()).get(named.group(2).strip().casefold())
        if agency is None:
            return None
        wanted = named.group(1).casefold()
        if group.id not in self._groups:
            self._groups[group.id] = await self._tx.members.in_groups([group.id], active_only=True)
        people = [m for m in self._groups[group.id] if m.agency_code == agency]
        fits = [m for m in people if m.display_name.casefold() == wanted] or [
            m for m in people if m.display_name.split()[0].casefold() == wanted
        ]
        if len(fits) > 1:
            raise _Ambiguous(", ".join(sorted(m.display_name for m in fits)))
        return fits[0] if fits else None

    async def _agency_codes(self) -> dict[str, str]:
        if self._agencies is None:
            agencies = await self._tx.groups.agencies()
            # "Omar (POL)", "Omar (Polisen)", "Omar (Police)": any form people read names it.
            self._agencies = {
                form.casefold(): a.code
                for a in agencies
                for form in (a.short("en"), a.short("sv"), a.named("en"), a.name, a.code)
            }
        return self._agencies


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


async def plan_problems(tx: Tx, planned: list[Planned]) -> list[RosterProblem]:
    """Overlaps and rest-time problems of shifts about to be planned, by line."""
    problems: list[RosterProblem] = []
    by_member: dict[int, list[Planned]] = defaultdict(list)
    for item in planned:
        by_member[item.member.id].append(item)
    for items in by_member.values():
        items.sort(key=lambda p: p.start)
        for a, b in itertools.pairwise(items):
            same = (a.group.id, a.start, a.end) == (b.group.id, b.start, b.end)
            if not same and overlaps((a.start, a.end), (b.start, b.end)):
                problems.append(RosterProblem(b.line, "roster.overlap", f"{a.line}"))
        first, last = items[0].start, max(p.end for p in items)
        existing = await tx.shifts.of_member(
            items[0].member.id, first - REST_WINDOW, last + REST_WINDOW
        )
        for item in items:
            if any(_clashes(item, shift) for shift in existing):
                problems.append(RosterProblem(item.line, "roster.overlap_existing", ""))
        problems.extend(_rest_problems(items, existing))
    return problems


def _rest_problems(items: list[Planned], existing: list[Shift]) -> list[RosterProblem]:
    spans = {(p.start, p.end) for p in items} | {(s.starts_at, s.ends_at) for s in existing}
    found: list[RosterProblem] = []
    for item in items:
        others = [o for o in spans if o != (item.start, item.end)]
        problem = rest_problem(item.start, item.end, others)
        if problem is not None:
            found.append(RosterProblem(item.line, f"roster.{problem.key}", Hours(problem.hours)))
    return found


def _clashes(item: Planned, shift: Shift) -> bool:
    identical = (shift.group_id, shift.starts_at, shift.ends_at) == (
        item.group.id,
        item.start,
        item.end,
    )
    return not identical and overlaps((item.start, item.end), (shift.starts_at, shift.ends_at))


async def add_planned(
    tx: Tx, planned: list[Planned], now: datetime, actor: Member | None
) -> ImportReport:
    """Add checked shifts; their members are told (one message each)."""
    report = ImportReport()
    news: dict[int, list[Planned]] = defaultdict(list)
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
        await check_rest(tx, member, start, end, group.timezone, lang=actor.language)
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
                keyboard=[
                    [
                        Button(
                            text=t(member.language, "shifts.ics_update_button"),
                            data=CalendarCancel(shift_id).pack(),
                        )
                    ]
                ],
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
