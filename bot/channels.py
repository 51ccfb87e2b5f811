"""The Telegram side of a residents' board: may the bot keep a post in this channel?

Asked by `samverkan group publish` before a board is set up and by a coordinator's "try
again" after one stopped: the bot must be an administrator of a channel with the rights to post
(and so edit its own posts) and to edit messages (which is what pinning takes in a channel).
"""

from __future__ import annotations

from telegram import Bot, ChatMemberAdministrator
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden

from bot.domain.board import Channel
from bot.domain.errors import DomainError
from bot.i18n import Markup, t

NEEDED_RIGHTS = ("can_post_messages", "can_edit_messages")


class ChannelNotReady(DomainError):
    """The bot cannot keep a board in that channel (the message says why and what to do)."""

    key = "board.bot_not_admin"


def channel_ref(text: str) -> str | int:
    """What Telegram takes as a chat: "@name" (a bare name gets its @) or a numeric id."""
    text = text.strip()
    if text.lstrip("-").isdigit():
        return int(text)
    return text if text.startswith("@") else f"@{text}"


async def check_channel(bot: Bot, ref: str | int) -> Channel:
    """The channel, if the bot may keep a board there; ChannelNotReady saying why not."""
    shown = str(ref)
    try:
        chat = await bot.get_chat(ref)
    except (BadRequest, Forbidden) as exc:
        raise ChannelNotReady("board.channel_not_found", channel=shown, bot=bot.username) from exc
    channel = Channel(id=chat.id, name=chat.username, title=chat.title or shown)
    if chat.type != ChatType.CHANNEL:
        raise ChannelNotReady("board.not_a_channel", channel=channel.shown)
    try:
        member = await bot.get_chat_member(chat.id, bot.id)
    except (BadRequest, Forbidden) as exc:
        raise ChannelNotReady(channel=channel.shown, bot=bot.username) from exc
    if not isinstance(member, ChatMemberAdministrator):
        raise ChannelNotReady(channel=channel.shown, bot=bot.username)
    missing = [right for right in NEEDED_RIGHTS if not getattr(member, right)]
    if missing:
        raise ChannelNotReady(
            "board.bot_lacks_rights", channel=channel.shown, bot=bot.username, rights=missing
        )
    return channel


def describe(lang: str, problem: ChannelNotReady) -> Markup:
    """What is wrong with the channel and what to do, in a language."""
    values = dict(problem.values)
    rights = values.pop("rights", None)
    if isinstance(rights, list):
        values["rights"] = Markup(
            t(lang, "board.and").join(t(lang, f"board.right.{right}") for right in rights)
        )
    return t(lang, problem.key, **values)
