"""The sandbox through its web API: the seeded district, a shift's moments, what Telegram would
refuse, files both ways, the time controls and starting over. One sandbox for the module (one
per worker when pytest-xdist splits it), so each test plays its own personas and needs nothing
from another; starting over comes last."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from telegram.error import BadRequest

from bot.domain.models import Role
from bot.sandbox import seed
from bot.sandbox.server import Options, Sandbox
from bot.services import members as members_service
from bot.startup import StartFailed
from storage.db import Database
from tests.sandbox.conftest import POST, Page, having, sandbox_settings, texts

pytestmark = pytest.mark.asyncio(loop_scope="module")

STINA, ALI, ANNA, SVEN, CECILIA = 5112, 5131, 5101, 5111, seed.COORDINATOR
FATIMA, OMAR = 5162, 5103  # not checked in: nothing today, and the evening shift


async def test_the_demo_district_has_its_people_and_a_day_under_way(page: Page) -> None:
    store = page.sandbox.world.app.bot_data.store
    people = [m for m in await members_service.all_members(store) if m.active]
    experts: dict[str, int] = {}
    for member in people:
        if member.role is Role.EXPERT:
            assert member.agency_code is not None
            experts[member.agency_code] = experts.get(member.agency_code, 0) + 1
    assert len(experts) == 12 and all(2 <= n <= 3 for n in experts.values()), experts
    assert {m.role for m in people} == {Role.EXPERT, Role.COORDINATOR, Role.ADMIN}
    world = await page.http.get(f"{page.url}/api/world")
    personas = {p["user_id"] for p in (await world.json())["personas"]}
    assert personas == {m.telegram_user_id for m in people}
    # The open flag reaches the police, and the notice everyone in Järva, in Swedish.
    anna = await page.wait(ANNA, having("Lastbil med cigaretter"))
    card = next(m for m in anna["messages"] if "Lastbil" in m["html"])
    assert card["protected"] and any(b["text"].endswith("Kvittera") for b in card["inline"][0])
    # Its place is the office, named like a real flag's: a venue, not a bare pin.
    anna = await page.wait(ANNA, lambda chat: any("venue" in m for m in chat["messages"]))
    (place,) = [m for m in anna["messages"] if "venue" in m]
    assert place["venue"] == {"title": "Kontoret i Järva", "address": "Rinkebytorget 1, Spånga"}
    assert place["location"] is not None
    await page.wait(ANNA, having(seed.NOTICE_TEXT[:40]))
    # A gap or two: the coordinator's /coverage shows agencies below the minimum now.
    await page.send(CECILIA, "/coverage")
    coverage = await page.wait(CECILIA, having("Bemanning"))
    now = next(h for h in texts(coverage) if "Bemanning" in h)
    assert "Ekobrottsmyndigheten 0/2" in now and "Försäkringskassan 1/2" in now, now
    assert "Polismyndigheten 2/2" in now, now


async def test_the_residents_board_is_posted_in_the_channel(page: Page) -> None:
    board = await page.wait(seed.CHANNEL.id, lambda chat: bool(chat["messages"]), timeout=15)
    assert "Järva" in texts(board)[0]
    assert not board["messages"][0]["mine"] and board["commands"] == []


async def test_checking_in_at_the_office_with_the_location_buttons(page: Page) -> None:
    await page.send(STINA, "/checkin")
    asked = await page.wait(STINA, lambda chat: chat["keyboard"] is not None)
    assert any(b["location"] for row in asked["keyboard"]["rows"] for b in row)
    await page.post("/api/location", {"persona": STINA, "where": "office"})
    done = await page.wait(STINA, having("Incheckad i Järva"))
    assert done["keyboard"] is None  # the one-time keyboard went with the answer
    assert any(m["mine"] and "location" in m for m in done["messages"])


async def test_a_location_outside_the_area_is_marked_so(page: Page) -> None:
    await page.send(FATIMA, "/checkin")
    await page.wait(FATIMA, lambda chat: chat["keyboard"] is not None)
    await page.post("/api/location", {"persona": FATIMA, "where": "outside"})
    marked = await page.wait(FATIMA, having("utanför området"))
    far = next(h for h in texts(marked) if "utanför området" in h)
    assert "m från kontoret" in far and "markerad ”utanför området”" in far


async def test_a_location_typed_as_latitude_and_longitude(page: Page) -> None:
    await page.send(OMAR, "/checkin")
    await page.wait(OMAR, lambda chat: chat["keyboard"] is not None)
    point = {"persona": OMAR, "lat": "59.4119", "lon": "17.9291"}
    await page.post("/api/location", point)
    shared = await page.wait(OMAR, lambda chat: any("location" in m for m in chat["messages"]))
    (location,) = [m["location"] for m in shared["messages"] if "location" in m]
    assert location == {"latitude": 59.4119, "longitude": 17.9291}
    async with page.http.post(
        f"{page.url}/api/location", json={**point, "lat": "91"}, headers=POST
    ) as r:
        assert r.status == 400 and "latitude" in await r.text()


async def test_skipping_15_minutes_sends_the_missed_check_in_reminder(page: Page) -> None:
    before = page.sandbox.clock()
    await page.post("/api/clock", {"minutes": 15})
    assert page.sandbox.clock() - before >= timedelta(minutes=15)
    reminded = await page.wait(ALI, having("har börjat och du är inte incheckad"))
    assert reminded["clock"]["ahead_minutes"] == 15
    # Sven checked in this morning, so he gets no such reminder.
    assert not any("inte incheckad" in h for h in texts(await page.chat(SVEN)))


async def test_what_telegram_would_refuse_shows_as_an_error_bubble(page: Page) -> None:
    bot = page.sandbox.world.app.bot
    with pytest.raises(BadRequest):
        await bot.send_message(SVEN, "<b>trasig HTML")
    chat = await page.wait(SVEN, lambda chat: bool(chat["errors"]))
    (error,) = chat["errors"]
    assert error["method"] == "sendMessage" and "can't parse entities" in error["description"]
    assert error["text"] == "<b>trasig HTML"


async def test_calendar_file_downloads_and_a_roster_csv_uploads(page: Page) -> None:
    await page.send(ANNA, "/calendar")
    chat = await page.wait(ANNA, lambda chat: any("document" in m for m in chat["messages"]))
    document = next(m["document"] for m in chat["messages"] if "document" in m)
    assert document["name"].endswith(".ics")
    async with page.http.get(page.url + document["url"]) as r:
        assert r.status == 200 and "attachment" in r.headers["Content-Disposition"]
        assert (await r.read()).startswith(b"BEGIN:VCALENDAR")
    roster = "member,group,start,end\n@fatima_fk,Järva,2026-12-24T08:00,2026-12-24T16:00\n"
    form = {"persona": str(CECILIA), "file": roster.encode()}
    async with page.http.post(
        f"{page.url}/api/upload",
        data=_multipart(form, "jul.csv"),
        headers=POST,
    ) as r:
        assert r.status == 200, await r.text()
    await page.wait(CECILIA, having("Schemat importerat: 1 nya pass"))


def _multipart(fields: dict[str, str | bytes], filename: str) -> object:
    from aiohttp import FormData

    form = FormData()
    for name, value in fields.items():
        if isinstance(value, bytes):
            form.add_field(name, value, filename=filename, content_type="text/csv")
        else:
            form.add_field(name, value)
    return form


async def test_a_report_comes_as_an_album_of_charts_and_a_workbook(page: Page) -> None:
    await page.send(CECILIA, "/report")
    asked = await page.wait(CECILIA, having("Vilken period?"))
    question = next(m for m in asked["messages"] if "Vilken period?" in m["html"])
    await page.post("/api/press", {"persona": CECILIA, "message": question["id"], "row": 0,
                                   "col": 0})  # fmt: skip
    # Drawing happens in a worker process: seconds on a busy machine.
    done = await page.wait(
        CECILIA, lambda chat: any(m["html"].startswith("5/5") for m in chat["messages"]), 90
    )
    last = next(m for m in done["messages"] if m["html"].startswith("5/5"))
    photos = [m for m in done["messages"] if "photo" in m and m["album"] == last["album"]]
    assert last["album"] and len(photos) == 5  # one album of five charts
    assert all(m["protected"] for m in photos)
    async with page.http.get(page.url + photos[0]["photo"]) as r:
        assert r.status == 200 and r.content_type == "image/png"
        assert r.headers["Content-Disposition"].startswith("inline")
    await page.wait(CECILIA, lambda chat: any(
        m.get("document", {}).get("name", "").endswith(".xlsx") for m in chat["messages"]
    ))  # fmt: skip


async def test_pressing_a_button_edits_in_place_and_answers(page: Page) -> None:
    chat = await page.wait(SVEN, having(seed.NOTICE_TEXT[:40]))
    notice = next(m for m in chat["messages"] if seed.NOTICE_TEXT[:40] in m["html"])
    await page.post("/api/press", {"persona": SVEN, "message": notice["id"], "row": 0, "col": 0})
    edited = await page.wait(SVEN, having("Du bekräftade"))
    same = next(m for m in edited["messages"] if m["id"] == notice["id"])
    assert same["edited"] and "Du bekräftade" in same["html"] and not same["inline"]


async def test_to_seven_brings_the_coordinators_morning_digest(page: Page) -> None:
    await page.post("/api/clock", {"morning": True})
    local = page.sandbox.clock().astimezone(ZoneInfo(seed.ZONE))
    assert (local.hour, local.minute) == (7, 0)
    # The digest is bulk: it waits for the alerts the skip brought (a message a second).
    digest = await page.wait(CECILIA, having("Morgonsammanfattning Järva"), timeout=45)
    assert digest["clock"]["time"] == "07:00"


async def test_the_api_takes_orders_only_from_its_page(page: Page) -> None:
    async with page.http.post(f"{page.url}/api/send", json={"persona": ANNA, "text": "x"}) as r:
        assert r.status == 403
    async with page.http.post(
        f"{page.url}/api/send", json={"persona": 42, "text": "x"}, headers=POST
    ) as r:
        assert r.status == 404
    async with page.http.post(f"{page.url}/api/clock", json={"minutes": 0}, headers=POST) as r:
        assert r.status == 400


async def test_the_page_and_its_files_are_served_locally(page: Page) -> None:
    async with page.http.get(page.url + "/") as r:
        html = await r.text()
    assert (
        r.status == 200
        and "/static/app.js" in html
        and "http" not in html.replace('name="viewport"', "")
    )
    for name in ("app.js", "app.css"):
        async with page.http.get(f"{page.url}/static/{name}") as r:
            assert r.status == 200
            assert "http://" not in await r.text() and "https://" not in await r.text()


async def test_start_over_restores_the_seeded_state(page: Page) -> None:
    elin = 5121
    await page.send(elin, "/me")
    # The bot's answer, not Elin's own "/me" (which is there at once): starting over while
    # the bot is still answering would race the answer instead of wiping it.
    await page.wait(elin, having("Det här sparar boten om dig"))
    generation = page.sandbox.generation
    await page.post("/api/clock", {"minutes": 60})
    await page.post("/api/reset", {})
    assert page.sandbox.generation == generation + 1
    assert page.sandbox.clock.offset == timedelta()
    # The whole district is seeded again and the notice goes out to everyone in it: on a
    # loaded machine that takes longer than one answer does.
    again = await page.wait(elin, having(seed.NOTICE_TEXT[:40]), timeout=30)
    assert not any("/me" in h for h in texts(again)) and again["clock"]["ahead_minutes"] == 0
    assert page.sandbox.world.api.violations == []


async def test_a_database_that_is_not_the_sandboxs_is_never_wiped(tmp_path: Path) -> None:
    real = tmp_path / "samverkan.db"
    db = await Database.open(str(real))
    await db.migrate()
    await db.close()
    sandbox = Sandbox(Options(seed="demo", db=real), sandbox_settings())
    with pytest.raises(StartFailed, match="is not a sandbox database"):
        await sandbox.start()
    assert real.exists()
