"""Telegram tells the bot when a member blocks or unblocks it; act on it before sending."""

from __future__ import annotations

from telegram import ChatMember, Update
from telegram.ext import ChatMemberHandler

from bot.services.delivery import member_returned, member_unreachable
from handlers.access import Guarded, allow
from handlers.context import BotContext
from handlers.levels import Level
from handlers.menu import MenuEntry

MENU: list[MenuEntry] = []


async def chat_member_changed(update: Update, context: BotContext) -> None:
    """Hold messages for a member who blocked the bot; release them when they unblock."""
    change = update.my_chat_member
    if change is None or change.chat.type != "private":
        return
    if change.new_chat_member.status == ChatMember.BANNED:
        await member_unreachable(context.store, context.me.id, context.now())
    elif change.new_chat_member.status == ChatMember.MEMBER:
        await member_returned(context.store, context.me, context.now())


def build_handlers() -> list[Guarded]:
    """Members only: a stranger blocking the bot changes nothing."""
    return [
        allow(
            Level.MEMBER,
            ChatMemberHandler(chat_member_changed, ChatMemberHandler.MY_CHAT_MEMBER),
        )
    ]
