"""Plan next week like this one: a group's shifts copied a week later by the clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.errors import NotAllowed, UnknownGroup
from bot.domain.localtime import on_day, to_utc
from bot.domain.models import Member
from bot.services.roster import ImportReport, Planned, RosterInvalid, add_planned, plan_problems
from storage.store import Store

WEEK = timedelta(days=7)


@dataclass(frozen=True)
class CopiedWeek:
    """What copying did, and the week it filled (Monday's date)."""

    report: ImportReport
    monday: date


async def copy_week(store: Store, actor: Member, group_id: int, now: datetime) -> CopiedWeek:
    """Copy the group's shifts of this week (Monday to Sunday) to next week at the same
    wall-clock times, all of them or none (the roster's rules: overlaps and rest)."""
    if not actor.coordinates(group_id):
        raise NotAllowed()
    async with store.transaction() as tx:
        group = await tx.groups.get(group_id)
        if group is None:
            raise UnknownGroup()
        zone = group.timezone
        today = now.astimezone(ZoneInfo(zone)).date()
        monday = today - timedelta(days=today.weekday())
        first, last = (
            on_day(monday, datetime.min.time(), zone),
            on_day(monday + WEEK, datetime.min.time(), zone),
        )
        shifts = [
            s for s in await tx.shifts.of_group(group_id, first, last) if s.starts_at >= first
        ]
        people = await tx.members.many(list({s.member_id for s in shifts}))
        planned: list[Planned] = []
        for number, shift in enumerate(shifts, start=1):
            member = people.get(shift.member_id)
            if member is None or not member.active or group_id not in member.group_ids:
                continue
            # A week later by the clock, not 168 hours: 07:00 stays 07:00 across a DST change.
            start = to_utc(_wall(shift.starts_at, zone) + WEEK, zone)
            end = to_utc(_wall(shift.ends_at, zone) + WEEK, zone)
            planned.append(Planned(number, member, group, start, end))
        problems = await plan_problems(tx, planned)
        if problems:
            raise RosterInvalid(problems)
        report = await add_planned(tx, planned, now, actor)
    return CopiedWeek(report, monday + WEEK)


def _wall(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
