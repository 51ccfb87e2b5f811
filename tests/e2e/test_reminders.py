"""Reminders through the running bot: sent at the right moment, and a restart in the middle
(a new Application over the same database) neither loses nor repeats anything."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.domain.models import Role
from bot.services import roster
from handlers.context import BotApplication
from handlers.jobs import scan_reminders
from tests.e2e.conftest import start_bot, stop_bot
from tests.factories import FakeClock, make_group, make_member
from tests.fakebot import FakeBotApi

SHIFT_START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # 10:00 Stockholm


async def _scan(app: BotApplication) -> None:
    assert app.job_queue is not None
    app.job_queue.run_once(scan_reminders, 0)


async def test_restart_neither_loses_nor_repeats(
    server: FakeBotApi, tmp_path: Path, clock: FakeClock
) -> None:
    db = tmp_path / "reminders.db"
    clock.now = SHIFT_START - timedelta(minutes=90)
    first = await start_bot(server, db, clock)
    store = first.bot_data.store
    group = await make_group(store)
    await make_member(store, 700, role=Role.COORDINATOR, group=group, agency=None, language="en")
    await make_member(store, 701, group=group, username="anna", language="en")
    await roster.import_roster(
        store,
        "member,group,start,end\n@anna,Rinkeby,2026-11-30T10:00,2026-11-30T18:00\n",
        clock.now,
    )
    anna = server.user(701, first_name="Anna", username="anna", language_code="en")
    await anna.send("/help")
    await anna.wait_for_count(1)

    clock.now = SHIFT_START - timedelta(minutes=60)
    await _scan(first)
    await anna.wait_for_message(lambda m: "starts in 60 min" in m.entities_text, earlier=True)
    await stop_bot(first)

    clock.now = SHIFT_START + timedelta(minutes=12)  # the missed check-in came due while down
    second = await start_bot(server, db, clock)  # its start-up scan catches up
    await anna.wait_for_message(lambda m: "not checked in" in m.entities_text, earlier=True)
    await _scan(second)
    await _scan(second)
    await stop_bot(second)
    texts = [m.entities_text for m in anna.messages]
    assert len([x for x in texts if "starts in 60 min" in x]) == 1
    assert len([x for x in texts if "not checked in" in x]) == 1


async def test_settings_change_the_lead_time(
    app: BotApplication, server: FakeBotApi, clock: FakeClock
) -> None:
    store = app.bot_data.store
    group = await make_group(store)
    await make_member(store, 710, group=group, username="bo", language="en")
    bo = server.user(710, first_name="Bo", username="bo", language_code="en")
    await bo.send("/settings")
    panel = await bo.wait_for_message(lambda m: "Settings" in m.entities_text)
    assert "Reminder before a shift: 60 min" in panel.entities_text
    await bo.press(panel, "⏰ 30 min")
    await server.wait_until(lambda: "before a shift: 30 min" in bo.message(panel).entities_text)
    await bo.press(bo.message(panel), "🔕 Quiet 22:00–07:00")
    await server.wait_until(lambda: "Quiet hours: 22:00–07:00" in bo.message(panel).entities_text)
    await roster.import_roster(
        store,
        "member,group,start,end\n@bo,Rinkeby,2026-11-30T10:00,2026-11-30T18:00\n",
        clock.now,
    )
    clock.now = SHIFT_START - timedelta(minutes=30)
    await _scan(app)
    await bo.wait_for_message(lambda m: "starts in 30 min" in m.entities_text, earlier=True)
