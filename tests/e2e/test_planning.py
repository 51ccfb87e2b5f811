"""/plan: a coordinator adds and cancels one shift with buttons; the member hears of both."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.models import Group, Role
from handlers.context import BotApplication
from storage.store import Store
from tests.factories import START, make_group, make_member
from tests.fakebot import FakeBotApi, FakeUser


async def until(server: FakeBotApi, condition) -> None:
    # A coordinator tapping fast runs into the per-chat limit (the morning digest shares the
    # chat); the bot waits out each 429, so allow for a few.
    await server.wait_until(condition, timeout=15)


async def _husby(store: Store, server: FakeBotApi, uid: int) -> tuple[Group, FakeUser, FakeUser]:
    """Husby, its coordinator (uid) and Kim of KVV (uid + 1)."""
    group = await make_group(store, "Husby")
    await make_member(store, uid, role=Role.COORDINATOR, group=group, agency=None,
                      language="en")  # fmt: skip
    await make_member(store, uid + 1, group=group, agency="KVV", name="Kim", language="en")
    coord = server.user(uid, first_name="Coord", language_code="en")
    return group, coord, server.user(uid + 1, first_name="Kim", language_code="en")


async def test_plan_adds_and_cancels_a_shift(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    group, coord, kim = await _husby(bot_store, server, 960)
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


async def test_typed_names_of_buttons_drive_plan(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    group, coord, kim = await _husby(bot_store, server, 970)
    kim.mark_started()
    await make_member(bot_store, 972, group=group, agency="POL", name="Kim", language="en")
    server.user(972, first_name="Kim", language_code="en")

    async def say(text: str) -> str:
        await coord.send(text)
        return (await coord.wait_for_message()).entities_text

    await coord.send("/plan")
    await coord.wait_for_message(lambda m: m.entities_text == "Who?")
    assert await say("tomorrow") == "Choose with the buttons above — or /cancel."
    hint = "Choose with the buttons above — or /cancel."
    assert await say("kim") == hint  # two Kims: text naming two buttons names none
    assert "upcoming shifts" in await say("kim (kvv)")
    assert "which day?" in await say("Nytt pass")  # the Swedish label, read in English
    assert "start?" in await say("tue 1/12")
    assert "how long?" in await say("07:00")
    assert "Kim, Tue 1/12 07:00–15:00" in await say("8 H")
    told = await kim.wait_for_message(lambda m: "New shift" in m.entities_text, earlier=True)
    assert "Tue 1/12 07:00–15:00 at Husby" in told.entities_text
    assert (await say("8 h")).startswith("I did not understand")  # planning is over
    assert server.rejections == []
