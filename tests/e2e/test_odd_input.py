"""Bad input gets a clear answer and breaks nothing: unknown commands, huge or odd text,
garbage button data, edited messages, and a member's stale buttons."""

from __future__ import annotations

import logging

import pytest

from bot.domain.models import Role
from handlers.context import BotApplication
from storage.store import Store
from tests.factories import make_group, make_member
from tests.fakebot import FakeBotApi, FakeUser

STALE = "This button is no longer valid."
NOT_ALLOWED = "You are not allowed to do that."


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
    assert server.rejections == []


# What a modified client can put in a button. Each forged press gets exactly one of these
# answers: "stale" for data the bot never makes, "not allowed" for a coordinator's button
# pressed by an expert, or a domain answer for well-formed data about an object that is not
# there. A crash would answer "Something went wrong", and log at ERROR.
EXPERT_PRESSES = {
    "": STALE,
    "x" * 64: STALE,
    "fl:rd": STALE,  # once an IndexError
    "fl:a:²": STALE,  # "²".isdigit() is true, int("²") fails
    "fl:a:-1": STALE,
    "fl:a:01": STALE,
    "fl:a:99999999999999999999": STALE,  # beyond SQLite's integers
    "fl:a:424242": "That flag does not exist or is not visible to you.",
    "fl:zz:1": STALE,
    "fd:n": STALE,
    "fd:n:1:summary": STALE,  # a draft that is not mine (or not there)
    "fd:c:1:category:other:extra": STALE,
    "set:lead:²": STALE,  # once a ValueError in the settings service
    "set:lead:7": STALE,
    "lang:xx": STALE,
    "ci:g:1:2": STALE,
    "hnd:a": STALE,
    "hnd:a:x": STALE,
    "ntc:c:abc": STALE,
    "swp:t:²": STALE,
    "cov:g:1": NOT_ALLOWED,
    "mem:y:1": NOT_ALLOWED,
    "pln:a:1:1:99999999:25:9": NOT_ALLOWED,
    "ntd:k": NOT_ALLOWED,
}
COORDINATOR_PRESSES = {
    "pln:a:1:1:99999999:25:9": STALE,  # no such day
    "pln:a:1:1:20260230:8:8": STALE,
    "pln:l:1:1:20260301:²": STALE,
    "pln:g:²": STALE,
    "mem:l:1:²": STALE,  # once a ValueError
    "mem:l:1": STALE,
    "inv:r:1:POL:admin": STALE,  # once no answer at all
    "inv:a:1:POL:x:y": STALE,
    "ntd:a:everyone": STALE,
    "ntd:g:x": STALE,
    "ntc:w:1:2": STALE,
}


async def _press_all(server: FakeBotApi, user: FakeUser, presses: dict[str, str]) -> None:
    await user.send("/me")
    card = await user.wait_for_message()
    for data, expected in presses.items():
        query = await user.press_data(card, data)
        await server.wait_until(lambda q=query: q in server.callback_answers)
        assert server.callback_answers[query].get("text") == expected, data


async def test_forged_buttons_get_the_exact_refusal_and_nothing_crashes(
    app: BotApplication, server: FakeBotApi, bot_store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    group = await make_group(bot_store)
    await make_member(bot_store, 800, group=group, language="en")
    await make_member(bot_store, 801, group=group, language="en", role=Role.COORDINATOR)
    expert = server.user(800, first_name="Odd", language_code="en")
    coordinator = server.user(801, first_name="Coord", language_code="en")
    await _press_all(server, expert, EXPERT_PRESSES)
    await _press_all(server, coordinator, COORDINATOR_PRESSES)
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert server.rejections == []


async def test_notice_toggles_before_an_audience_get_a_clear_answer(
    app: BotApplication, server: FakeBotApi, bot_store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    group = await make_group(bot_store)
    await make_member(bot_store, 801, group=group, language="en", role=Role.COORDINATOR)
    coordinator = server.user(801, first_name="Coord", language_code="en")
    await coordinator.send("/notice")
    await coordinator.wait_for_message()
    await coordinator.send("Möte kl 14")
    audiences = await coordinator.wait_for_message()
    for data in ("ntd:k", "ntd:d", "ntd:s:0123456789ab"):  # the preview's, pressed too early
        query = await coordinator.press_data(audiences, data)
        await server.wait_until(lambda q=query: q in server.callback_answers)
        answer = server.callback_answers[query].get("text")
        assert answer == "Choose who gets the notice first.", data
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert server.rejections == []
