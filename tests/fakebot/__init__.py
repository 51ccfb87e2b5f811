"""The fake Bot API's own tests; the server itself lives in bot/sandbox/botapi (the sandbox
runs it too), and is re-exported here so tests say `from tests.fakebot import FakeBotApi`."""

from bot.sandbox.botapi import *  # noqa: F403 - its public names are listed once, there
from bot.sandbox.botapi import __all__ as __all__
