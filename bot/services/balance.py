"""The work mix against each group's target: the digest's line and the two-week alert.

A group is "below" when relationship-building work was under its target share in each of
the last two 7-day windows; its coordinators are told once when that starts and once when
it ends (like the coverage watch). A window with no logged work says nothing either way.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.figures import percent_shares
from bot.domain.outbox import Priority
from bot.domain.worklog import GroupPhase, Kind
from bot.i18n import Markup, t
from bot.services.notify import notify
from storage.store import Store, Tx

WEEK = timedelta(days=7)
OK, BELOW = "ok", "below"


def share(minutes: dict[Kind, int]) -> int | None:
    """Relationship-building's whole-percent share of logged time; None with none logged."""
    values = [minutes[Kind.BOUNDARY], minutes[Kind.RELATIONSHIP]]
    return percent_shares(values)[1] if sum(values) else None


async def _phase(tx: Tx, group_id: int) -> GroupPhase | None:
    phases = await tx.activities.phases([group_id])
    return phases[-1] if phases else None


async def balance_line(tx: Tx, group_id: int, lang: str, at: datetime) -> Markup:
    """The digest's line: the last 7 days' mix against the target."""
    minutes = await tx.activities.minutes_by_kind([group_id], at - WEEK, at)
    phase = await _phase(tx, group_id)
    target = (
        t(
            lang,
            "balance.target",
            target=phase.target_pct,
            phase=t(lang, f"phase.{phase.phase.value}"),
        )
        if phase is not None
        else ""
    )
    pct = share(minutes)
    if pct is None:
        return t(lang, "digest.balance_none", target=target)
    hours = round(sum(minutes.values()) / 60, 1)
    return t(lang, "digest.balance", share=f"{pct} %", hours=hours, target=target)


async def watch_balance(store: Store, now: datetime) -> int:
    """One pass over every group with a phase; returns how many alerts were queued."""
    async with store.read() as tx:
        groups = await tx.groups.all()
    queued = 0
    for group in groups:
        async with store.transaction() as tx:
            queued += await _watch_group(tx, group.id, group.name, now)
    return queued


async def _watch_group(tx: Tx, group_id: int, name: str, now: datetime) -> int:
    phase = await _phase(tx, group_id)
    if phase is None:
        return 0
    earlier = share(await tx.activities.minutes_by_kind([group_id], now - 2 * WEEK, now - WEEK))
    latest = share(await tx.activities.minutes_by_kind([group_id], now - WEEK, now))
    told = await tx.activities.balance_state(group_id)
    below = all(s is not None and s < phase.target_pct for s in (earlier, latest))
    if below:
        state = BELOW
    elif latest is not None and latest >= phase.target_pct:
        state = OK
    else:
        state = told  # no news either way: keep what was said
    if state == told:
        return 0
    await tx.activities.set_balance_state(group_id, state, now)
    coordinators = await tx.members.coordinators_of([group_id])
    for person in coordinators:
        await notify(
            tx,
            person,
            "balance.below" if state == BELOW else "balance.recovered",
            dedup=f"balance:{group_id}:{state}:{now.isoformat()}",
            now=now,
            priority=Priority.BULK,
            group=name,
            first=f"{earlier} %",
            second=f"{latest} %",
            share=f"{latest} %",
            target=phase.target_pct,
        )
    return len(coordinators)
