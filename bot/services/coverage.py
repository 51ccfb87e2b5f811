"""Who is here now against the staffing target, and where the plan for the week falls short."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.agencies import Directory
from bot.domain.callbacks import CoverTake
from bot.domain.coverage import Gap, overlaps
from bot.domain.errors import DomainError, NotAllowed, UnknownGroup
from bot.domain.models import Agency, Group, Member, Role
from bot.domain.outbox import Button, Priority
from bot.domain.shifts import OnShift, Shift
from bot.domain.staffing import Target, default_targets
from bot.i18n import span, t
from bot.services.notify import notify
from bot.services.rest import check_rest
from storage.store import Store, Tx

HORIZON = timedelta(days=7)
MAX_COVER = timedelta(hours=12)


@dataclass(frozen=True)
class AgencyNow:
    """One agency in one group right now: who counts, who is outside, who is missing."""

    agency: Agency
    present: list[str]
    minimum: int
    outside: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    left: tuple[tuple[str, datetime], ...] = ()  # checked out mid-shift: name, when

    @property
    def covered(self) -> bool:
        """At or above the minimum; a check-in outside the area does not count."""
        return len(self.present) >= self.minimum


@dataclass(frozen=True)
class GroupNow:
    """A group right now: the agencies its target names, and any other agency present."""

    group: Group
    agencies: list[AgencyNow]


@dataclass(frozen=True)
class AgencyGap:
    """A planned gap of one agency."""

    agency: Agency
    gap: Gap
    minimum: int


@dataclass(frozen=True)
class Coverage:
    """A group now, and its planned gaps over the coming week, earliest first."""

    now: GroupNow
    gaps: list[AgencyGap]
    start: datetime
    end: datetime
    targets: list[Target]
    planned: dict[str, list[tuple[datetime, datetime]]]


async def targets_of(tx: Tx, group: Group) -> list[Target]:
    """The group's staffing target, or the default: the group's minimum, round the clock,
    for each agency with members in the group."""
    targets = await tx.groups.targets(group.id)
    if targets:
        return targets
    staffed = (await tx.groups.directory()).staffing(await tx.groups.staffed_agencies(group.id))
    return default_targets(staffed, group.min_per_agency)


async def planned_by_target(
    tx: Tx, group_id: int, targets: list[Target], start: datetime, end: datetime
) -> dict[str, list[tuple[datetime, datetime]]]:
    """The group's planned shifts in [start, end) by the agency each counts toward (a unit's
    toward its agency, unless a target names the unit)."""
    directory, targeted = await tx.groups.directory(), {t.agency for t in targets}
    planned: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for agency, begins, ends in await tx.shifts.planned_by_agency(group_id, start, end):
        planned[directory.counted_as(agency, targeted) or agency].append((begins, ends))
    return planned


async def _visible_groups(tx: Tx, member: Member) -> list[Group]:
    if member.role is Role.ADMIN and not member.group_ids:
        return await tx.groups.all()
    return await tx.groups.many(member.group_ids)


def _group_now(
    group: Group,
    agencies: list[Agency],
    targets: list[Target],
    present: list[tuple[int, int, str | None, str, bool]],
    on_shift: list[OnShift],
    now: datetime,
) -> GroupNow:
    minimum = {t.agency: t.minimum_at(now, group.timezone) for t in targets}
    directory = Directory.of(agencies)
    inside: dict[str, list[str]] = defaultdict(list)
    outside: dict[str, list[str]] = defaultdict(list)
    here: set[int] = set()
    for member_id, group_id, own, name, within in present:
        code = directory.counted_as(own, minimum)
        if group_id == group.id and code:
            (inside if within else outside)[code].append(name)
        here.add(member_id)  # checked in anywhere: not "missing" here
    missing: dict[str, list[str]] = defaultdict(list)
    left: dict[str, list[tuple[str, datetime]]] = defaultdict(list)
    for planned in on_shift:
        code = directory.counted_as(planned.agency, minimum)
        if planned.group_id != group.id or not code or planned.member_id in here:
            continue
        if planned.left_at is None:
            missing[code].append(planned.name)
        else:  # came and went: not missing, and not counted either
            left[code].append((planned.name, planned.left_at))
    rows = []
    for agency in agencies:
        code = agency.code
        if code not in minimum and not (inside[code] or outside[code] or missing[code]
                                        or left[code]):  # fmt: skip
            continue  # never staffed here, nobody about: not a line of its own
        row = AgencyNow(
            agency,
            sorted(inside[code]),
            minimum.get(code, 0),
            tuple(sorted(outside[code])),
            tuple(sorted(missing[code])),
            tuple(sorted(left[code], key=lambda gone: gone[1])),
        )
        rows.append(row)
    return GroupNow(group, rows)


async def on_duty(store: Store, member: Member, now: datetime) -> list[GroupNow]:
    """Everyone checked in now in the member's groups, and who is planned but not here."""
    async with store.read() as tx:
        agencies = await tx.groups.agencies()
        groups = await _visible_groups(tx, member)
        ids = [g.id for g in groups]
        # One query each for all groups: an admin sees sixty.
        present = await tx.presences.present(ids)
        on_shift = await tx.shifts.on_shift(ids, now)
        set_targets = await tx.groups.targets_of(ids)
        staffed = await tx.groups.staffed_of(ids)
    directory = Directory.of(agencies)
    targets = {
        g.id: set_targets.get(g.id)
        or default_targets(directory.staffing(staffed.get(g.id, [])), g.min_per_agency)
        for g in groups
    }
    return [_group_now(g, agencies, targets[g.id], present, on_shift, now) for g in groups]


async def coverage(store: Store, member: Member, group_id: int, now: datetime) -> Coverage:
    """Actual coverage now and planned gaps for the next 7 days, for a group the member runs."""
    if not member.coordinates(group_id):
        raise NotAllowed()
    async with store.read() as tx:
        group = await tx.groups.get(group_id)
        if group is None:
            raise UnknownGroup()
        agencies = await tx.groups.agencies()
        targets = await targets_of(tx, group)
        current = _group_now(
            group,
            agencies,
            targets,
            await tx.presences.present([group.id]),
            await tx.shifts.on_shift([group.id], now),
            now,
        )
        planned = await planned_by_target(tx, group.id, targets, now, now + HORIZON)
    by_code = {a.code: a for a in agencies}
    found = [
        AgencyGap(by_code[t.agency], gap, t.minimum)
        for t in targets
        if t.agency in by_code
        for gap in t.gaps(planned.get(t.agency, []), now, now + HORIZON, group.timezone)
    ]
    found.sort(key=lambda g: (g.gap.start, g.gap.end, g.agency.code))
    return Coverage(current, found, now, now + HORIZON, targets, dict(planned))


class CoverRefused(DomainError):
    """The cover cannot be offered or taken (the key says why)."""


async def find_cover(
    store: Store,
    actor: Member,
    group_id: int,
    agency_code: str,
    start: datetime,
    end: datetime,
    now: datetime,
) -> int:
    """Offer a planned gap to the agency's colleagues in the group who are free then; the
    first to take it gets the shift (as with a swap). Returns how many were asked."""
    if not actor.coordinates(group_id):
        raise NotAllowed()
    start = max(start, now)
    end = min(end, start + MAX_COVER)  # one shift's worth; a longer gap is offered again
    if end <= start:
        raise CoverRefused("cover.past")
    async with store.transaction() as tx:
        group = await tx.groups.get(group_id)
        if group is None:
            raise UnknownGroup()
        colleagues = [
            m
            for m in await tx.members.in_groups([group_id], active_only=True)
            if m.agency_code == agency_code
            and not any(
                overlaps((start, end), (s.starts_at, s.ends_at))
                for s in await tx.shifts.of_member(m.id, start, end)
            )
            # Someone whose shift then was cancelled (marked absent, say) is not asked back.
            and not await tx.shifts.cancelled_of_member(m.id, start, end)
        ]
        if not colleagues:
            raise CoverRefused("cover.nobody", agency=await tx.groups.named(agency_code))
        offer_id = await tx.shifts.offer_cover(group_id, agency_code, start, end, actor.id, now)
        for colleague in colleagues:
            take = [[Button(text=t(colleague.language, "cover.take_button"),
                            data=CoverTake(offer_id).pack())]]  # fmt: skip
            await notify(
                tx,
                colleague,
                "cover.offered",
                dedup=f"cover:{offer_id}",
                now=now,
                priority=Priority.NORMAL,
                keyboard=take,
                ref=("cover", offer_id),
                group=group.name,
                when=span(colleague.language, start, end, group.timezone),
            )
        await tx.audit.record(
            "cover.offer", now=now, actor_member_id=actor.id, object_type="cover",
            object_id=offer_id,
        )  # fmt: skip
    return len(colleagues)


async def take_cover(store: Store, member: Member, offer_id: int, now: datetime) -> Shift:
    """Take a gap offered: the first to press gets the shift; the others see it is taken."""
    async with store.transaction() as tx:
        offer = await tx.shifts.cover_offer(offer_id)
        if offer is None:
            raise CoverRefused("swap.gone")
        group_id, agency, start, end, _offered_by, taken_by = offer
        if member.agency_code != agency or group_id not in member.group_ids:
            raise CoverRefused("swap.gone")
        if taken_by is not None:
            taker = await tx.members.get(taken_by)
            raise CoverRefused("swap.taken", name=taker.display_name if taker else "?")
        if end <= now:
            raise CoverRefused("swap.started")
        mine = await tx.shifts.of_member(member.id, start, end)
        if any(overlaps((s.starts_at, s.ends_at), (start, end)) for s in mine):
            raise CoverRefused("swap.clash")
        where = await tx.groups.get(group_id)
        await check_rest(tx, member, start, end, where.timezone if where else "UTC")
        shift_id = await tx.shifts.add(member.id, group_id, start, end, now)
        if shift_id is None or not await tx.shifts.take_cover(offer_id, member.id, shift_id, now):
            raise CoverRefused("swap.taken", name="?")
        group = await tx.groups.get(group_id)
        assert group is not None
        for person in await tx.members.coordinators_of([group_id]):
            await notify(
                tx,
                person,
                "cover.done",
                dedup=f"cover-done:{offer_id}",
                now=now,
                priority=Priority.NORMAL,
                name=member.display_name,
                agency=await tx.groups.named(agency),
                group=group.name,
                when=span(person.language, start, end, group.timezone),
            )
        for chat_id, language in await tx.outbox.copy_chats("cover", offer_id):
            taken = t(language, "swap.taken_by", name=member.display_name,
                      when=span(language, start, end, group.timezone))  # fmt: skip
            await tx.outbox.enqueue_edit(
                ref_type="cover", ref_id=offer_id, chat_id=chat_id, text=taken, keyboard=None,
                now=now,
            )  # fmt: skip
        await tx.audit.record(
            "cover.take", now=now, actor_member_id=member.id, object_type="shift",
            object_id=shift_id,
        )  # fmt: skip
    return Shift(id=shift_id, member_id=member.id, group_id=group_id, starts_at=start,
                 ends_at=end)  # fmt: skip


async def mark_absent(store: Store, actor: Member, shift_id: int, now: datetime) -> AbsentShift:
    """A coordinator marks a planned member absent: the shift is cancelled, the member told,
    and what is left of it is the gap to find cover for."""
    async with store.transaction() as tx:
        shift = await tx.shifts.get(shift_id)
        if shift is None or not actor.coordinates(shift.group_id) or shift.ends_at <= now:
            raise CoverRefused("shifts.unknown")
        member = await tx.members.get(shift.member_id)
        group = await tx.groups.get(shift.group_id)
        assert member is not None and group is not None
        if not await tx.shifts.cancel(shift_id, now):
            raise CoverRefused("shifts.unknown")
        await notify(
            tx,
            member,
            "absent.told",
            dedup=f"absent:{shift_id}",
            now=now,
            priority=Priority.NORMAL,
            when=span(member.language, shift.starts_at, shift.ends_at, group.timezone),
            group=group.name,
        )
        await tx.audit.record(
            "shift.absent", now=now, actor_member_id=actor.id, object_type="shift",
            object_id=shift_id,
        )  # fmt: skip
    return AbsentShift(shift, member, group, max(shift.starts_at, now))


@dataclass(frozen=True)
class AbsentShift:
    """A shift whose member was marked absent, and where the gap it leaves begins."""

    shift: Shift
    member: Member
    group: Group
    gap_start: datetime
