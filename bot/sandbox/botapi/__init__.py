"""A local Telegram Bot API server: the sandbox runs the bot against it, and the tests do too.

    async with FakeBotApi() as server:
        app = ApplicationBuilder().token(server.token).base_url(server.base_url)
        ...  # .base_file_url(server.base_file_url), start polling
        anna = server.user(1001, first_name="Anna")
        await anna.send("/start")
        reply = await anna.wait_for_message()
        await anna.press(reply, "Ja")
        board = server.channel(-1001234567890, "Järva", "jarva")  # the bot as administrator
        board.set_bot_rights("member")  # the owner takes its rights away
        post = await board.wait_for_message(lambda m: "Bemannat" in m.entities_text)

Requests are checked against api.json (`server.violations`) and against Telegram's rules
(`server.rejections`, `server.count_429`). Flood limits follow `server.limits`; with the
default limits and the real clock a chat gets at most 3 messages at once, then 1 per second,
so pass `clock=ManualClock()` or `Limits(enabled=False)` where timing is not the subject.
"""

from bot.sandbox.botapi.channels import FakeChannel
from bot.sandbox.botapi.models import Call, SentMessage
from bot.sandbox.botapi.ratelimit import Limits, ManualClock
from bot.sandbox.botapi.server import FakeBotApi
from bot.sandbox.botapi.users import FakeGroup, FakeUser

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
