"""/checkout in the middle of a shift offers ↩️ Undo for a minute: it reopens the same check-in
(no second row), coverage counts it again, and coordinators hear "covered again" only if they
were told of the gap. Whoever left a shift early gets no "you are not checked in" reminder for
it, and is not reported as absent from it."""

from __future__ import annotations

import re
import sqlite3
from datetime import timedelta
from pathlib import Path

from bot.domain.models import Group, Role
from bot.services import reminders, roster, watch
from handlers.context import BotApplication
from handlers.jobs import scan_reminders
from storage.rows import ts
from storage.store import Store
from tests.e2e.conftest import start_bot, stop_bot
from tests.factories import START, FakeClock, make_group, make_member
from tests.fakebot import FakeBotApi, FakeUser, SentMessage
from tests.scenes import raise_flag

OFFICE = (59.3880, 17.9280)
UNDO = "↩️ Undo check-out"
# The watch's alerts name the agency (by code or by name): "⚠️ Rinkeby: … has 1 of 2 …".
WATCH = re.compile(r"(⚠️|✅) Rinkeby: ")
# Anna, Omar and Lena (all POL, the group's minimum is 2) work 08:00–16:00 Stockholm.
ROSTER = "member,group,start,end\n" + "".join(
    f"@{name},Rinkeby,2026-11-30T08:00,2026-11-30T16:00\n" for name in ("anna", "omar", "lena")
)


async def _scene(app: BotApplication, store: Store, server: FakeBotApi) -> dict[str, FakeUser]:
    # The coverage watch runs when the test says so, not on the real clock's 10th second.
    assert app.job_queue is not None
    for job in app.job_queue.get_jobs_by_name("watch"):
        job.schedule_removal()
    group = await make_group(store, "Rinkeby")
    await make_member(store, 800, role=Role.COORDINATOR, group=group, agency=None,
                      language="en", name="Coord")  # fmt: skip
    users = {"coord": server.user(800, first_name="Coord", language_code="en")}
    for uid, name in ((801, "Anna"), (802, "Omar"), (803, "Lena")):
        await make_member(store, uid, group=group, agency="POL", name=name,
                          username=name.lower(), language="en")  # fmt: skip
        users[name.lower()] = server.user(uid, first_name=name, language_code="en")
    for user in users.values():
        user.mark_started()
    await roster.import_roster(store, ROSTER, START - timedelta(days=1))
    return users


async def bot_store_group(store: Store) -> Group:
    async with store.read() as tx:
        group = await tx.groups.by_name("Rinkeby")
    assert group is not None
    return group


def _rows(db: Path, sql: str, *args: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute(sql, args).fetchall())


def _presences(db: Path, telegram_id: int) -> list[tuple[object, ...]]:
    return _rows(
        db,
        "SELECT p.id, p.checked_out_at FROM presences p JOIN members m ON m.id = p.member_id"
        " WHERE m.telegram_user_id = ?",
        telegram_id,
    )


async def _check_in(user: FakeUser) -> None:
    await user.share_location(*OFFICE, horizontal_accuracy=15.0)
    await user.wait_for_message(lambda m: "Checked in" in m.entities_text)


def _about_pol(coord: FakeUser) -> list[str]:
    """The coverage watch's alerts (the group has no agency but POL)."""
    return [m.entities_text for m in coord.messages if WATCH.match(m.entities_text)]


async def test_undo_reopens_the_same_check_in_and_tells_only_who_heard_of_the_gap(
    app: BotApplication, server: FakeBotApi, bot_store: Store, clock: FakeClock, tmp_path: Path
) -> None:
    users = await _scene(app, bot_store, server)
    anna, coord, db = users["anna"], users["coord"], tmp_path / "bot.db"
    clock.now = START + timedelta(minutes=5)
    await _check_in(anna)
    await _check_in(users["omar"])
    (before,) = _presences(db, 801)
    group = await bot_store_group(bot_store)
    await make_member(bot_store, 804, group=group, agency="TULL", language="en")
    async with bot_store.read() as tx:
        member = await tx.members.by_telegram_id(801)
    assert member is not None
    await raise_flag(bot_store, member, ["TULL"], clock.now)

    clock.now = START + timedelta(hours=2)  # 10:00: the shift runs until 16:00
    await anna.send("/checkout")
    out = await anna.wait_for_message(lambda m: "Checked out" in m.entities_text)
    mutes = "SELECT count(*) FROM flag_mutes"
    assert _rows(db, mutes) == [(1,)]  # Omar, on duty, took over Anna's flag
    assert UNDO in out.button_texts() and "Skip" in out.button_texts()
    assert "Pressed by mistake? ↩️ Undo within a minute." in out.entities_text
    clock.advance(seconds=40)
    await anna.press(out, UNDO)
    await server.wait_until(lambda: "undone" in anna.message(out).entities_text)
    assert anna.message(out).entities_text == (
        "↩️ Check-out undone: you are checked in at Rinkeby again since Mon 30/11 08:05."
    )
    assert anna.message(out).button_texts() == []
    assert _presences(db, 801) == [(before[0], None)]  # the same row, open again
    assert _rows(db, mutes) == [(0,)]  # and she follows her flag again
    assert (
        _rows(
            db,
            "SELECT * FROM prompts WHERE member_id = (SELECT id FROM members"
            " WHERE telegram_user_id = 801)",
        )
        == []
    )  # no handover note awaited
    await watch.watch(bot_store, clock.now)
    assert _about_pol(coord) == []  # never short while the coordinator looked: nothing to say

    clock.now = START + timedelta(hours=3)  # 11:00: out again, and this time the watch looks
    await anna.send("/checkout")
    out = await anna.wait_for_message(lambda m: "Checked out" in m.entities_text)
    await watch.watch(bot_store, clock.now)
    short = await coord.wait_for_message(lambda m: bool(WATCH.match(m.entities_text)))
    assert re.fullmatch(r"⚠️ Rinkeby: .+ has 1 of 2 present though the plan covers it\.",
                        short.entities_text)  # fmt: skip
    # Anna came and left: no "absent" for her (Lena, who never came, is one).
    assert "❌ Anna absent" not in short.button_texts()
    assert "❌ Lena absent" in short.button_texts()
    clock.advance(seconds=50)
    await anna.press(out, UNDO)
    await server.wait_until(lambda: "undone" in anna.message(out).entities_text)
    await watch.watch(bot_store, clock.now)
    back = await coord.wait_for_message(lambda m: bool(WATCH.match(m.entities_text)))
    assert re.fullmatch(r"✅ Rinkeby: .+ is covered again\.", back.entities_text)
    assert _presences(db, 801) == [(before[0], None)]

    await coord.send("/onduty")
    board = await coord.wait_for_message(lambda m: "on duty now" in m.entities_text)
    assert re.search(r"^✓ .+ 2/2 — Anna, Omar( ·|$)", board.entities_text, re.M)


async def test_too_late_to_undo_and_no_reminder_for_the_shift_just_left(
    app: BotApplication, server: FakeBotApi, bot_store: Store, clock: FakeClock, tmp_path: Path
) -> None:
    users = await _scene(app, bot_store, server)
    anna, db = users["anna"], tmp_path / "bot.db"
    clock.now = START + timedelta(minutes=5)
    await _check_in(anna)
    clock.now = START + timedelta(hours=1)  # 09:00: Anna leaves in the middle of her shift
    await anna.send("/checkout")
    out = await anna.wait_for_message(lambda m: "Checked out" in m.entities_text)

    clock.advance(seconds=61)
    pressed = await anna.press(out, UNDO)
    await server.wait_until(lambda: pressed in server.callback_answers)
    late = server.callback_answers[pressed]
    assert late["text"] == (
        "Too late to undo: it is more than a minute since you checked out. Send /checkin to"
        " check in again."
    )
    assert late["show_alert"]
    await server.wait_until(lambda: UNDO not in anna.message(out).button_texts())
    assert "Skip" in anna.message(out).button_texts()  # the handover question still stands
    assert [closed for _, closed in _presences(db, 801)] != [None]

    # The scan runs through the rest of the shift: Lena, who never came, is reminded and
    # reported; Anna, who came and left, is neither.
    for minutes in (62, 80, 180, 479):
        await reminders.run_due(bot_store, START + timedelta(minutes=minutes))
    await users["lena"].wait_for_message(
        lambda m: "not checked in" in m.entities_text, earlier=True
    )
    await users["coord"].wait_for_message(
        lambda m: (
            m.entities_text.startswith("❗ Lena (") and "has not checked in" in m.entities_text
        ),
        earlier=True,
    )
    since_she_left = _rows(
        db,
        "SELECT count(*) FROM outbox WHERE chat_id = 801 AND kind = 'send' AND created_at > ?",
        ts(START + timedelta(hours=1)),
    )
    assert since_she_left == [(0,)]
    assert not [m for m in users["coord"].messages if "Anna (" in m.entities_text]


async def test_no_undo_at_the_end_of_the_shift(
    app: BotApplication, server: FakeBotApi, bot_store: Store, clock: FakeClock
) -> None:
    users = await _scene(app, bot_store, server)
    anna = users["anna"]
    clock.now = START + timedelta(minutes=5)
    await _check_in(anna)
    clock.now = START + timedelta(hours=8, minutes=2)  # 16:02: the shift is over
    await anna.send("/checkout")
    out = await anna.wait_for_message(lambda m: "Checked out" in m.entities_text)
    assert UNDO not in out.button_texts() and "Undo" not in out.entities_text


async def test_who_left_mid_shift_is_shown_as_left_not_as_not_checked_in(
    app: BotApplication, server: FakeBotApi, bot_store: Store, clock: FakeClock
) -> None:
    users = await _scene(app, bot_store, server)
    anna, coord, lena = users["anna"], users["coord"], users["lena"]
    clock.now = START + timedelta(minutes=5)
    await _check_in(anna)
    await _check_in(users["omar"])
    clock.now = START + timedelta(hours=1)  # 09:00 Stockholm: Anna leaves mid-shift
    await anna.send("/checkout")
    await anna.wait_for_message(lambda m: "Checked out" in m.entities_text)
    clock.now = START + timedelta(hours=1, minutes=30)
    pol = "✗ Swedish Police Authority 1/2 — Omar · not checked in: Lena · Anna left at 09:00"

    await coord.send("/onduty")
    board = await coord.wait_for_message(lambda m: "on duty now" in m.entities_text)
    assert board.entities_text.split("\n") == ["Rinkeby — on duty now", pol]
    await coord.send("/coverage")
    report = await coord.wait_for_message(lambda m: "Now (checked in):" in m.entities_text)
    now = report.entities_text.split("Now (checked in):\n", 1)[1]
    assert now.split("\n") == [pol]

    async with bot_store.transaction() as tx:
        member = await tx.members.by_telegram_id(803)
        assert member is not None
        await tx.members.set_language(member.id, "sv")
    await lena.send("/onduty")
    svenska = await lena.wait_for_message(lambda m: "i tjänst nu" in m.entities_text)
    assert svenska.entities_text.split("\n")[1] == (
        "✗ Polismyndigheten 1/2 — Omar · ej incheckad: Lena · Anna gick 09:00"
    )


DONE_AT_09 = "👋 Checked out at 09:00. Write a handover note for the next colleague, or skip."


async def _check_out_at_nine(anna: FakeUser, clock: FakeClock) -> SentMessage:
    clock.now = START + timedelta(minutes=5)
    await _check_in(anna)
    clock.now = START + timedelta(hours=1)  # 09:00: the shift runs until 16:00
    await anna.send("/checkout")
    out = await anna.wait_for_message(lambda m: "Checked out" in m.entities_text)
    assert UNDO in out.button_texts()
    return out


async def test_the_undo_button_goes_by_itself_when_the_minute_is_over(
    app: BotApplication, server: FakeBotApi, bot_store: Store, clock: FakeClock
) -> None:
    users = await _scene(app, bot_store, server)
    anna = users["anna"]
    out = await _check_out_at_nine(anna, clock)
    clock.advance(seconds=61)
    assert app.job_queue is not None
    app.job_queue.run_once(scan_reminders, 0)  # the scan's next beat, not 30 s from now
    await server.wait_until(lambda: UNDO not in anna.message(out).button_texts())
    assert anna.message(out).entities_text == DONE_AT_09  # the hint went with the button
    assert anna.message(out).button_texts() == [
        "👥 To every agency's next shift",
        "🏢 Choose agencies…",
        "Skip",
    ]  # the handover question still stands


async def test_a_restart_inside_the_minute_still_takes_the_undo_button_off(
    server: FakeBotApi, tmp_path: Path, clock: FakeClock
) -> None:
    db = tmp_path / "restart.db"
    first = await start_bot(server, db, clock)
    users = await _scene(first, first.bot_data.store, server)
    anna = users["anna"]
    out = await _check_out_at_nine(anna, clock)
    await stop_bot(first)

    clock.advance(seconds=75)  # the minute ran out while the bot was down
    second = await start_bot(server, db, clock)  # its start-up scan catches up
    try:
        await server.wait_until(lambda: UNDO not in anna.message(out).button_texts())
        assert anna.message(out).entities_text == DONE_AT_09
    finally:
        await stop_bot(second)


async def test_a_message_moved_on_by_a_button_is_not_turned_back(
    app: BotApplication, server: FakeBotApi, bot_store: Store, clock: FakeClock, tmp_path: Path
) -> None:
    users = await _scene(app, bot_store, server)
    anna = users["anna"]
    out = await _check_out_at_nine(anna, clock)
    await anna.press(out, "Skip")  # within the minute: the message says so, without buttons
    await server.wait_until(lambda: anna.message(out).entities_text == "No handover.")
    clock.advance(seconds=61)
    await reminders.run_due(bot_store, clock.now)
    edits = "SELECT count(*) FROM outbox WHERE kind = 'edit' AND chat_id = 801"
    assert _rows(tmp_path / "bot.db", edits) == [(0,)]
    assert anna.message(out).entities_text == "No handover."
