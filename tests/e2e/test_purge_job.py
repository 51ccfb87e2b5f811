"""The daily purge as the running bot schedules it: at the configured hour in the deployment's
time zone whatever the clocks do, in short transactions a member's check-in passes between,
and tried again later when the database is locked, the bot answering all along."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.app import build_application
from bot.domain.models import Group
from bot.lifecycle import start_application
from handlers import jobs
from handlers.context import BotApplication
from storage.rows import ts
from storage.store import Store
from tests.e2e.conftest import settings_for, stop_bot
from tests.factories import FakeClock, make_group, make_member
from tests.fakebot import FakeBotApi

OFFICE = (59.3880, 17.9280)
STOCKHOLM = ZoneInfo("Europe/Stockholm")
LOCATED = 20_000  # check-ins whose coordinates are past their day: a hundred transactions


@pytest.fixture
async def purging_app(
    server: FakeBotApi, tmp_path: Path, clock: FakeClock
) -> AsyncIterator[BotApplication]:
    """The bot purging at 04:00 Stockholm time, giving up on a locked database after 300 ms."""
    settings = settings_for(server, tmp_path / "purge.db").model_copy(
        update={"purge_hour": 4, "timezone": "Europe/Stockholm", "database_busy_timeout_ms": 300}
    )
    app = build_application(settings, clock=clock)
    await start_application(app)
    yield app
    await stop_bot(app)


async def test_the_purge_runs_daily_at_the_configured_hour_across_clock_changes(
    purging_app: BotApplication,
) -> None:
    assert purging_app.job_queue is not None
    (job,) = purging_app.job_queue.get_jobs_by_name("purge")
    trigger = job.job.trigger
    fired = []
    # Sweden's clocks go forward on 28 March 2027 and back on 31 October: the days before and
    # after each change, and a June day between.
    for day in (datetime(2027, 3, 26), datetime(2027, 3, 27), datetime(2027, 6, 1),
                datetime(2027, 10, 29), datetime(2027, 10, 30)):  # fmt: skip
        after = day.replace(hour=12, tzinfo=STOCKHOLM)
        fired.append(trigger.get_next_fire_time(None, after))
    local = [f.astimezone(STOCKHOLM) for f in fired]
    assert [(t.day, t.hour, t.minute) for t in local] == [
        (27, 4, 0), (28, 4, 0), (2, 4, 0), (30, 4, 0), (31, 4, 0)
    ]  # fmt: skip
    # The same local hour is another hour in UTC on either side of a change.
    assert [t.utcoffset() for t in local] == [timedelta(hours=h) for h in (1, 2, 2, 2, 1)]


async def test_the_purge_at_the_hour_the_clocks_skip_or_repeat(
    server: FakeBotApi, tmp_path: Path, clock: FakeClock
) -> None:
    # 02:00 does not exist on 28 March 2027 in Stockholm and exists twice on 31 October.
    settings = settings_for(server, tmp_path / "purge2.db").model_copy(
        update={"purge_hour": 2, "timezone": "Europe/Stockholm"}
    )
    app = build_application(settings, clock=clock)
    await start_application(app)
    try:
        assert app.job_queue is not None
        (job,) = app.job_queue.get_jobs_by_name("purge")
        local = [
            # Through UTC: the trigger names the skipped hour's run "02:00 CET", which
            # astimezone() to its own zone leaves as it is.
            f"{run.astimezone(UTC).astimezone(STOCKHOLM):%d/%m %H:%M %Z}"
            for day in (datetime(2027, 3, 27), datetime(2027, 10, 30))
            for run in _runs(job.job.trigger, day.replace(hour=12, tzinfo=STOCKHOLM), 3)
        ]
        # Spring: once, at the moment 02:00 winter time would be. Autumn: at 02:00 summer
        # time and again at 02:00 winter time (a second purge finds an hour's worth).
        assert local == [
            "28/03 03:00 CEST", "29/03 02:00 CEST", "30/03 02:00 CEST",
            "31/10 02:00 CEST", "31/10 02:00 CET", "01/11 02:00 CET",
        ]  # fmt: skip
    finally:
        await stop_bot(app)


def _runs(trigger: Any, after: datetime, count: int) -> list[datetime]:
    """The trigger's next runs as the scheduler asks for them: the previous run, and now (a
    moment in UTC: a second added to a wall-clock time in the repeated hour goes back)."""
    runs: list[datetime] = []
    now = after.astimezone(UTC)
    for _ in range(count):
        runs.append(trigger.get_next_fire_time(runs[-1] if runs else None, now))
        now = runs[-1].astimezone(UTC) + timedelta(seconds=1)
    return runs


async def _seed_located(store: Store, clock: FakeClock) -> tuple[int, Group]:
    """Many check-ins two days old with their coordinates: the member who made them."""
    group = await make_group(store)
    member = await make_member(store, 960, group=group, language="en")
    old = clock.now - timedelta(days=2)
    async with store.transaction() as tx:
        await tx.privacy._conn.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)"
            " INSERT INTO presences (member_id, group_id, checked_in_at, lat, lon, accuracy_m,"
            " distance_m, inside, checked_out_at) SELECT ?, ?, ?, 59.388, 17.928, 5, 10, 1, ?"
            " FROM n",
            (LOCATED, member.id, group.id, ts(old), ts(old + timedelta(hours=8))),
        )
    return member.id, group


async def _located(store: Store, member_id: int) -> int:
    async with store.read() as tx:
        rows = await tx.privacy._conn.execute_fetchall(
            "SELECT count(*) FROM presences WHERE member_id = ? AND lat IS NOT NULL",
            (member_id,),
        )
    return int(next(iter(rows))[0])


async def test_a_check_in_is_answered_while_the_purge_runs(
    server: FakeBotApi, purging_app: BotApplication, clock: FakeClock
) -> None:
    store = purging_app.bot_data.store
    seeded, group = await _seed_located(store, clock)
    await make_member(store, 961, group=group, language="en")
    user = server.user(961, first_name="Busy", language_code="en")
    assert purging_app.job_queue is not None
    (job,) = purging_app.job_queue.get_jobs_by_name("purge")

    purge = asyncio.create_task(job.run(purging_app))
    await server.wait_until(
        lambda: purge.done() or _started(store, seeded), message="the purge went to work"
    )
    await user.share_location(*OFFICE)
    await user.wait_for_message(lambda m: "Checked in" in m.entities_text)
    left = await _located(store, seeded)
    await purge
    assert left > 0, "the check-in was answered only once the purge had finished"
    assert await _located(store, seeded) == 0


async def _started(store: Store, member_id: int) -> bool:
    """Some coordinates dropped, not all: the purge is under way."""
    return 0 < await _located(store, member_id) < LOCATED


def _lock(app: BotApplication) -> sqlite3.Connection:
    """Another writer (the command line, say) holding the database's write lock."""
    other = sqlite3.connect(app.bot_data.settings.database_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


async def test_a_purge_behind_a_locked_database_is_logged_and_tried_again(
    server: FakeBotApi,
    purging_app: BotApplication,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(jobs, "PURGE_RETRY_S", 0.5)
    caplog.set_level(logging.WARNING)
    store = purging_app.bot_data.store
    seeded, _ = await _seed_located(store, clock)
    user = server.user(960, first_name="Keep", language_code="en")
    assert purging_app.job_queue is not None
    (job,) = purging_app.job_queue.get_jobs_by_name("purge")

    other = _lock(purging_app)
    try:
        await job.run(purging_app)
        assert "purge: the database is busy" in caplog.text
        assert purging_app.job_queue.get_jobs_by_name("purge-retry")
        assert await _located(store, seeded) == LOCATED
    finally:
        other.execute("COMMIT")
        other.close()
    await server.wait_until(
        lambda: _purged(store, seeded), timeout=30, message="the purge was tried again"
    )
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    await user.share_location(*OFFICE)
    await user.wait_for_message(lambda m: "Checked in" in m.entities_text)


async def _purged(store: Store, member_id: int) -> bool:
    return await _located(store, member_id) == 0
