"""Coverage watch: tell coordinators once when an agency falls short, and once more only
when that changes (worse, or recovered); announce each planned gap of the next 12 hours once."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from bot.domain.coverage import count_at, gaps
from bot.domain.outbox import Priority
from bot.i18n import span
from bot.services.notify import notify
from storage.store import Store, Tx

GAP_NOTICE = timedelta(hours=12)
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
    planned: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for code, start, end in await tx.shifts.planned_by_agency(group_id, now, now + GAP_NOTICE):
        planned[code].append((start, end))
    actual: dict[str, int] = defaultdict(int)
    for _, _, present_agency, _ in await tx.presences.on_duty([group_id]):
        actual[present_agency or ""] += 1
    told = await tx.reminders.coverage_states(group_id)
    queued = 0
    for agency in (a.code for a in await tx.groups.agencies()):
        minimum = group.min_per_agency
        state = state_of(actual[agency], count_at(planned[agency], now), minimum)
        before = told.get(agency, OK)
        # Compare-and-set: when two instances see the same change, one moves it and tells.
        moved = state != before and await tx.reminders.move_coverage_state(
            group_id, agency, before, state, now
        )
        key = alert_for(before, state) if moved else None
        if key is not None:
            for person in coordinators:
                await notify(
                    tx,
                    person,
                    key,
                    dedup=f"watch:{group_id}:{agency}:{now.isoformat()}",
                    now=now,
                    priority=Priority.NORMAL,
                    agency=agency,
                    group=group.name,
                    count=actual[agency],
                    minimum=minimum,
                )
                queued += 1
        for gap in gaps(planned[agency], now, now + GAP_NOTICE, minimum):
            if gap.start <= now:
                continue  # a gap already under way is the "short" state above, or was announced
            key = f"gap:{group_id}:{agency}:{gap.start.isoformat()}"
            if not await tx.reminders.mark(key, "sent", gap.start, now):
                continue
            for person in coordinators:
                await notify(
                    tx,
                    person,
                    "watch.gap",
                    dedup=key,
                    now=now,
                    priority=Priority.NORMAL,
                    agency=agency,
                    group=group.name,
                    count=gap.lowest,
                    minimum=minimum,
                    when=span(person.language, gap.start, gap.end, group.timezone),
                )
                queued += 1
    return queued
