"""Fixtures and helpers shared by the fake Bot API's own tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from tests.fakebot import FakeBotApi, FakeUser, Limits


@pytest.fixture
async def server() -> AsyncIterator[FakeBotApi]:
    # Flood limits get their own tests with a controlled clock; elsewhere they would only make
    # the tests depend on timing.
    async with FakeBotApi(limits=Limits(enabled=False)) as fake:
        yield fake


@pytest.fixture
async def bot(server: FakeBotApi) -> AsyncIterator[Bot]:
    async with Bot(
        server.token, base_url=server.base_url, base_file_url=server.base_file_url
    ) as client:
        yield client


@pytest.fixture
async def anna(server: FakeBotApi) -> FakeUser:
    user = server.user(1001, first_name="Anna", username="anna", language_code="sv")
    await user.send("/start")
    return user


def spec_conform(server: FakeBotApi) -> int:
    """Check every successful answer against the result type api.json gives its method;
    returns how many were checked."""
    checked = 0
    for call in server.calls:
        if call.ok and call.method in server.spec.methods:
            returns = server.spec.methods[call.method]["returns"]
            assert server.spec.check(call.response["result"], returns, call.method) == []
            checked += 1
    return checked


def keyboard(*buttons: tuple[str, str]) -> InlineKeyboardMarkup:
    """One row of callback buttons from (text, callback_data) pairs."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d) for t, d in buttons]])


async def raw_request(
    server: FakeBotApi, method: str, *, data: Any = None, json_body: Any = None, get: bool = False
) -> tuple[int, dict[str, Any]]:
    """Call the fake without python-telegram-bot, to send what PTB never would."""
    url = f"{server.base_url}{server.token}/{method}"
    async with aiohttp.ClientSession() as session:
        if get:
            response = await session.get(url, params=data)
        else:
            response = await session.post(url, data=data, json=json_body)
        async with response:
            return response.status, await response.json()
