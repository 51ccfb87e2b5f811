"""Coverage watch: tell coordinators once when an agency falls short, and once more only
when that changes (worse, or recovered); announce each planned gap of the next 12 hours once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from bot.domain.callbacks import CoverFind, ShiftAbsent
from bot.domain.coverage import count_at
from bot.domain.models import Member
from bot.domain.outbox import Button, Keyboard, Priority
from bot.i18n import span, t
from bot.services.coverage import planned_by_target, targets_of
from bot.services.notify import notify
from storage.store import Store, Tx

GAP_NOTICE = timedelta(hours=12)
GAP_LOOKAHEAD = timedelta(days=7)
MAX_ACTIONS = 5
OK = "ok"


UNPLANNED = "unplanned"


def state_of(actual: int, planned: int, minimum: int) -> str:
    """Below the minimum while the plan covers it: "short:<actual>"; at or above it: ok;
    below it with no plan to cover it (a planned gap, announced as such): unplanned."""
    if actual >= minimum:
        return OK
    return f"short:{actual}" if minimum <= planned else UNPLANNED


def alert_for(told: str, state: str) -> str | None:
    """What coordinators are told when the state changes: short (again, or worse), or
    covered again, which only someone back after a shortage can make true; the end of the
    plan that was short is no recovery."""
    if state == told:
        return None
    if state.startswith("short:"):
        return "watch.short"
    if state == OK and told.startswith("short:"):
        return "watch.recovered"
    return None


async def watch(store: Store, now: datetime) -> int:
    """One pass over every group; returns how many alerts were queued."""
    async with store.read() as tx:
        groups = await tx.groups.all()
    queued = 0
    for group in groups:
        async with store.transaction() as tx:
            queued += await _watch_group(tx, group.id, now)
    return queued


async def _watch_group(tx: Tx, group_id: int, now: datetime) -> int:
    group = await tx.groups.get(group_id)
    coordinators = await tx.members.coordinators_of([group_id])
    if group is None or not coordinators:
        return 0
    targets = await targets_of(tx, group)
    agencies, targeted = await tx.groups.directory(), {t.agency for t in targets}
    counted = partial(agencies.counted_as, targeted=targeted)
    # A gap is followed to its real end (up to a week), not cut at the notice window.
    planned = await planned_by_target(tx, group_id, targets, now, now + GAP_LOOKAHEAD)
    actual: dict[str, int] = defaultdict(int)
    here: set[int] = set()
    for member_id, _, present_agency, _, inside in await tx.presences.present([group_id]):
        here.add(member_id)
        if inside:  # a check-in outside the area does not count toward the minimum
            actual[counted(present_agency) or ""] += 1
    told = await tx.reminders.coverage_states(group_id)
    queued = 0
    for target in targets:
        agency, minimum = target.agency, target.minimum_at(now, group.timezone)
        named = agencies.entry(agency)
        state = state_of(actual[agency], count_at(planned[agency], now), minimum)
        before = told.get(agency, OK)
        # Compare-and-set: when two instances see the same change, one moves it and tells.
        moved = state != before and await tx.reminders.move_coverage_state(
            group_id, agency, before, state, now
        )
        key = alert_for(before, state) if moved else None
        if key is not None:
            absent = await _absent(tx, group_id, agency, here, now, counted) if (
                key == "watch.short") else []  # fmt: skip
            for person in coordinators:
                await notify(
                    tx,
                    person,
                    key,
                    dedup=f"watch:{group_id}:{agency}:{now.isoformat()}",
                    now=now,
                    priority=Priority.NORMAL,
                    keyboard=_absent_actions(person.language, absent) or None,
                    agency=named,
                    group=group.name,
                    count=actual[agency],
                    minimum=minimum,
                )
                queued += 1
        for gap in target.gaps(planned[agency], now, now + GAP_LOOKAHEAD, group.timezone):
            if gap.start <= now or gap.start > now + GAP_NOTICE:
                continue  # under way: the "short" state above; later: a later scan's
            key = f"gap:{group_id}:{agency}:{gap.start.isoformat()}"
            if not await tx.reminders.mark(key, "sent", gap.start, now):
                continue
            cover = CoverFind.of(group_id, agency, gap.start, gap.end).pack()
            for person in coordinators:
                button = Button(text=t(person.language, "cover.find_button"), data=cover)
                await notify(
                    tx,
                    person,
                    "watch.gap",
                    dedup=key,
                    now=now,
                    priority=Priority.NORMAL,
                    keyboard=[[button]],
                    agency=named,
                    group=group.name,
                    count=gap.lowest,
                    minimum=target.minimum,
                    when=span(person.language, gap.start, gap.end, group.timezone),
                )
                queued += 1
    return queued


async def _absent(
    tx: Tx,
    group_id: int,
    agency: str,
    here: set[int],
    now: datetime,
    counted_as: Callable[[str | None], str | None],
) -> list[tuple[Member, int]]:
    """(member, shift) of each of the agency's people planned now who never came: whoever
    checked in and left again is short, not absent (and not to be marked so)."""
    shifts = [
        s
        for s in await tx.shifts.of_group(group_id, now, now + timedelta(seconds=1))
        if s.starts_at <= now < s.ends_at and s.member_id not in here
    ]
    came = await tx.reminders.attended([s.id for s in shifts])
    shifts = [s for s in shifts if s.id not in came]
    people = await tx.members.many([s.member_id for s in shifts])
    return [
        (people[s.member_id], s.id)
        for s in shifts
        if s.member_id in people and counted_as(people[s.member_id].agency_code) == agency
    ][:MAX_ACTIONS]


def _absent_actions(lang: str, absent: list[tuple[Member, int]]) -> Keyboard:
    """Per person planned and not here: write to them, or mark them absent."""
    return [
        [
            Button(
                text=t(lang, "watch.write_button", name=m.display_name[:20]),
                url=f"tg://user?id={m.telegram_user_id}",
            ),
            Button(
                text=t(lang, "watch.absent_button", name=m.display_name[:20]),
                data=ShiftAbsent(shift_id).pack(),
            ),
        ]
        for m, shift_id in absent
    ]
