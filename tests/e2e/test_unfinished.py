"""Starting a flow while another draft is unfinished: the bot names the draft and asks
Continue or Start over; nothing is dropped silently, and old or forged presses do nothing."""

from __future__ import annotations

from handlers.context import BotApplication
from storage.store import Store
from tests.chatkit import people, say, start_notice
from tests.fakebot import FakeBotApi, FakeUser, SentMessage
from tests.flagkit import open_flag, pick, picked

STALE = "This button is no longer valid."
WAITING = "⏸ You were in the middle of this:"
ASKED = "You have an unfinished flag (Threats or violence, URGENT). Continue it, or start over?"


async def _flag_up_to_the_description(server: FakeBotApi, user: FakeUser) -> SentMessage:
    wizard = await open_flag(user)
    await pick(user, wizard, "TULL")
    await server.wait_until(lambda: picked(user, wizard, "TULL"))
    await user.press(wizard, "Next ▶")
    await server.wait_until(lambda: "Category?" in user.message(wizard).entities_text)
    await user.press(wizard, "Threats or violence")
    await server.wait_until(lambda: "How urgent?" in user.message(wizard).entities_text)
    await user.press(wizard, "URGENT")
    await server.wait_until(lambda: "short description" in user.message(wizard).entities_text)
    return wizard


async def _answer(server: FakeBotApi, query: str) -> str | None:
    await server.wait_until(lambda: query in server.callback_answers)
    return server.callback_answers[query].get("text")


async def test_a_new_flow_names_the_unfinished_draft_and_continue_goes_on_with_it(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    anna = (await people(bot_store, server, 930, started=False))["anna"]
    wizard = await _flag_up_to_the_description(server, anna)
    await anna.send("/log")
    asked = await anna.wait_for_message()
    assert asked.entities_text == ASKED and asked.protect_content
    assert not [m for m in anna.messages if "Log work" in m.entities_text]
    restart = next(data for row in asked.buttons() for text, data in row if text == "↺ Start over")
    await anna.press(asked, "▶ Continue")
    await server.wait_until(lambda: "short description" in anna.message(asked).entities_text)
    await anna.send("Hot mot personal vid torget")
    await anna.wait_for_message(lambda m: "Share a location" in m.entities_text)
    assert "short description" in anna.message(wizard).entities_text  # one draft, still
    query = await anna.press_data(asked, restart)  # pressed late: the draft was continued
    assert await _answer(server, query) == STALE

    await anna.send("/flag")
    again = await anna.wait_for_message()
    assert again.entities_text.startswith("You have an unfinished flag (Threats or violence")
    await anna.press(again, "↺ Start over")
    await server.wait_until(
        lambda: anna.message(again).entities_text == "The unfinished flag was dropped."
    )
    await anna.wait_for_message(lambda m: "New flag" in m.entities_text, earlier=True)
    query = await anna.press_data(again, "fw:c:flag:1:4")
    assert await _answer(server, query) == STALE


async def test_start_over_begins_the_new_flow_and_forged_presses_do_nothing(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await people(bot_store, server, 930, started=False)
    anna, coord = users["anna"], users["coord"]
    await _flag_up_to_the_description(server, anna)
    await anna.send("/log")
    asked = await anna.wait_for_message()
    real = next(data for row in asked.buttons() for text, data in row if text == "↺ Start over")
    _, _, flow, draft, step, start, flag_id = real.split(":")
    assert (flow, step, start, flag_id) == ("flag", "5", "log", "-")
    forgeries = (
        f"fw:r:flag:{draft}:5:notice:-",  # an expert may not begin a notice
        f"fw:c:flag:{int(draft) + 1}:5",
        f"fw:c:log:{draft}:5",
        f"fw:c:flag:{draft}:4",  # an earlier step
        f"fw:c:flag:{draft}:100",
        f"fw:r:flag:{draft}:5:x:-",
    )
    for forged in forgeries:
        assert await _answer(server, await anna.press_data(asked, forged)) == STALE, forged
    await anna.press(asked, "↺ Start over")
    await anna.wait_for_message(lambda m: "Log work" in m.entities_text, earlier=True)
    await anna.send("/cancel")
    assert (await anna.wait_for_message()).entities_text.startswith("Work log entry cancelled")

    await start_notice(coord)
    await coord.send("Möte kl 14 i  lokalen\nta med nycklar")
    await coord.wait_for_message(lambda m: "Who should get it?" in m.entities_text)
    await coord.send("/notice")
    asked = await coord.wait_for_message()
    assert "unfinished notice (“Möte kl 14 i lokalen ta med n…”)" in asked.entities_text
    await coord.press(asked, "▶ Continue")
    await server.wait_until(lambda: "Who should get it?" in coord.message(asked).entities_text)
    assert server.rejections == []


async def test_a_check_in_or_a_quick_command_keeps_the_flag_and_asks_its_question_again(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    anna = (await people(bot_store, server, 930, started=False))["anna"]
    wizard = await _flag_up_to_the_description(server, anna)
    await anna.send("/checkin")  # on site now: the check-in runs, the flag waits
    await anna.wait_for_message(lambda m: "Share your location" in m.entities_text)
    await anna.share_location(59.388, 17.928)
    await anna.wait_for_message(lambda m: "Checked in at Järva" in m.entities_text)
    again = await anna.wait_for_message()
    assert again.entities_text.startswith(WAITING) and "short description" in again.entities_text
    assert again.button_texts() == ["◀ Back", "✖ Cancel"] and again.protect_content
    await anna.send("Hot mot personal vid torget")  # the description, not a stray text
    where = await anna.wait_for_message(lambda m: "Share a location" in m.entities_text)
    assert "short description" in anna.message(wizard).entities_text

    await anna.send("/help")  # a quick command runs, and the open question is shown again
    await anna.wait_for_message(lambda m: "What you can do" in m.entities_text)
    again = await anna.wait_for_message()
    assert again.entities_text.startswith(WAITING) and "Share a location" in again.entities_text
    assert (await say(anna, "skip")).entities_text.startswith("🚩 (6/6) Is this right?")
    assert len([m for m in anna.messages if m.entities_text.startswith(WAITING)]) == 2
    assert where.message_id < again.message_id
    assert server.rejections == []


async def test_plan_asks_about_an_unfinished_draft_first(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    coord = (await people(bot_store, server, 930, started=False))["coord"]
    await start_notice(coord)
    await coord.send("Möte kl 14")
    await coord.wait_for_message(lambda m: "Who should get it?" in m.entities_text)
    for command in ("/plan", "plan"):
        await coord.send(command)
        asked = await coord.wait_for_message()
        assert asked.entities_text.startswith("You have an unfinished notice (“Möte kl 14”)")
    await coord.press(asked, "▶ Continue")
    await server.wait_until(lambda: "Who should get it?" in coord.message(asked).entities_text)
    await coord.send("/plan")
    asked = await coord.wait_for_message()
    await coord.press(asked, "↺ Start over")
    await server.wait_until(
        lambda: coord.message(asked).entities_text == "The unfinished notice was dropped."
    )
    await coord.wait_for_message(lambda m: m.entities_text == "Who?", earlier=True)
    assert (await say(coord, "/cancel")).entities_text.startswith("Planning")
    assert server.rejections == []
