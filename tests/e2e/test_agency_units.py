"""Units within an agency: the city's social services are added as a unit of the city, and a
flag can be addressed to them, by name, like to any agency."""

from __future__ import annotations

from bot.domain.models import Role
from bot.services.agencies import add_agency
from handlers.context import BotApplication
from storage.store import Store
from tests.factories import make_group, make_member
from tests.fakebot import FakeBotApi
from tests.flagkit import OFFICE, open_flag, pick, pick_label, picked


async def test_a_unit_of_the_city_is_added_and_a_flag_is_addressed_to_it(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    unit = await add_agency(bot_store, "soc", "Socialtjänsten", name_en="Social services",
                            short_sv="Soc", parent="STHLM")  # fmt: skip
    assert (unit.code, unit.parent) == ("SOC", "STHLM")
    group = await make_group(bot_store, "Rinkeby")
    await make_member(bot_store, 801, agency="POL", group=group, name="Anna", language="en")
    await make_member(bot_store, 802, agency="SOC", group=group, name="Siv", language="sv",
                      role=Role.EXPERT)  # fmt: skip
    anna = server.user(801, first_name="Anna", language_code="en")
    siv = server.user(802, first_name="Siv", language_code="sv")
    await siv.share_location(*OFFICE)
    await siv.wait_for_message(lambda m: "Incheckad" in m.entities_text)

    wizard = await open_flag(anna)
    assert pick_label(wizard, "SOC") == "Soc · 1 on duty"  # a button: the unit's short form
    await pick(anna, wizard, "SOC")
    await server.wait_until(lambda: picked(anna, wizard, "SOC"))
    await anna.press(anna.message(wizard), "Next ▶")
    await server.wait_until(lambda: "Category?" in anna.message(wizard).entities_text)
    await anna.press(anna.message(wizard), "Other")
    await server.wait_until(lambda: "How urgent?" in anna.message(wizard).entities_text)
    await anna.press(anna.message(wizard), "routine")
    await server.wait_until(lambda: "short description" in anna.message(wizard).entities_text)
    await anna.send("Familj behöver kontakt")
    await server.wait_until(lambda: "Share a location" in anna.last.entities_text)
    await anna.press(anna.last, "Skip")
    await server.wait_until(lambda: "Is this right?" in anna.last.entities_text)
    assert "To: Social services" in anna.last.entities_text
    await anna.press(anna.last, "🚩 Raise the flag")
    card = await siv.wait_for_message(lambda m: "Familj behöver kontakt" in m.entities_text)
    assert "Socialtjänsten — öppen" in card.entities_text
    assert "Från Polismyndigheten (Anna)" in card.entities_text
