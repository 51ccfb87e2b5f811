"""Rostering without friction: a roster saved by a Swedish Excel (Namn/Grupp/Start/Slut,
semicolons), members without a username named by their member id or "Förnamn (MYNDIGHET)",
and a template to fill in, sent from /plan."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from icalendar import Calendar

from bot.domain.models import Role
from bot.services import roster as roster_service
from bot.services.invites import hash_code
from handlers.context import BotApplication
from storage.store import Store
from tests.e2e.test_cli import run_cli
from tests.factories import START, make_group, make_member
from tests.fakebot import FakeBotApi, FakeUser, SentMessage


async def _scene(store: Store, server: FakeBotApi) -> tuple[FakeUser, int, int]:
    group = await make_group(store, "Rinkeby")
    await make_member(store, 600, role=Role.COORDINATOR, group=group, agency=None,
                      language="en", username="coord")  # fmt: skip
    sara = await make_member(store, 601, group=group, agency="SKV", name="Sara Lind")
    omar = await make_member(store, 602, group=group, agency="POL", name="Omar Aziz")
    await make_member(store, 603, group=group, agency="SKV", name="Sara Berg")  # two Saras
    return server.user(600, first_name="Coord", language_code="en"), sara.id, omar.id


async def _shifts(store: Store, member_id: int) -> list[tuple[datetime, datetime]]:
    async with store.read() as tx:
        shifts = await tx.shifts.of_member(
            member_id, datetime(2026, 11, 30, tzinfo=UTC), datetime(2026, 12, 31, tzinfo=UTC)
        )
    return [(s.starts_at, s.ends_at) for s in shifts]


async def _plan(coord: FakeUser) -> SentMessage:
    """/plan: with one group it goes straight to the group's people."""
    await coord.send("/plan")
    return await coord.wait_for_message(lambda m: m.entities_text == "Who?")


async def _tap(
    server: FakeBotApi, coord: FakeUser, flow: SentMessage, button: str, then: str
) -> None:
    """Press a button of the /plan message and wait until it shows `then`."""
    await coord.press(coord.message(flow), button)
    await server.wait_until(lambda: then in coord.message(flow).entities_text)


async def test_a_swedish_excel_roster_names_people_by_id_or_first_name_and_agency(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    coord, sara_id, omar_id = await _scene(bot_store, server)
    await coord.send("/members")
    listing = await coord.wait_for_message(lambda m: "Members of Rinkeby" in m.entities_text)
    assert f"Sara Lind (expert) · no. {sara_id}" in listing.entities_text

    roster = "\r\n".join(
        [
            "Namn;Grupp;Start;Slut",
            f"{sara_id};Rinkeby;2026-12-01 08:00;2026-12-01 16:00",
            "Omar (POL);Rinkeby;2026-12-02 08:00;2026-12-02 16:00",
        ]
    )
    await coord.upload_document("schema.csv", roster.encode("cp1252"))
    done = await coord.wait_for_message(lambda m: "Roster imported" in m.entities_text)
    assert "2 new shifts" in done.entities_text
    assert await _shifts(bot_store, sara_id) == [
        (datetime(2026, 12, 1, 7, tzinfo=UTC), datetime(2026, 12, 1, 15, tzinfo=UTC))
    ]
    assert await _shifts(bot_store, omar_id) == [
        (datetime(2026, 12, 2, 7, tzinfo=UTC), datetime(2026, 12, 2, 15, tzinfo=UTC))
    ]


async def test_a_first_name_shared_by_two_is_refused_with_the_reason(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    coord, sara_id, _ = await _scene(bot_store, server)
    roster = "Medlem;Grupp;Start;Slut\nSara (SKV);Rinkeby;2026-12-01T08:00;2026-12-01T16:00\n"
    await coord.upload_document("schema.csv", roster.encode())
    said = await coord.wait_for_message()
    assert "Line 2: Sara (SKV) fits more than one member (Sara Berg, Sara Lind)" in (
        said.entities_text
    )
    assert await _shifts(bot_store, sara_id) == []


async def test_plan_sends_a_template_that_imports_as_it_is_filled_in(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    coord, sara_id, omar_id = await _scene(bot_store, server)
    flow = await _plan(coord)
    await coord.press(coord.message(flow), "📄 Roster template (CSV)")
    sent = await coord.wait_for_message(lambda m: m.document_name is not None)
    assert sent.document_name == "roster-Rinkeby.csv"
    assert sent.document_bytes is not None
    rows = list(csv.reader(io.StringIO(sent.document_bytes.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Medlem", "Grupp", "Start", "Slut"]
    people = [r[0] for r in rows[1:]]
    # Agencies by name, in the coordinator's language: the importer reads names too.
    assert f"{omar_id} Omar Aziz (Swedish Police Authority)" in people
    assert f"{sara_id} Sara Lind (Swedish Tax Agency)" in people
    assert len(people) == 4  # the coordinator too: coordinators may work shifts
    assert all(r[1] == "Rinkeby" and r[2:] == ["", ""] for r in rows[1:])

    omar = people.index(f"{omar_id} Omar Aziz (Swedish Police Authority)") + 1
    rows[omar][2:] = ["2026-12-03 07:00", "2026-12-03 15:00"]  # Omar works; the others do not
    filled = io.StringIO()
    csv.writer(filled, delimiter=";").writerows(rows)
    await coord.upload_document("roster-Rinkeby.csv", filled.getvalue().encode("utf-8-sig"))
    done = await coord.wait_for_message(lambda m: "Roster imported" in m.entities_text)
    assert "1 new shifts" in done.entities_text
    assert await _shifts(bot_store, omar_id) == [
        (datetime(2026, 12, 3, 6, tzinfo=UTC), datetime(2026, 12, 3, 14, tzinfo=UTC))
    ]


def test_the_command_line_writes_the_template_and_reads_it_back(tmp_path: Path) -> None:
    cli = partial(run_cli, tmp_path)
    assert cli("group", "add", "Rinkeby", "--lat", "59.39", "--lon", "17.93",
               "--radius-m", "300").returncode == 0  # fmt: skip
    made = cli("shifts", "template", "--group", "Rinkeby", "--out", "t.csv")
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "t.csv").read_bytes() == "\ufeffMedlem;Grupp;Start;Slut\r\n".encode()
    empty = cli("shifts", "import", "t.csv")
    assert empty.returncode == 1 and "the file is empty" in empty.stderr


async def test_a_multi_use_invite_for_an_agency_and_group(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    coord, _, _ = await _scene(bot_store, server)
    await coord.send("/invite")
    await coord.press(await coord.wait_for_message(), "Rinkeby")
    await server.wait_until(lambda: "Which agency?" in coord.last.entities_text)
    await coord.press(coord.last, "Police")
    await server.wait_until(lambda: "How many places?" in coord.last.entities_text)
    assert coord.last.button_texts() == [
        "1 person · 3 days",
        "10 places · 7 days",
        "25 places · 7 days",
    ]
    await coord.press(coord.last, "10 places · 7 days")
    await server.wait_until(lambda: "t.me/" in coord.last.entities_text)
    made = coord.last.entities_text
    assert "Swedish Police Authority Rinkeby, 10 places, valid 7 days" in made
    code = made.split("start=")[1].split()[0]

    first = server.user(701, first_name="Ada", language_code="en")
    await first.send(f"/start {code}")
    assert (
        "registered as expert for Swedish Police Authority"
        in (await first.wait_for_message()).entities_text
    )
    second = server.user(702, first_name="Bea", language_code="en")
    await second.send(f"/start {code}")
    assert "Welcome, Bea" in (await second.wait_for_message()).entities_text
    await first.send(f"/start {code}")  # the link again, from the chat history
    again = await first.wait_for_message()
    assert again.entities_text.startswith("You are already registered")
    async with bot_store.read() as tx:
        invite = await tx.invites.by_code_hash(hash_code(code))
    assert invite is not None and invite.uses_left == 8  # reopening took no place


async def test_plans_rosters_and_swaps_keep_eleven_hours_of_rest(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    coord, sara_id, omar_id = await _scene(bot_store, server)
    await roster_service.import_roster(
        bot_store,
        "member,group,start,end\n"
        f"{omar_id},Rinkeby,2026-11-30T14:00,2026-11-30T22:00\n"
        f"{sara_id},Rinkeby,2026-12-01T06:00,2026-12-01T14:00\n"
        "Sara Berg (SKV),Rinkeby,2026-11-30T14:00,2026-11-30T22:00\n",
        START,
    )
    bad = (
        "Namn;Grupp;Start;Slut\n"
        "Omar (POL);Rinkeby;2026-12-01 06:00;2026-12-01 14:00\n"
        "Omar (POL);Rinkeby;2026-12-03 06:00;2026-12-03 20:00\n"
    )
    await coord.upload_document("schema.csv", bad.encode())
    said = (
        await coord.wait_for_message(lambda m: "not imported" in m.entities_text)
    ).entities_text
    assert "Line 2: only 8 h of rest after the shift before (at least 11 h)" in said
    assert "Line 3: longer than 13 hours" in said

    flow = await _plan(coord)
    await _tap(server, coord, flow, "Omar Aziz (Police)", "upcoming shifts")
    await _tap(server, coord, flow, "➕ New shift", "which day?")
    await _tap(server, coord, flow, "Tue 1/12", "start?")
    await _tap(server, coord, flow, "07:00", "how long?")
    await _tap(server, coord, flow, "8 h", "Not possible")
    assert coord.message(flow).entities_text == (
        "Not possible: only 9 h of rest after the shift Mon 30/11 14:00–22:00 (at least 11 h,"
        " the Working Hours Act)."
    )

    lind = server.user(601, first_name="Sara", language_code="sv")
    berg = server.user(603, first_name="Sara", language_code="sv")
    assert await swap_refused(server, lind, berg) == (
        "Går inte: bara 8 h vila efter passet mån 30/11 14:00–22:00 (minst 11 h, arbetstidslagen)."
    )


async def swap_refused(server: FakeBotApi, giver: FakeUser, taker: FakeUser) -> str:
    """The giver (Swedish) offers their first shift in /shifts; what the taker's "Ta passet"
    is answered."""
    taker.mark_started()
    await giver.send("/shifts")
    week = await giver.wait_for_message(lambda m: "Rinkeby" in m.entities_text)
    await giver.press(week, week.button_texts()[0])
    offer = await taker.wait_for_message(lambda m: "erbjuder" in m.entities_text, earlier=True)
    refused = await taker.press(offer, "Ta passet")
    await server.wait_until(lambda: refused in server.callback_answers)
    return str(server.callback_answers[refused]["text"])


async def test_calendar_events_carry_place_and_a_cancellation_follows(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    coord, _, omar_id = await _scene(bot_store, server)
    line = f"{omar_id},Rinkeby,2026-12-01T08:00,2026-12-01T16:00"
    await roster_service.import_roster(bot_store, f"member,group,start,end\n{line}\n", START)
    omar = server.user(602, first_name="Omar", language_code="en")
    async with bot_store.transaction() as tx:
        await tx.members.set_language(omar_id, "en")
    await omar.send("/calendar")
    await server.wait_until(lambda: bool(server.documents))
    (event,) = Calendar.from_ical(server.documents[-1].document_bytes).walk("VEVENT")
    assert str(event["LOCATION"]) == "Rinkeby"
    assert event["GEO"].to_ical() == "59.388;17.928"
    assert "Check in with /checkin" in str(event["DESCRIPTION"])
    assert event["SEQUENCE"] == 0 and str(event["STATUS"]) == "CONFIRMED"
    uid = str(event["UID"])

    flow = await _plan(coord)
    # "Omar (POL)" once the profile refresh has taken his Telegram name, which runs apart
    # from the answer to /calendar: either is him.
    omar_button = next(b for b in coord.message(flow).button_texts() if b.startswith("Omar"))
    await _tap(server, coord, flow, omar_button, "upcoming shifts")
    await coord.press(coord.message(flow), "🗑 Tue 1/12 08:00–16:00")
    told = await omar.wait_for_message(lambda m: "is cancelled" in m.entities_text, earlier=True)
    await omar.press(told, "📅 Update my calendar")
    await server.wait_until(lambda: len(server.documents) == 2)
    cancel = Calendar.from_ical(server.documents[-1].document_bytes)
    assert str(cancel["METHOD"]) == "CANCEL"
    (gone,) = cancel.walk("VEVENT")
    assert str(gone["UID"]) == uid and str(gone["STATUS"]) == "CANCELLED"
    assert gone["SEQUENCE"] == 1

    await omar.send("/calendar")  # the whole calendar says so too
    await server.wait_until(lambda: len(server.documents) == 3)
    (again,) = Calendar.from_ical(server.documents[-1].document_bytes).walk("VEVENT")
    assert str(again["UID"]) == uid and str(again["STATUS"]) == "CANCELLED"


async def test_plan_copies_a_week_and_starts_on_the_quarter_hour(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    coord, sara_id, omar_id = await _scene(bot_store, server)
    # This week (Mon 30/11 - Sun 6/12): Omar Tuesday and Sara Thursday.
    week = (
        f"member,group,start,end\n{omar_id},Rinkeby,2026-12-01T07:00,2026-12-01T15:00\n"
        f"{sara_id},Rinkeby,2026-12-03T22:00,2026-12-04T06:00\n"
    )
    await roster_service.import_roster(bot_store, week, START)
    flow = await _plan(coord)
    await _tap(server, coord, flow, "📋 Copy this week to next week", "copied")
    assert coord.message(flow).entities_text == (
        "Next week (Mon 7/12–Sun 13/12) planned like this one (copied): 2 new shifts,"
        " 0 already there."
    )
    assert await _shifts(bot_store, omar_id) == [
        (datetime(2026, 12, 1, 6, tzinfo=UTC), datetime(2026, 12, 1, 14, tzinfo=UTC)),
        (datetime(2026, 12, 8, 6, tzinfo=UTC), datetime(2026, 12, 8, 14, tzinfo=UTC)),
    ]
    assert (datetime(2026, 12, 10, 21, tzinfo=UTC), datetime(2026, 12, 11, 5, tzinfo=UTC)) in (
        await _shifts(bot_store, sara_id)
    )

    flow = await _plan(coord)
    await _tap(server, coord, flow, "Omar Aziz (Police)", "upcoming shifts")
    await _tap(server, coord, flow, "➕ New shift", "which day?")
    await _tap(server, coord, flow, "Wed 2/12", "start?")
    await _tap(server, coord, flow, "07:00", "how long?")
    assert coord.message(flow).button_texts()[:4] == ["07:00", "07:15", "07:30", "07:45"]
    await _tap(server, coord, flow, "07:30", "from 07:30")
    await _tap(server, coord, flow, "8 h", "Shift planned")
    assert "Wed 2/12 07:30–15:30" in coord.message(flow).entities_text
    # Fewer taps: the next day after the member's last shift, at the same time, in one tap.
    flow = await _plan(coord)
    await _tap(server, coord, flow, "Omar Aziz (Police)", "upcoming shifts")
    await _tap(server, coord, flow, "⚡ Wed 9/12 07:00–15:00 (like the last)", "Shift planned")
    assert "Wed 9/12 07:00–15:00" in coord.message(flow).entities_text
