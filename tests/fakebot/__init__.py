"""The fake Bot API's own tests; the server itself lives in bot/sandbox/botapi (the sandbox
runs it too), and is re-exported here so tests say `from tests.fakebot import FakeBotApi`."""

from bot.sandbox.botapi import (
    Call,
    FakeBotApi,
    FakeChannel,
    FakeGroup,
    FakeUser,
    Limits,
    ManualClock,
    SentMessage,
)

__all__ = [
    "Call",
    "FakeBotApi",
    "FakeChannel",
    "FakeGroup",
    "FakeUser",
    "Limits",
    "ManualClock",
    "SentMessage",
]
