"""Private chats only: in a group the bot says once how to reach it privately, and nothing
else, whoever writes there and whatever they write; in a channel (the residents' board) it
says nothing at all."""

from __future__ import annotations

import asyncio
import logging

import pytest

from handlers.context import BotApplication
from storage.store import Store
from tests.factories import make_group, make_member
from tests.fakebot import FakeBotApi

PRIVATE_ONLY = (
    "I only work in private chats, where what you tell me stays between us."
    " Write to me directly: @samverkan_test_bot"
)
OFFICE = (59.3880, 17.9280)


async def test_in_a_group_the_bot_says_once_where_to_reach_it_and_nothing_else(
    app: BotApplication, server: FakeBotApi, bot_store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    group = await make_group(bot_store)
    coordinator = await make_member(bot_store, 700, group=group, name="Sara", language="en")
    sara = server.user(700, first_name="Sara Renamed", language_code="en")
    team = server.group(-1001000000700, "Rinkeby team")

    team.add_bot(by=sara)
    intro = await team.wait_for_message()
    assert intro.entities_text == PRIVATE_ONLY
    for text in ("/me", "/flags", "/flags@samverkan_test_bot", "/help", "/checkin", "/start x",
                 "/frobnicate", "hello bot"):  # fmt: skip
        await team.send(sara, text)
    await team.share_location(sara, *OFFICE)
    forged = await team.press_data(sara, intro.raw, "fl:a:1")
    await asyncio.sleep(1.0)

    assert [m.entities_text for m in team.messages] == [PRIVATE_ONLY]
    assert sara.messages == []  # nothing leaks into a private chat either
    assert forged not in server.callback_answers
    async with bot_store.read() as tx:
        assert await tx.presences.open_for(coordinator.id) is None
        stored = await tx.members.get(coordinator.id)
    assert stored is not None and stored.display_name == "Sara"  # no write at all
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []

    await sara.send("/me")  # privately, the same person is served as always
    card = await sara.wait_for_message()
    assert "Sara Renamed" in card.entities_text


async def test_a_stranger_adding_the_bot_gets_the_same_single_line(
    app: BotApplication, server: FakeBotApi
) -> None:
    stranger = server.user(701, first_name="Nobody", language_code="en")
    chat = server.group(-4000000701, "Some chat", type="group")
    chat.add_bot(by=stranger)
    assert (await chat.wait_for_message()).entities_text == PRIVATE_ONLY
    await chat.send(stranger, "/start")
    await asyncio.sleep(0.5)
    assert len(chat.messages) == 1 and stranger.messages == []


async def test_a_channel_hears_nothing(app: BotApplication, server: FakeBotApi) -> None:
    admin = server.user(702, first_name="Admin", language_code="en")
    board = server.channel(-1001000000702, "Rinkeby board", owner=admin, bot_status="left")
    board.set_bot_rights("administrator")
    await board.post("/help")
    await asyncio.sleep(0.5)
    assert board.messages == [] and admin.messages == []
    assert board.requests() == []
