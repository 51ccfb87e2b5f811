"""Numbers as people read them, end to end: a distance in kilometres with the language's
decimal sign, and a plural by the language's rule (Babel), in real messages."""

from __future__ import annotations

from bot.domain.models import Role
from handlers.context import BotApplication
from storage.store import Store
from tests.factories import FakeClock, make_group, make_member
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
