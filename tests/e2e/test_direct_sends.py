"""Answers sent directly (not through the outbox) wait out Telegram's 429 like the outbox does:
a text, a file, an edit and a button's answer; and the bot asks only for the updates it uses."""

from __future__ import annotations

from icalendar import Calendar

from bot.lifecycle import ALLOWED_UPDATES
from handlers.context import BotApplication
from storage.store import Store
from tests.factories import make_group, make_member
from tests.fakebot import FakeBotApi

GENERIC = "Something went wrong"


async def test_a_file_waits_out_a_429(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    await make_member(bot_store, 700, group=await make_group(bot_store), language="en")
    user = server.user(700, first_name="Ann", language_code="en")
    server.fail_next("sendDocument", 429, retry_after=1)
    await user.send("/calendar")
    await server.wait_until(lambda: bool(server.documents), timeout=5)
    assert Calendar.from_ical(server.documents[-1].document_bytes) is not None
    assert [c.status for c in server.calls_to("sendDocument")] == [429, 200]
    assert not [m for m in user.messages if GENERIC in m.entities_text]


async def test_a_text_an_edit_and_a_button_answer_wait_out_a_429(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    await make_member(bot_store, 701, group=await make_group(bot_store), language="en")
    user = server.user(701, first_name="Bo", language_code="en")
    server.fail_next("sendMessage", 429, retry_after=1)
    await user.send("/flag")
    step = await user.wait_for_message(lambda m: "New flag" in m.entities_text)
    server.fail_next("answerCallbackQuery", 429, retry_after=1)
    server.fail_next("editMessageText", 429, retry_after=1)
    query = await user.press(step, "✖ Cancel")
    await server.wait_until(lambda: query in server.callback_answers, timeout=5)
    await server.wait_until(lambda: user.message(step).entities_text == "The flag was not raised.")
    for method in ("sendMessage", "answerCallbackQuery", "editMessageText"):
        assert [c.status for c in server.calls_to(method)][:2] == [429, 200], method
    assert not [m for m in user.messages if GENERIC in m.entities_text]


async def test_the_bot_asks_only_for_the_updates_it_handles(
    app: BotApplication, server: FakeBotApi
) -> None:
    await server.wait_until(lambda: bool(server.calls_to("getUpdates")), timeout=5)
    assert sorted(server.state.allowed_updates) == [
        "callback_query",
        "edited_message",
        "message",
        "my_chat_member",
    ]
    assert sorted(ALLOWED_UPDATES) == sorted(server.state.allowed_updates)
