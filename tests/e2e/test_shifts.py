"""Shifts end to end: roster import, check-in and -out, handover, swaps, coverage, calendar."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from icalendar import Calendar

from bot.domain.models import Role
from bot.services import roster
from handlers.context import BotApplication
from storage.store import Store
from tests.factories import START, FakeClock, make_group, make_member
from tests.fakebot import FakeBotApi

OFFICE = (59.3880, 17.9280)
ROSTER = (
    "member,group,start,end\n"
    "@anna,Rinkeby,2026-11-30T08:00,2026-11-30T16:00\n"
    "@bo,Rinkeby,2026-11-30T22:00,2026-12-01T06:00\n"  # crosses midnight
    "@anna,Rinkeby,2026-12-01T08:00,2026-12-01T16:00\n"
)


async def _people(store: Store, server: FakeBotApi):
    group = await make_group(store, "Rinkeby")
    await make_member(
        store,
        500,
        role=Role.COORDINATOR,
        group=group,
        language="en",
        username="coord",
        agency=None,
    )
    await make_member(
        store, 501, group=group, agency="POL", name="Anna", username="anna", language="en"
    )
    await make_member(
        store, 502, group=group, agency="POL", name="Bo", username="bo", language="en"
    )
    await make_member(
        store, 503, group=group, agency="TULL", name="Cid", username="cid", language="en"
    )
    users = {}
    names = {500: "Coord", 501: "Anna", 502: "Bo", 503: "Cid"}
    for uid, name in names.items():
        users[uid] = server.user(uid, first_name=name, username=name.lower(), language_code="en")
        await users[uid].send("/help")
    for uid in users:
        await users[uid].wait_for_count(1)
    return group, users


async def test_roster_with_a_bad_line_imports_nothing_then_imports_once(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    group, users = await _people(bot_store, server)
    coord = users[500]
    bad = (
        ROSTER
        + "@nobody,Rinkeby,2026-12-02T08:00,2026-12-02T16:00\n"
        + ("@bo,Rinkeby,2026-12-03T16:00,2026-12-03T08:00\n")
    )
    await coord.upload_document("roster.csv", bad.encode(), mime_type="text/csv")
    report = await coord.wait_for_message(lambda m: "not imported" in m.entities_text)
    assert "Line 5: unknown member @nobody" in report.entities_text
    assert "Line 6: ends before it starts" in report.entities_text
    async with bot_store.read() as tx:
        assert (
            await tx.shifts.of_group(
                group.id, START - timedelta(days=1), START + timedelta(days=9)
            )
            == []
        )

    await coord.upload_document("roster.csv", ROSTER.encode(), mime_type="text/csv")
    done = await coord.wait_for_message(lambda m: "Roster imported" in m.entities_text)
    assert "3 new shifts, 0 already there. 2 people were told" in done.entities_text
    told = await users[502].wait_for_message(
        lambda m: "New shifts" in m.entities_text, earlier=True
    )
    assert "Mon 30/11 22:00–Tue 1/12 06:00" in told.entities_text  # Stockholm time

    await coord.upload_document("roster.csv", ROSTER.encode(), mime_type="text/csv")
    again = await coord.wait_for_message(lambda m: "Roster imported" in m.entities_text)
    assert "0 new shifts, 3 already there" in again.entities_text


async def test_check_in_inside_outside_twice_and_not_a_location(
    app: BotApplication, server: FakeBotApi, bot_store: Store, clock: FakeClock
) -> None:
    group, users = await _people(bot_store, server)
    await roster.import_roster(bot_store, ROSTER, START - timedelta(days=1))
    anna, bo = users[501], users[502]
    clock.now = START + timedelta(minutes=12)  # 08:12 Stockholm: Anna's shift began 08:00
    await anna.send("/checkin")
    ask = await anna.wait_for_message(lambda m: "Share your location" in m.entities_text)
    assert ask.reply_markup is not None and ask.reply_markup["keyboard"][0][0]["request_location"]
    await anna.send("here I am")
    # (At 08:12 the missed check-in reminder for her 08:00 shift may arrive too.)
    await anna.wait_for_message(lambda m: "Press the" in m.entities_text, earlier=True)
    await anna.share_location(*OFFICE, horizontal_accuracy=15.0)
    done = await anna.wait_for_message(lambda m: "Checked in" in m.entities_text)
    assert "Checked in at Rinkeby at 08:12" in done.entities_text
    assert "12 min late" in done.entities_text and "outside" not in done.entities_text

    await anna.share_location(*OFFICE)
    await anna.wait_for_message(
        lambda m: (
            m.entities_text
            == "You are already checked in at Rinkeby since Mon 30/11 08:12 (inside the area)."
            " To check out, send /checkout."
        )
    )

    await bo.share_location(OFFICE[0] + 0.05, OFFICE[1], horizontal_accuracy=10.0)  # ~5.6 km
    outside = await bo.wait_for_message(lambda m: "Checked in" in m.entities_text)
    assert "outside the area" in outside.entities_text
    assert "No planned shift" in outside.entities_text

    stranger_group = server.user(599, first_name="Lone", language_code="en")
    await make_member(bot_store, 599, group=None, agency="AF", language="en")
    await stranger_group.share_location(*OFFICE)
    assert "not in any group" in (await stranger_group.wait_for_message()).entities_text

    await users[503].send("/onduty")
    board = await users[503].wait_for_message(lambda m: "on duty now" in m.entities_text)
    # Bo checked in outside the area: named as such, and not counted.
    assert "✗ Swedish Police Authority 1/2 — Anna, Bo (outside the area)" in board.entities_text
    assert "✗ Swedish Customs 0/2" in board.entities_text
    assert "Employment Service" not in board.entities_text


async def test_checkin_when_checked_in_says_so_at_once(
    app: BotApplication, server: FakeBotApi, bot_store: Store, clock: FakeClock
) -> None:
    await _people(bot_store, server)
    bo = server.user(502, first_name="Bo", username="bo", language_code="en")
    clock.now = START + timedelta(hours=15, minutes=5)  # 23:05 Stockholm
    await bo.share_location(OFFICE[0] + 0.05, OFFICE[1], horizontal_accuracy=10.0)  # ~5.6 km
    await bo.wait_for_message(lambda m: "Checked in" in m.entities_text)
    clock.now = START + timedelta(hours=17, minutes=30)  # 01:30 the next day
    await bo.send("/checkin")
    already = await bo.wait_for_message()
    assert already.entities_text == (
        "You are already checked in at Rinkeby since Mon 30/11 23:05 (outside the area,"
        " 5.6 km from the office). To check out, send /checkout."
    )
    assert already.reply_markup is None or "keyboard" not in already.reply_markup
    # No location was asked for: a word now is not taken as a failed check-in.
    await bo.send("hello")
    assert "Press the" not in (await bo.wait_for_message()).entities_text
    await bo.send("/checkout")
    assert "Checked out" in (await bo.wait_for_message()).entities_text
    await bo.send("/checkin")
    assert "Share your location" in (await bo.wait_for_message()).entities_text


async def test_checkout_handover_is_screened_delivered_and_acknowledged(
    app: BotApplication, server: FakeBotApi, bot_store: Store, clock: FakeClock
) -> None:
    group, users = await _people(bot_store, server)
    anna, bo = users[501], users[502]
    await anna.share_location(*OFFICE)
    await anna.wait_for_message(lambda m: "Checked in" in m.entities_text)
    await bo.share_location(*OFFICE)
    await bo.wait_for_message(lambda m: "Checked in" in m.entities_text)
    clock.advance(hours=8)
    await anna.send("/checkout")
    await anna.wait_for_message(lambda m: "Checked out" in m.entities_text)
    await anna.send("Följ upp 811218-9876 i morgon")
    refused = await anna.wait_for_message()
    assert "personal identity" in refused.entities_text
    await anna.send('Larm <vid> "torget" & porten — ärende K-2026-114')
    await anna.wait_for_message(lambda m: "handover went to 1" in m.entities_text)
    note = await bo.wait_for_message(lambda m: "Handover from" in m.entities_text, earlier=True)
    assert 'Larm <vid> "torget" & porten — ärende K-2026-114' in note.entities_text
    assert note.protect_content
    assert not [m for m in users[503].messages if "Handover" in m.entities_text]  # other agency
    await bo.press(note, "✅ Acknowledge")
    told = await anna.wait_for_message(
        lambda m: "acknowledged your handover" in m.entities_text, earlier=True
    )
    assert "Bo acknowledged your handover" in told.entities_text
    await server.wait_until(lambda: "Acknowledged by" in bo.message(note).entities_text)
    async with bot_store.read() as tx:
        entries = await tx.audit.recent()
    assert "811218" not in str(entries) and "torget" not in str(entries)


async def test_swap_race_between_two_colleagues(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    group, users = await _people(bot_store, server)
    await make_member(bot_store, 504, group=group, agency="POL", name="Dag", language="en")
    dag = server.user(504, first_name="Dag", language_code="en")
    await dag.send("/help")
    await dag.wait_for_count(1)
    await roster.import_roster(
        bot_store,
        "member,group,start,end\n@anna,Rinkeby,2026-12-02T08:00,2026-12-02T16:00\n",
        START,
    )
    anna, bo = users[501], users[502]
    await anna.send("/shifts")
    week = await anna.wait_for_message(lambda m: "Your shifts" in m.entities_text)
    assert "Wed 2/12 08:00–16:00 — Rinkeby" in week.entities_text
    await anna.press(week, week.button_texts()[0])
    offer_bo = await bo.wait_for_message(lambda m: "offers" in m.entities_text, earlier=True)
    offer_dag = await dag.wait_for_message(lambda m: "offers" in m.entities_text, earlier=True)
    assert not [m for m in users[503].messages if "offers" in m.entities_text]  # TULL
    first, second = await asyncio.gather(
        bo.press(offer_bo, "Take the shift"), dag.press(offer_dag, "Take the shift")
    )
    await server.wait_until(
        lambda: first in server.callback_answers and second in server.callback_answers
    )
    async with bot_store.read() as tx:
        taken = await tx.shifts.of_member(2, START, START + timedelta(days=7))  # Anna's
        bo_shifts = await tx.shifts.of_member(3, START, START + timedelta(days=7))
        dag_shifts = await tx.shifts.of_member(5, START, START + timedelta(days=7))
    assert taken == []
    assert len(bo_shifts) + len(dag_shifts) == 1
    loser = dag if bo_shifts else bo
    loser_offer = offer_dag if bo_shifts else offer_bo
    await server.wait_until(
        lambda: (
            "was taken by" in loser.message(loser_offer).entities_text
            or "Already taken" in str(server.callback_answers)
        )
    )
    await anna.wait_for_message(lambda m: "took over the shift" in m.entities_text, earlier=True)
    await users[500].wait_for_message(lambda m: "took over" in m.entities_text, earlier=True)


async def test_coverage_shows_a_gap_and_calendar_file(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    group, users = await _people(bot_store, server)
    await roster.import_roster(bot_store, ROSTER, START)
    coord = users[500]
    await coord.send("/coverage")
    report = await coord.wait_for_message(lambda m: "Coverage Rinkeby" in m.entities_text)
    text = report.entities_text
    assert "✗ Swedish Police Authority 0/2" in text
    assert "Swedish Police Authority: Mon 30/11 08:00–Mon 7/12 08:00, 0–1 of 2" in text
    assert "Swedish Customs: Mon 30/11 08:00–Mon 7/12 08:00, 0 of 2" in text
    assert len(text) <= 4096

    await users[501].send("/calendar")
    await server.wait_until(lambda: bool(server.documents))
    ics = Calendar.from_ical(server.documents[-1].document_bytes)
    events = [c for c in ics.walk("VEVENT")]
    assert len(events) == 2
    assert events[0]["SUMMARY"] == "Shift: Rinkeby"
    assert events[0].decoded("DTSTART").isoformat().startswith("2026-11-30T07:00")
