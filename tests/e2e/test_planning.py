"""/plan: a coordinator adds and cancels one shift with buttons; the member hears of both."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.models import Role
from handlers.context import BotApplication
from storage.store import Store
from tests.factories import START, make_group, make_member
from tests.fakebot import FakeBotApi


async def until(server: FakeBotApi, condition) -> None:
    # A coordinator tapping fast runs into the per-chat limit (the morning digest shares the
    # chat); the bot waits out each 429, so allow for a few.
    await server.wait_until(condition, timeout=15)


async def test_plan_adds_and_cancels_a_shift(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    group = await make_group(bot_store, "Husby")
    await make_member(bot_store, 960, role=Role.COORDINATOR, group=group, agency=None,
                      language="en")  # fmt: skip
    await make_member(bot_store, 961, group=group, agency="KVV", name="Kim", language="en")
    coord = server.user(960, first_name="Coord", language_code="en")
    kim = server.user(961, first_name="Kim", language_code="en")
    await kim.send("/help")
    await kim.wait_for_count(1)

    await coord.send("/plan")
    # One group: /plan goes straight to its people.
    flow = await coord.wait_for_message(lambda m: m.entities_text == "Who?")
    await coord.press(coord.message(flow), "Kim (KVV)")
    await until(server, lambda: "upcoming shifts" in coord.message(flow).entities_text)
    await coord.press(coord.message(flow), "➕ New shift")
    await until(server, lambda: "which day?" in coord.message(flow).entities_text)
    await coord.press(coord.message(flow), "Tue 1/12")
    await until(server, lambda: "start?" in coord.message(flow).entities_text)
    await coord.press(coord.message(flow), "07:00")
    await until(server, lambda: "how long?" in coord.message(flow).entities_text)
    await coord.press(coord.message(flow), "8 h")
    await until(server, lambda: "Shift planned" in coord.message(flow).entities_text)
    assert "Kim, Tue 1/12 07:00–15:00" in coord.message(flow).entities_text
    told = await kim.wait_for_message(lambda m: "New shift" in m.entities_text, earlier=True)
    assert "Tue 1/12 07:00–15:00 at Husby" in told.entities_text

    await coord.send("/plan")
    # One group: /plan goes straight to its people.
    flow = await coord.wait_for_message(lambda m: m.entities_text == "Who?")
    await coord.press(coord.message(flow), "Kim (KVV)")
    await until(server, lambda: "🗑 Tue 1/12 07:00–15:00" in coord.message(flow).button_texts())
    await coord.press(coord.message(flow), "🗑 Tue 1/12 07:00–15:00")
    await until(server, lambda: "Shift cancelled" in coord.message(flow).entities_text)
    await kim.wait_for_message(lambda m: "is cancelled" in m.entities_text, earlier=True)
    async with bot_store.read() as tx:
        assert await tx.shifts.of_group(group.id, START, START + timedelta(days=9)) == []
