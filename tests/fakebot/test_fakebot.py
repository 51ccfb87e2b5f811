"""Tests of the fake Bot API's protocol, validation and Telegram rules.

Driven through python-telegram-bot's real Bot and through raw HTTP.
"""

# Optional PTB attributes are dereferenced directly: a None there fails the test anyway.
# mypy: disable-error-code="union-attr"

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    LinkPreviewOptions,
    ReplyKeyboardMarkup,
    ReplyParameters,
)
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.sandbox.botapi.formatting import parse_text
from tests.fakebot import FakeBotApi, FakeUser, Limits, ManualClock, SentMessage
from tests.fakebot.conftest import keyboard, raw_request

# PTB itself warns about RetryAfter.retry_after's future type while building the exception.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


async def test_get_me(server: FakeBotApi, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (999000, "samverkan_test_bot", True)
    assert server.calls_to("getMe")[-1].status == 200


async def test_get_updates_long_poll_and_offset(server: FakeBotApi, bot: Bot) -> None:
    user = server.user(1001, first_name="Anna")
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.1)
    assert not poll.done(), "getUpdates must hold the request until an update arrives"
    sent = await user.send("/start abc")
    updates = await asyncio.wait_for(poll, 2)
    assert [u.message.text for u in updates] == ["/start abc"]
    message = updates[0].message
    assert message.message_id == sent["message_id"]
    assert message.from_user.id == 1001 and message.chat.type == "private"
    assert message.entities[0].type == "bot_command" and message.entities[0].length == 6
    assert user.started
    again = await bot.get_updates(timeout=0)
    assert [u.update_id for u in again] == [updates[0].update_id], "unconfirmed is redelivered"
    assert await bot.get_updates(offset=updates[0].update_id + 1, timeout=0) == ()


async def test_get_updates_via_query_string_honours_limit(server: FakeBotApi) -> None:
    user = server.user(1001)
    for text in ("one", "two", "three"):
        await user.send(text)
    status, body = await raw_request(server, "getUpdates", data={"limit": "2"}, get=True)
    assert status == 200
    assert [u["message"]["text"] for u in body["result"]] == ["one", "two"]
    assert server.calls[-1].params == {"limit": 2}


async def test_get_updates_times_out_empty(server: FakeBotApi, bot: Bot) -> None:
    started = asyncio.get_running_loop().time()
    assert await bot.get_updates(timeout=1) == ()
    assert asyncio.get_running_loop().time() - started >= 0.9


async def test_send_message_appears_in_chat(server: FakeBotApi, bot: Bot, anna: FakeUser) -> None:
    message = await bot.send_message(anna.id, "Hej <b>Anna</b> &amp; co", parse_mode="HTML")
    assert message.text == "Hej Anna & co"
    assert message.entities[0].type == "bold" and message.entities[0].offset == 4
    assert message.from_user.username == "samverkan_test_bot"
    sent = anna.last
    assert isinstance(sent, SentMessage)
    assert (sent.message_id, sent.text, sent.entities_text) == (
        message.message_id,
        "Hej <b>Anna</b> &amp; co",
        "Hej Anna & co",
    )
    assert str(sent) == "Hej Anna & co" and sent.parse_mode == "HTML"
    assert message.message_id > 1, "message ids are shared with the user's /start"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("<blink>x</blink>", 'Unsupported start tag "blink"'),
        ("<b>never closed", "Can't find end tag"),
        ("<b><i>x</b></i>", "Unmatched end tag"),
        ("fish & chips", 'Unescaped "&"'),
        ("1 < 2", "Unsupported start tag"),
        ("line<br>break", 'Unsupported start tag "br"'),
        ("&nbsp;", "Unsupported HTML entity"),
        ('<span class="x">s</span>', "tg-spoiler"),
    ],
)
async def test_bad_html_is_rejected(
    server: FakeBotApi, bot: Bot, anna: FakeUser, text: str, reason: str
) -> None:
    with pytest.raises(BadRequest, match=r"(?i)an't parse entities") as caught:
        await bot.send_message(anna.id, text, parse_mode="HTML")
    assert reason.lower() in str(caught.value).lower()
    assert anna.messages == []
    assert server.rejections[-1].status == 400 and server.violations == []


async def test_complex_html_is_accepted(bot: Bot, anna: FakeUser) -> None:
    html = (
        '<b>bold <i>both</i></b> <a href="https://ex.se/?a=1&amp;b=2">link</a> '
        "<code>x&lt;y</code>\n"
        '<pre><code class="language-python">print("hi")</code></pre>'
        '<tg-spoiler>s1</tg-spoiler> <span class="tg-spoiler">s2</span> '
        "<u>u</u><s>s</s><blockquote expandable>quote</blockquote>"
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji> &#128512; &#x1F600; &quot;q&quot;'
    )
    message = await bot.send_message(anna.id, html, parse_mode="HTML")
    expected = 'bold both link x<y\nprint("hi")s1 s2 usquote👍 😀 😀 "q"'
    assert message.text == expected == anna.last.entities_text
    kinds = {e.type: e for e in message.entities}
    assert set(kinds) >= {"bold", "italic", "text_link", "code", "pre", "spoiler", "underline"}
    assert kinds["text_link"].url == "https://ex.se/?a=1&b=2"
    assert kinds["pre"].language == "python"
    assert kinds["expandable_blockquote"].length == 5
    assert kinds["custom_emoji"].custom_emoji_id == "5368324170671202286"


async def test_markdown_v2(server: FakeBotApi, bot: Bot, anna: FakeUser) -> None:
    with pytest.raises(BadRequest, match=r"(?i)Character '.' is reserved"):
        await bot.send_message(anna.id, "Klart.", parse_mode="MarkdownV2")
    with pytest.raises(BadRequest, match=r"(?i)Can't find end of Bold entity"):
        await bot.send_message(anna.id, "*fet", parse_mode="MarkdownV2")
    text = r"*fet* _kursiv_ __under__ ~struken~ ||dold|| [länk](https://ex.se/\(x\)) `a.b` klart\."
    message = await bot.send_message(anna.id, text, parse_mode="MarkdownV2")
    assert message.text == "fet kursiv under struken dold länk a.b klart."
    kinds = [e.type for e in message.entities]
    assert kinds == [
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "text_link",
        "code",
    ]
    assert message.entities[5].url == "https://ex.se/(x)"
    assert len(server.rejections) == 2


async def test_length_is_counted_in_utf16_after_parsing(
    server: FakeBotApi, bot: Bot, anna: FakeUser
) -> None:
    await bot.send_message(anna.id, "a" * 4096)
    await bot.send_message(anna.id, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")
    await bot.send_message(anna.id, "😀" * 2048)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(anna.id, "a" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        # 2049 code points, but 4098 UTF-16 units.
        await bot.send_message(anna.id, "😀" * 2049)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(anna.id, "<b> \n </b>", parse_mode="HTML")
    assert len(anna.messages) == 3 and len(server.rejections) == 3


async def test_caption_limit_and_trimming(bot: Bot, anna: FakeUser) -> None:
    message = await bot.send_message(anna.id, "\n  <i>hej</i>  \n", parse_mode="HTML")
    assert message.text == "hej" and message.entities[0].offset == 0
    with pytest.raises(BadRequest, match=r"(?i)caption is too long"):
        await bot.send_document(anna.id, b"x", filename="a.txt", caption="c" * 1025)


async def test_callback_data_limit_in_bytes(server: FakeBotApi, bot: Bot, anna: FakeUser) -> None:
    await bot.send_message(anna.id, "ok", reply_markup=keyboard(("a", "x" * 64)))
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(anna.id, "no", reply_markup=keyboard(("a", "x" * 65)))
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(anna.id, "no", reply_markup=keyboard(("a", "å" * 33)))
    assert [m.entities_text for m in anna.messages] == ["ok"]
    assert server.rejections[-1].response["description"] == "Bad Request: BUTTON_DATA_INVALID"


async def test_unknown_parameter_is_a_violation(
    server: FakeBotApi, bot: Bot, anna: FakeUser
) -> None:
    with pytest.raises(BadRequest):
        await bot.send_message(anna.id, "hej", api_kwargs={"disable_web_page_preview": True})
    assert server.violations == ["sendMessage: unknown parameter 'disable_web_page_preview'"]
    assert anna.messages == []


async def test_missing_required_parameter_is_a_violation(
    server: FakeBotApi, anna: FakeUser
) -> None:
    status, body = await raw_request(server, "sendMessage", data={"chat_id": str(anna.id)})
    assert status == 400 and body["ok"] is False
    assert "missing required parameter 'text'" in body["description"]
    assert server.violations == ["sendMessage: missing required parameter 'text'"]


_BUTTON_TYPO = {"inline_keyboard": [[{"text": "x", "callback_dat": "y"}]]}
_BUTTON_INT_TEXT = {"inline_keyboard": [[{"text": 5, "callback_data": "y"}]]}


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("reply_markup", _BUTTON_TYPO, "unknown field 'callback_dat' in InlineKeyboardButton"),
        ("reply_markup", _BUTTON_INT_TEXT, ".text: expected String, got Integer"),
        ("reply_markup", {"inline_keyboard": {"text": "x"}}, "expected Array of Array"),
        ("reply_parameters", {"message_id": "1"}, "expected Integer, got String"),
        ("link_preview_options", {"is_disabled": "yes"}, "expected Boolean"),
    ],
)
async def test_nested_object_errors_are_violations(
    server: FakeBotApi, anna: FakeUser, field: str, value: Any, problem: str
) -> None:
    data = {"chat_id": str(anna.id), "text": "hej", field: json.dumps(value)}
    status, body = await raw_request(server, "sendMessage", data=data)
    assert status == 400 and problem in body["description"]
    assert len(server.violations) == 1 and problem in server.violations[0]
    assert f"sendMessage.{field}" in server.violations[0]
    assert anna.messages == []


async def test_scope_union_checks_discriminator(server: FakeBotApi, anna: FakeUser) -> None:
    commands = json.dumps([{"command": "start", "description": "Start"}])
    for scope, problem in [
        ({"type": "chat"}, "missing required field 'chat_id'"),
        ({"type": "chats", "chat_id": anna.id}, "not a valid BotCommandScope type"),
    ]:
        data = {"commands": commands, "scope": json.dumps(scope)}
        status, _ = await raw_request(server, "setMyCommands", data=data)
        assert status == 400 and problem in server.violations[-1]
    assert server.commands_for(anna.id) == []


async def test_ptb_objects_pass_validation(server: FakeBotApi, bot: Bot, anna: FakeUser) -> None:
    first = await bot.send_message(anna.id, "first")
    markup = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Ja", callback_data="yes")],
            [InlineKeyboardButton("Webb", url="https://ex.se")],
        ]
    )
    await bot.send_message(
        anna.id,
        "svar",
        reply_markup=markup,
        reply_parameters=ReplyParameters(first.message_id, allow_sending_without_reply=True),
        link_preview_options=LinkPreviewOptions(is_disabled=True),
        protect_content=True,
        disable_notification=True,
    )
    reply_keyboard = ReplyKeyboardMarkup(
        [[KeyboardButton("Dela plats", request_location=True)]], one_time_keyboard=True
    )
    await bot.send_message(anna.id, "plats?", reply_markup=reply_keyboard)
    await bot.send_location(anna.id, 59.41, 17.92, horizontal_accuracy=20.0)
    await bot.send_chat_action(anna.id, "typing")
    assert server.violations == [] and server.rejections == []
    assert anna.messages[1].protect_content and anna.messages[1].button_texts() == ["Ja", "Webb"]
    assert anna.messages[1].raw["reply_to_message"]["message_id"] == first.message_id
    assert anna.messages[2].buttons() == [[("Dela plats", None)]]
    assert "reply_markup" not in anna.messages[2].raw, "only inline keyboards are in a Message"
    assert anna.messages[3].location == {
        "latitude": 59.41,
        "longitude": 17.92,
        "horizontal_accuracy": 20.0,
    }


async def test_unknown_and_unserved_methods(server: FakeBotApi, bot: Bot) -> None:
    status, body = await raw_request(server, "sendTelepathy", data={"x": "1"})
    assert (status, body) == (404, {"ok": False, "error_code": 404, "description": "Not Found"})
    with pytest.raises(BadRequest, match=r"(?i)not served"):
        await bot.send_dice(1001)
    assert server.violations == ["unknown method: sendTelepathy", "not served by fake: sendDice"]


async def test_json_body_is_accepted(server: FakeBotApi, anna: FakeUser) -> None:
    body = {"chat_id": anna.id, "text": "via json", "reply_markup": {"inline_keyboard": []}}
    status, response = await raw_request(server, "sendMessage", json_body=body)
    assert status == 200 and response["result"]["text"] == "via json"
    assert anna.last.entities_text == "via json" and server.violations == []


async def test_chat_rules(server: FakeBotApi, bot: Bot) -> None:
    silent = server.user(2002, first_name="Bo")
    with pytest.raises(Forbidden, match=r"(?i)bot can't initiate conversation with a user"):
        await bot.send_message(silent.id, "hej")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(424242, "hej")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message("@bo", "hej")
    assert [c.status for c in server.rejections] == [403, 400, 400]
    assert not silent.started and silent.messages == []


async def test_blocked_user_gets_403_and_bot_sees_member_update(
    server: FakeBotApi, bot: Bot, anna: FakeUser
) -> None:
    anna.block()
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(anna.id, "hej")
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_document(anna.id, b"data", filename="x.txt")
    updates = await bot.get_updates(timeout=0)
    kicked = updates[-1].my_chat_member
    assert kicked is not None and kicked.new_chat_member.status == "kicked"
    anna.unblock()
    await bot.send_message(anna.id, "välkommen tillbaka")
    assert [m.entities_text for m in anna.messages] == ["välkommen tillbaka"]
    assert len(server.rejections) == 2


async def test_per_chat_burst_gives_429_with_retry_after() -> None:
    clock = ManualClock()
    async with FakeBotApi(clock=clock) as server:
        user = server.user(1001)
        await user.send("hi")
        async with Bot(server.token, base_url=server.base_url) as bot:
            for n in range(3):
                await bot.send_message(user.id, f"burst {n}")
            with pytest.raises(RetryAfter):
                await bot.send_message(user.id, "one too many")
            assert server.calls[-1].response["parameters"] == {"retry_after": 1}
            assert server.calls[-1].response["description"] == "Too Many Requests: retry after 1"
            assert server.count_429 == 1 and server.rejections == []
            clock.advance(1.0)
            await bot.send_message(user.id, "after waiting")
            with pytest.raises(RetryAfter):
                await bot.edit_message_text("edited", user.id, user.last.message_id)
            assert len(user.messages) == 4 and server.count_429 == 2


async def test_global_limit_across_chats() -> None:
    clock = ManualClock()
    limits = Limits(global_per_s=30, per_chat_burst=100)
    async with FakeBotApi(limits=limits, clock=clock) as server:
        users = [server.user(5000 + n) for n in range(31)]
        for user in users:
            await user.send("/start")
        async with Bot(server.token, base_url=server.base_url) as bot:
            for user in users[:30]:
                await bot.send_message(user.id, "nyhetsbrev")
            with pytest.raises(RetryAfter):
                await bot.send_message(users[30].id, "nyhetsbrev")
            clock.advance(1.0)
            await bot.send_message(users[30].id, "nyhetsbrev")
        assert server.count_429 == 1


async def test_no_429_when_limits_disabled() -> None:
    async with FakeBotApi(clock=ManualClock()) as server:
        user = server.user(1001)
        await user.send("/start")
        server.limits.enabled = False
        async with Bot(server.token, base_url=server.base_url) as bot:
            for n in range(10):
                await bot.send_message(user.id, f"snabb {n}")
        assert server.count_429 == 0 and len(user.messages) == 10


async def test_fail_next_injects_faults(server: FakeBotApi, bot: Bot, anna: FakeUser) -> None:
    server.fail_next("sendMessage", 500)
    with pytest.raises(NetworkError, match=r"(?i)Internal Server Error"):
        await bot.send_message(anna.id, "first try")
    await bot.send_message(anna.id, "second try")
    server.fail_next("sendMessage", 429, retry_after=7)
    with pytest.raises(RetryAfter):
        await bot.send_message(anna.id, "throttled")
    assert server.calls[-1].response["parameters"]["retry_after"] == 7
    assert [m.entities_text for m in anna.messages] == ["second try"]
    assert [c.status for c in server.calls_to("sendMessage")] == [500, 200, 429]
    assert server.count_429 == 1 and server.rejections == []


def test_parse_text_entities_use_utf16_offsets() -> None:
    parsed = parse_text("😀 <b>fet</b>", "HTML")
    assert parsed.text == "😀 fet"
    assert parsed.entities == [{"type": "bold", "offset": 3, "length": 3}]
