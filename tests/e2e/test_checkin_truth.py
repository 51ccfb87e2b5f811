"""Check-in that tells the truth: a fix too vague to say inside or outside asks for a fresh one;
a check-in outside the area shows as such in /onduty and /coverage, does not count, and is told
to the coordinators once; a flag goes to the agency's people inside the area first."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from bot.domain.models import Member, Role
from handlers.context import BotApplication
from storage.store import Store
from tests.factories import FakeClock, make_group, make_member
from tests.fakebot import FakeBotApi, FakeUser
from tests.flagkit import copies
from tests.scenes import raise_flag

OFFICE = (59.3880, 17.9280)
FAR = (59.4000, 17.9280)  # about 1.3 km north of the office (the area's radius is 400 m)


async def _scene(
    store: Store, server: FakeBotApi
) -> tuple[dict[str, FakeUser], dict[str, Member]]:
    group = await make_group(store, "Rinkeby")
    cast = {"coord": (900, None, Role.COORDINATOR, "en"), "anna": (901, "POL", Role.EXPERT, "en"),
            "bo": (902, "POL", Role.EXPERT, "en"), "sara": (903, "SKV", Role.EXPERT, "sv"),
            "tove": (904, "TULL", Role.EXPERT, "en")}  # fmt: skip
    users, members = {}, {}
    for name, (uid, agency, role, lang) in cast.items():
        members[name] = await make_member(store, uid, role=role, agency=agency, group=group,
                                          name=name.title(), language=lang)  # fmt: skip
        users[name] = server.user(uid, first_name=name.title(), language_code=lang)
        users[name].mark_started()
    return users, members


async def test_a_vague_fix_asks_for_a_fresh_one_in_the_members_language(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users, _ = await _scene(bot_store, server)
    anna, sara = users["anna"], users["sara"]
    await anna.send("/checkin")
    await anna.wait_for_message(lambda m: "Share your location" in m.entities_text)
    await anna.share_location(*OFFICE, horizontal_accuracy=650.0)
    again = await anna.wait_for_message()
    assert again.entities_text == (
        "📍 Your location is only accurate to within 650 m, and the area of Rinkeby reaches 400"
        " m from the office: that cannot tell whether you are there. You are not checked"
        " in. Wait a moment in the open or by a window, then share your location again."
    )
    assert again.reply_markup is not None
    assert again.reply_markup["keyboard"][0][0]["request_location"]  # the button, once more
    await sara.share_location(*OFFICE, horizontal_accuracy=650.0)
    svenska = await sara.wait_for_message()
    assert svenska.entities_text == (
        "📍 Din position är bara noggrann inom 650 m, och området Rinkeby sträcker sig 400 m"
        " från kontoret: det går inte att avgöra om du är där. Du är inte incheckad. Vänta en"
        " stund utomhus eller vid ett fönster och dela sedan positionen igen."
    )
    # Beyond a kilometre the distance reads as people say it, in each reader's language.
    await sara.share_location(*OFFICE, horizontal_accuracy=1500.0)
    vaguer = await sara.wait_for_message()
    assert vaguer.entities_text.startswith("📍 Din position är bara noggrann inom 1,5 km, och")
    await anna.share_location(*OFFICE, horizontal_accuracy=1500.0)
    wider = await anna.wait_for_message()
    assert wider.entities_text.startswith("📍 Your location is only accurate to within 1.5 km,")
    async with bot_store.read() as tx:
        rinkeby = await tx.groups.by_name("Rinkeby")
        assert rinkeby is not None and await tx.presences.on_duty([rinkeby.id]) == []

    await anna.share_location(*OFFICE, horizontal_accuracy=35.0)  # a fresh, good fix
    done = await anna.wait_for_message(lambda m: "Checked in" in m.entities_text)
    assert "outside" not in done.entities_text


async def test_outside_the_area_shows_in_coverage_does_not_count_and_is_told_once(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users, _ = await _scene(bot_store, server)
    coord, bo = users["coord"], users["bo"]
    await users["anna"].share_location(*OFFICE, horizontal_accuracy=20.0)
    await users["anna"].wait_for_message(lambda m: "Checked in" in m.entities_text)
    await bo.share_location(*FAR, horizontal_accuracy=20.0)
    await bo.wait_for_message(lambda m: "Checked in" in m.entities_text)
    await bo.share_location(*FAR, horizontal_accuracy=20.0)  # again: he is checked in already
    await bo.wait_for_message(lambda m: "already checked in" in m.entities_text)

    await coord.send("/coverage")
    report = await coord.wait_for_message(lambda m: "Coverage Rinkeby" in m.entities_text)
    now = report.entities_text.split("Now (checked in):")[1]
    assert re.search(r"^✗ .+ 1/2 — Anna, Bo \(outside the area\)$", now, re.M)  # Bo: not counted
    await coord.wait_for_message(lambda m: "outside the area, " in m.entities_text, earlier=True)
    told = [m for m in coord.messages if "outside the area, " in m.entities_text]
    assert len(told) == 1 and told[0].entities_text.startswith("📍 Bo (")


async def test_a_flag_goes_to_the_people_inside_the_area_first(
    app: BotApplication,
    server: FakeBotApi,
    bot_store: Store,
    clock: FakeClock,
    tmp_path: Path,
) -> None:
    users, members = await _scene(bot_store, server)
    anna, bo = users["anna"], users["bo"]
    await anna.share_location(*OFFICE, horizontal_accuracy=20.0)
    await anna.wait_for_message(lambda m: "Checked in" in m.entities_text)
    await bo.share_location(*FAR, horizontal_accuracy=20.0)
    await bo.wait_for_message(lambda m: "Checked in" in m.entities_text)

    first = await raise_flag(bot_store, members["tove"], ["POL"], clock.now)
    await anna.wait_for_message(lambda m: f"Flag #{first} ·" in m.entities_text)

    await anna.send("/checkout")  # nobody of POL is at the office now: Bo, outside, gets it
    await anna.wait_for_message(lambda m: "Checked out" in m.entities_text)
    clock.advance(minutes=1)
    second = await raise_flag(bot_store, members["tove"], ["POL"], clock.now)
    await bo.wait_for_message(lambda m: f"Flag #{second} ·" in m.entities_text)
    assert copies(bo, first) == []
    with sqlite3.connect(tmp_path / "bot.db") as db:
        queued = db.execute(
            "SELECT count(*) FROM outbox WHERE ref_type = 'flag' AND ref_id = ? AND chat_id = ?",
            (first, bo.id),
        ).fetchone()
    assert queued == (0,)
