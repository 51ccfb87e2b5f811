"""Channels in the fake Bot API: posting, editing and pinning as an administrator, and
Telegram's answers when the bot is not one (or lacks a right)."""

# Optional PTB attributes are dereferenced directly: a None there fails the test anyway.
# mypy: disable-error-code="union-attr"

from __future__ import annotations

import pytest
from telegram import Bot, ChatMemberAdministrator, ChatMemberLeft, ChatMemberOwner
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, RetryAfter

from tests.fakebot import FakeBotApi, Limits, ManualClock
from tests.fakebot.conftest import spec_conform

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

CHANNEL = -1001234567890


async def test_admin_posts_edits_and_pins_in_a_public_channel(
    server: FakeBotApi, bot: Bot
) -> None:
    channel = server.channel(CHANNEL, "Aktionsgruppen Järva", "aktionsgruppen_jarva")
    chat = await bot.get_chat("@Aktionsgruppen_Jarva")  # Telegram ignores the case
    assert (chat.id, chat.type, chat.username) == (CHANNEL, ChatType.CHANNEL, channel.username)
    me = await bot.get_chat_member(CHANNEL, bot.id)
    assert isinstance(me, ChatMemberAdministrator)
    assert me.can_post_messages and me.can_edit_messages
    admins = await bot.get_chat_administrators("@aktionsgruppen_jarva")
    assert [type(a) for a in admins] == [ChatMemberOwner, ChatMemberAdministrator]

    post = await bot.send_message(CHANNEL, "<b>Bemannat</b>", parse_mode="HTML")
    assert post.chat.type == ChatType.CHANNEL and post.sender_chat.id == CHANNEL
    assert post.from_user is None, "a channel post is sent on behalf of the channel"
    assert await bot.pin_chat_message(CHANNEL, post.message_id, disable_notification=True)
    await bot.edit_message_text("Inte bemannat", CHANNEL, post.message_id)
    assert channel.pinned is not None and channel.pinned.message_id == post.message_id
    assert channel.pinned.entities_text == "Inte bemannat" and channel.pinned.edits == 1
    assert (await bot.get_chat(CHANNEL)).pinned_message.message_id == post.message_id
    assert [c.method for c in channel.requests("sendMessage", "pinChatMessage")] == [
        "sendMessage",
        "pinChatMessage",
    ]
    assert await bot.unpin_chat_message(CHANNEL)
    assert channel.pinned is None
    assert spec_conform(server) >= 9
    assert server.violations == [] and server.rejections == []


async def test_a_bot_that_is_not_in_the_channel_is_refused(server: FakeBotApi, bot: Bot) -> None:
    server.channel(CHANNEL, "Järva", "jarva", bot_status="left")
    server.channel(CHANNEL - 1, "Hemlig", None, bot_status="left")
    assert isinstance(await bot.get_chat_member("@jarva", bot.id), ChatMemberLeft)
    with pytest.raises(Forbidden, match=r"(?i)bot is not a member of the channel chat"):
        await bot.send_message("@jarva", "x")
    with pytest.raises(BadRequest, match=r"(?i)member list is inaccessible"):
        await bot.get_chat_administrators(CHANNEL)
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.get_chat(CHANNEL - 1)  # private, and the bot is not in it: invisible
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.get_chat("@nosuchchannel")
    assert server.violations == []


async def test_missing_rights_and_a_demotion_the_bot_is_told_of(
    server: FakeBotApi, bot: Bot
) -> None:
    channel = server.channel(CHANNEL, "Järva", "jarva", can_edit_messages=False)
    post = await bot.send_message(CHANNEL, "Hej")
    await bot.edit_message_text("Hej igen", CHANNEL, post.message_id)  # its own post
    with pytest.raises(BadRequest, match=r"(?i)not enough rights to manage pinned messages"):
        await bot.pin_chat_message(CHANNEL, post.message_id)

    channel.set_bot_rights("member")
    (update,) = await bot.get_updates(timeout=0)
    change = update.my_chat_member
    assert change.chat.type == ChatType.CHANNEL
    assert change.old_chat_member.status == "administrator"
    assert change.new_chat_member.status == "member"
    with pytest.raises(BadRequest, match=r"(?i)need administrator rights in the channel chat"):
        await bot.send_message(CHANNEL, "x")
    with pytest.raises(BadRequest, match=r"(?i)need administrator rights in the channel chat"):
        await bot.edit_message_text("y", CHANNEL, post.message_id)
    channel.set_bot_rights("member")  # no change, no update
    assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == ()
    assert [m.entities_text for m in channel.messages] == ["Hej igen"]
    assert spec_conform(server) >= 3 and server.violations == []


async def test_a_channel_takes_twenty_posts_a_minute() -> None:
    clock = ManualClock()
    async with FakeBotApi(limits=Limits(), clock=clock) as server:
        server.channel(CHANNEL, "Järva", "jarva")
        async with Bot(server.token, base_url=server.base_url) as bot:
            for _ in range(20):
                await bot.send_message(CHANNEL, "x")
                clock.advance(1.0)
            with pytest.raises(RetryAfter):
                await bot.send_message(CHANNEL, "x")
            clock.advance(60.0)
            await bot.send_message(CHANNEL, "x")
        assert server.count_429 == 1
