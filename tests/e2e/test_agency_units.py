"""Units within an agency: the city's social services are added as a unit of the city, and a
flag can be addressed to them, by name, like to any agency."""

from __future__ import annotations

from datetime import time

from bot.domain.models import Role
from bot.domain.staffing import Target
from bot.services import roster, watch
from bot.services.agencies import add_agency
from handlers.context import BotApplication
from storage.store import Store
from tests.factories import START, FakeClock, make_group, make_member
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


async def test_a_units_member_covers_the_agencys_staffing_unless_the_target_names_the_unit(
    app: BotApplication, server: FakeBotApi, bot_store: Store, clock: FakeClock
) -> None:
    assert app.job_queue is not None  # the watch runs when the test says so
    for job in app.job_queue.get_jobs_by_name("watch"):
        job.schedule_removal()
    await add_agency(bot_store, "soc", "Socialtjänsten", name_en="Social services",
                     short_sv="Soc", parent="STHLM")  # fmt: skip
    group = await make_group(bot_store, "Rinkeby")
    await make_member(bot_store, 800, role=Role.COORDINATOR, group=group, agency=None,
                      name="Coord", language="en")  # fmt: skip
    kim = await make_member(bot_store, 801, agency="STHLM", group=group, name="Kim",
                            language="en")  # fmt: skip
    siv = await make_member(bot_store, 802, agency="SOC", group=group, name="Siv", language="en")
    coord = server.user(800, first_name="Coord", language_code="en")
    coord.mark_started()
    for uid, name in ((801, "Kim"), (802, "Siv")):
        user = server.user(uid, first_name=name, language_code="en")
        await user.share_location(*OFFICE)
        await user.wait_for_message(lambda m: "Checked in" in m.entities_text)

    # No target set: the city and its unit are one agency, whose minimum (2) both cover.
    await coord.send("/onduty")
    board = await coord.wait_for_message(lambda m: "on duty now" in m.entities_text)
    assert board.entities_text.split("\n")[1:] == ["✓ City of Stockholm 2/2 — Kim, Siv"]
    await coord.send("/coverage")
    report = await coord.wait_for_message(lambda m: "Now (checked in):" in m.entities_text)
    assert report.entities_text.endswith("Now (checked in):\n✓ City of Stockholm 2/2 — Kim, Siv")
    assert "Social services" not in report.entities_text  # no gap of a unit of its own

    # Kim and Siv are planned 12:00–16:00, when the city needs two: no gap to announce.
    await roster.import_roster(
        bot_store,
        "member,group,start,end\n"
        + "".join(f"{m},Rinkeby,2026-11-30T12:00,2026-11-30T16:00\n" for m in (kim.id, siv.id)),
        START,
    )
    async with bot_store.transaction() as tx:
        await tx.groups.set_target(group.id, Target("STHLM", 2, time(12), time(16)))
    assert await watch.watch(bot_store, clock.now) == 0

    # A target that names the unit: Siv covers the unit, and the city is short of one.
    async with bot_store.transaction() as tx:
        await tx.groups.set_target(group.id, Target("SOC", 1, time(12), time(16)))
    await coord.send("/onduty")
    board = await coord.wait_for_message(lambda m: "on duty now" in m.entities_text)
    assert board.entities_text.split("\n")[1:] == [
        "• City of Stockholm — Kim",  # the targets hold from 12:00
        "• Social services — Siv",
    ]
    assert await watch.watch(bot_store, clock.now) == 1
    gap = await coord.wait_for_message(lambda m: "planned gap" in m.entities_text)
    assert gap.entities_text == (
        "📉 Rinkeby: planned gap for City of Stockholm, Mon 30/11 12:00–16:00, 1 of 2."
    )
