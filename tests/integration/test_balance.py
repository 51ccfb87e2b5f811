"""The balance line of the digest and the two-week alert, over real storage."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.models import Role
from bot.domain.worklog import Phase
from bot.services import balance
from bot.services import worklog as svc
from bot.services.digest import digest_text
from storage.store import Store
from tests.factories import START, make_group, make_member
from tests.scenes import log_work

WEEK = timedelta(days=7)


async def _queued(store: Store, key: str) -> int:
    async with store.db.read() as conn:
        rows = await conn.execute_fetchall(
            "SELECT count(*) FROM outbox WHERE dedup_key LIKE ?", (f"balance:%:{key}:%",)
        )
    return next(iter(rows))[0]


async def test_two_weeks_below_target_alerts_once_and_recovery_once(store: Store) -> None:
    group = await make_group(store, "Järva")
    anna = await make_member(store, 1, agency="POL", group=group)
    await make_member(store, 2, role=Role.COORDINATOR, agency=None, group=group)
    await make_member(store, 3, role=Role.COORDINATOR, agency=None, group=group)
    await svc.set_phase(store, "Järva", Phase.PREVENT, 60, START - 3 * WEEK)
    for days in (10, 3):  # one week ago and this week: 25% relationship-building each
        at = START - timedelta(days=days)
        await log_work(store, anna, at, "boundary", "control", 120)
        await log_work(store, anna, at, "relationship", "dialogue", 30)
        await log_work(store, anna, at, "boundary", "control", 30)
    assert await balance.watch_balance(store, START) == 2  # both coordinators
    assert await balance.watch_balance(store, START + timedelta(hours=1)) == 0  # on change only
    assert await _queued(store, "below") == 2
    later = START + timedelta(days=1)
    await log_work(store, anna, later, "relationship", "school_visit", 240)
    await log_work(store, anna, later, "relationship", "outreach", 240)
    assert await balance.watch_balance(store, later + timedelta(minutes=1)) == 2
    assert await _queued(store, "ok") == 2


async def test_one_week_below_or_no_phase_says_nothing(store: Store) -> None:
    group = await make_group(store, "Järva")
    other = await make_group(store, "Husby", lat=59.41, lon=17.93)
    anna = await make_member(store, 1, agency="POL", group=group)
    bo = await make_member(store, 4, agency="POL", group=other)
    await make_member(store, 2, role=Role.COORDINATOR, agency=None, group=group)
    await svc.set_phase(store, "Järva", Phase.FIGHT, None, START - 3 * WEEK)
    await log_work(store, anna, START - timedelta(days=10), "relationship", "dialogue", 60)
    await log_work(store, anna, START - timedelta(days=3), "boundary", "control", 60)
    await log_work(store, bo, START - timedelta(days=3), "boundary", "control", 60)
    assert await balance.watch_balance(store, START) == 0  # only one week below; Husby: no phase


async def test_the_digest_line_shows_the_mix_against_the_target(store: Store) -> None:
    group = await make_group(store, "Järva")
    anna = await make_member(store, 1, agency="POL", group=group)
    async with store.read() as tx:
        assert "no work logged" in await balance.balance_line(tx, group.id, "en", START)
    await svc.set_phase(store, "Järva", Phase.PREVENT, None, START - WEEK)
    await log_work(store, anna, START - timedelta(days=2), "relationship", "dialogue", 120)
    await log_work(store, anna, START - timedelta(days=2), "boundary", "control", 60)
    await log_work(store, anna, START - timedelta(days=9), "boundary", "control", 240)  # older
    async with store.read() as tx:
        line = await balance.balance_line(tx, group.id, "en", START)
        digest = await digest_text(tx, group.id, "en", START)
    assert (
        line == "⚖️ Last 7 days: 67 % relationship-building (3.0 h logged) — target 60% (prevent)."
    )
    assert line in digest
