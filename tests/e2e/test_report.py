"""/report end to end: the progress edited in place, the album of five charts and the
workbook, confidential agencies hidden from a coordinator but not from an admin."""

from __future__ import annotations

import io
import os
import signal
from datetime import timedelta

from openpyxl import load_workbook
from PIL import Image

from bot.domain.callbacks import ReportPeriod
from bot.domain.models import Role
from bot.domain.periods import PeriodChoice
from bot.reports.worker import RENDER_TIMEOUT_S
from handlers.context import BotApplication
from storage.store import Store
from tests.factories import START, FakeClock, make_member
from tests.fakebot import FakeBotApi, FakeUser
from tests.scenes import report_scene

DAY = START - timedelta(hours=START.hour + 1)  # Monday 00:00 in Stockholm


async def _report(server: FakeBotApi, user: FakeUser, period: str) -> tuple[list, object]:
    """Ask for a report and wait for the album and the workbook; returns (photos, workbook)."""
    photos, documents = len(server.photos), len(server.documents)
    await user.send("/report")
    ask = await user.wait_for_message(lambda m: "Which period?" in m.entities_text)
    await user.press(ask, period)
    await server.wait_until(
        lambda: "is sent" in user.message(ask).entities_text, timeout=60, message="report"
    )
    progress = user.message(ask)
    assert progress.edits >= 7  # period chosen, figures, 5 charts, workbook, sending, done
    album = [p for p in server.photos[photos:] if p.chat_id == user.id]
    sent = [d for d in server.documents[documents:] if d.chat_id == user.id]
    assert len(album) == 5 and len(sent) == 1
    assert sent[0].document_name.endswith(".xlsx") and sent[0].protect_content
    return album, load_workbook(io.BytesIO(sent[0].document_bytes))


async def test_report_sends_the_album_and_the_workbook_with_need_to_know(
    app: BotApplication, server: FakeBotApi, bot_store: Store, clock: FakeClock
) -> None:
    group, people = await report_scene(bot_store, DAY)
    clock.now = DAY + timedelta(days=1, hours=8)  # Tuesday morning: Monday is in the past
    await make_member(bot_store, 799, role=Role.ADMIN, agency=None, name="Ada Admin",
                      language="en")  # fmt: skip
    coord, admin = server.user(700, language_code="en"), server.user(799, language_code="en")
    for user in (coord, admin):
        await user.send("/help")
        await user.wait_for_message(lambda m: "What you can do" in m.entities_text, earlier=True)

    album, book = await _report(server, coord, "This week")
    captions = [p.caption or "" for p in album]
    assert [c[:3] for c in captions] == ["1/5", "2/5", "3/5", "4/5", "5/5"]
    assert "75% relationship-building" in captions[1]  # 180 of 240 minutes, SAPO included
    assert "at least 27 residents" in captions[4]
    for photo in album:
        assert photo.protect_content
        assert Image.open(io.BytesIO(photo.document_bytes)).size == (1200, 675)
    summary = dict(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert summary["Hours staffed"] == 11.0 and summary["Flags raised"] == 1
    cells = {c for s in book.worksheets for row in s.iter_rows(values_only=True) for c in row}
    assert "Swedish Security Service" not in cells and "Säpo" not in cells  # never broken out
    assert "Sara Säpo" not in cells  # for coordinators
    assert "Anna Polis" in cells  # the group's own coordinator gets per-member attendance
    assert "Hemlig anteckning om rektorn" not in cells

    admin_album, admin_book = await _report(server, admin, "This week")
    cells = {
        c for s in admin_book.worksheets for row in s.iter_rows(values_only=True) for c in row
    }
    assert "Swedish Security Service" in cells and "Säpo" in cells and "Sara Säpo" in cells
    assert dict(admin_book.worksheets[0].iter_rows(min_row=2, values_only=True))[
        "Hours staffed"] == 11.0  # fmt: skip


async def test_report_refuses_experts_and_forged_groups(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    group, people = await report_scene(bot_store, DAY)
    anna, coord = server.user(701, language_code="en"), server.user(700, language_code="en")
    await anna.send("/report")
    refused = await anna.wait_for_message()
    assert "not allowed" in refused.entities_text
    await coord.send("/report")
    ask = await coord.wait_for_message(lambda m: "Which period?" in m.entities_text)
    query = await coord.press_data(ask, ReportPeriod(group.id + 1, PeriodChoice.THIS_WEEK).pack())
    await server.wait_until(lambda: query in server.callback_answers)
    assert server.callback_answers[query]["text"] == "You are not allowed to do that."
    assert server.photos == [] and server.documents == []


async def test_a_report_whose_worker_hangs_fails_in_time_and_the_next_is_drawn_afresh(
    app: BotApplication, server: FakeBotApi, bot_store: Store, clock: FakeClock
) -> None:
    await report_scene(bot_store, DAY)
    clock.now = DAY + timedelta(days=1, hours=8)
    renderer = app.bot_data.renderer
    worker = await renderer.run(os.getpid)
    os.kill(worker, signal.SIGSTOP)  # the worker lives on but never answers
    renderer.timeout_s = 1.0
    coord = server.user(700, language_code="en")
    await coord.send("/report")
    ask = await coord.wait_for_message(lambda m: "Which period?" in m.entities_text)
    await coord.press(ask, "This week")
    await server.wait_until(
        lambda: "could not be drawn" in coord.message(ask).entities_text, timeout=60
    )
    assert server.photos == [] and server.documents == []
    renderer.timeout_s = RENDER_TIMEOUT_S
    await _report(server, coord, "This week")  # a new worker draws it
