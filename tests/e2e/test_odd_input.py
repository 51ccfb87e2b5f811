"""Bad input gets a clear answer and breaks nothing: unknown commands, huge or odd text,
garbage button data, edited messages, and a member's stale buttons."""

from __future__ import annotations

from handlers.context import BotApplication
from storage.store import Store
from tests.factories import make_group, make_member
from tests.fakebot import FakeBotApi


async def test_odd_messages_get_an_answer(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    group = await make_group(bot_store)
    await make_member(bot_store, 800, group=group, language="en")
    user = server.user(800, first_name="Odd", language_code="en")
    cases = {
        "/frobnicate": "Unknown command",
        "/me@samverkan_test_bot extra words": "What the bot stores about you",
        "x" * 4096: "did not understand",
        "‮ RTL override 🤖👩‍👩‍👧 <b>&amp;": "did not understand",
        "/start not-a-code": "That invite is not valid",
    }
    for text, expected in cases.items():
        await user.send(text)
        answer = await user.wait_for_message()
        assert expected in answer.entities_text, (text[:20], answer.entities_text)
    await user.send("/me")
    card = await user.wait_for_message()
    for data in ("", "x" * 64, "mem:y:1", "fl:a:-1", "pln:a:1:1:99999999:25:9", "ntc:c:abc"):
        query = await user.press_data(card, data)
        await server.wait_until(lambda q=query: q in server.callback_answers)
        assert server.callback_answers[query]["text"]  # always a short, clear answer
    assert server.rejections == []
