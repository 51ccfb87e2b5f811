"""Numbers as people read them, end to end: a distance in kilometres with the language's
decimal sign, and a plural by the language's rule (Babel), in real messages."""

from __future__ import annotations

from bot.domain.models import Role
from bot.services import roster
from handlers.context import BotApplication
from storage.store import Store
from tests.e2e.test_rostering import swap_refused
from tests.factories import START, FakeClock, make_group, make_member
from tests.fakebot import FakeBotApi

OFFICE = (59.3880, 17.9280)
FAR = (OFFICE[0] + 0.0926, OFFICE[1])  # about 10.3 km north


async def test_a_far_check_in_reads_in_km_and_a_handover_counts_its_colleagues(
    app: BotApplication, server: FakeBotApi, bot_store: Store, clock: FakeClock
) -> None:
    group = await make_group(bot_store, "Rinkeby")
    await make_member(bot_store, 900, role=Role.COORDINATOR, group=group, agency=None,
                      name="Cecilia", language="sv")  # fmt: skip
    people = {901: "Anna", 902: "Bo", 903: "Cia"}
    for uid, name in people.items():
        await make_member(bot_store, uid, group=group, agency="POL", name=name, language="sv")
    coord = server.user(900, first_name="Cecilia", language_code="sv")
    anna, bo, cia = (server.user(u, first_name=n, language_code="sv") for u, n in people.items())
    for user in (coord, anna, bo, cia):
        await user.send("/help")
        await user.wait_for_message()

    await anna.share_location(*FAR, horizontal_accuracy=10.0)
    far = await anna.wait_for_message(lambda m: "från kontoret" in m.entities_text)
    assert "Du är 10,3 km från kontoret, utanför området." in far.entities_text
    told = await coord.wait_for_message(lambda m: "utanför området" in m.entities_text)
    assert "Anna (Polismyndigheten) checkade in i Rinkeby utanför området, 10,3 km från" in (
        told.entities_text
    )

    for colleague in (bo, cia):
        await colleague.share_location(*OFFICE)
        await colleague.wait_for_message(lambda m: "Incheckad" in m.entities_text)
    clock.advance(hours=8)
    await anna.send("/checkout")
    await anna.wait_for_message(lambda m: "Utcheckad" in m.entities_text)
    await anna.send("Lugnt vid torget")
    sent = await anna.wait_for_message(lambda m: "Överlämningen" in m.entities_text)
    assert sent.entities_text == "Överlämningen skickades till 2 kollegor."


async def test_rest_hours_read_with_the_readers_decimal_sign(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    group = await make_group(bot_store, "Rinkeby")
    await make_member(bot_store, 910, role=Role.COORDINATOR, group=group, agency=None,
                      language="sv", username="coord")  # fmt: skip
    lind = await make_member(bot_store, 911, group=group, agency="SKV", name="Sara Lind")
    berg = await make_member(bot_store, 912, group=group, agency="SKV", name="Sara Berg")
    await roster.import_roster(
        bot_store,
        "member,group,start,end\n"
        f"{lind.id},Rinkeby,2026-12-01T06:00,2026-12-01T14:00\n"
        f"{berg.id},Rinkeby,2026-11-30T12:30,2026-11-30T20:30\n",
        START,
    )
    coord = server.user(910, first_name="Coord", language_code="sv")
    await coord.upload_document(
        "schema.csv", f"member,group,start,end\n{berg.id},Rinkeby,2026-12-01T06:00,"
        "2026-12-01T14:00\n".encode()
    )  # fmt: skip
    said = await coord.wait_for_message(lambda m: "importerades inte" in m.entities_text)
    assert "bara 9,5 h vila efter föregående pass (minst 11 h)" in said.entities_text

    sara = server.user(911, first_name="Sara", language_code="sv")
    taker = server.user(912, first_name="Sara", language_code="sv")
    assert await swap_refused(server, sara, taker) == (
        "Går inte: bara 9,5 h vila efter passet mån 30/11 12:30–20:30 (minst 11 h,"
        " arbetstidslagen)."
    )
