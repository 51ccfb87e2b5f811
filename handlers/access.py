"""The one authorisation mechanism every update passes through.

The gate (run before any feature handler) ends every update from outside a private chat and
finds the member behind the rest. Every handler
the composition root registers is wrapped by `guard` with the level it needs (`allow`); a
handler registered without one needs a member, so a feature that forgets to say what it needs
is closed to strangers, never open to them. The wrapped check runs on the server for every
command, message and button, whatever the callback data claims.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, NamedTuple

from telegram import ChatMember, Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, BaseHandler, TypeHandler

from bot.domain.models import Member, Role
from bot.i18n import language_for, t
from bot.services.members import find_member
from handlers.common import answer, reply
from handlers.context import BotContext
from handlers.levels import Level

AnyHandler = BaseHandler[Update, BotContext, Any]
Callback = Callable[[Update, BotContext], Awaitable[Any]]


class Guarded(NamedTuple):
    """A handler and the level it needs; the composition root registers both."""

    level: Level
    handler: AnyHandler


def allow(level: Level, handler: AnyHandler) -> Guarded:
    """Say which level a handler needs."""
    return Guarded(level, handler)


def level_of(member: Member | None) -> Level:
    """The level a member (or a stranger, None) has."""
    if member is None or not member.active:
        return Level.ANYONE
    return {
        Role.EXPERT: Level.MEMBER,
        Role.COORDINATOR: Level.COORDINATOR,
        Role.ADMIN: Level.ADMIN,
    }[member.role]


def guard(level: Level, handler: AnyHandler) -> AnyHandler:
    """Make the handler's callback refuse, with one short answer, whoever is below `level`."""
    inner: Callback = handler.callback

    async def guarded(update: Update, context: BotContext) -> Any:
        if level_of(context.member) >= level:
            return await inner(update, context)
        await _refuse(update, context)
        return None

    handler.callback = guarded
    return handler


async def _refuse(update: Update, context: BotContext) -> None:
    if context.deactivated:
        key = "start.deactivated"
    else:
        key = "auth.not_registered" if context.member is None else "auth.not_allowed"
    if update.callback_query is not None:
        await answer(update, t(context.lang, key), alert=True)
    elif update.message is not None and update.effective_chat is not None:
        await reply(update, context, t(context.lang, key))


async def gate(update: Update, context: BotContext) -> None:
    """Keep to private chats; find the member behind the update (a stranger: none)."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or user.is_bot:
        raise ApplicationHandlerStop
    if chat is not None and chat.type != ChatType.PRIVATE:
        # Private chats only: nothing said in a group is acted on or answered (need-to-know),
        # and a channel (the residents' board) is written to, never read.
        if _joined_group(update):
            lang = language_for(user.language_code, context.settings.default_language)
            await reply(update, context, t(lang, "group.private_only", bot=context.bot.username))
        if _own_standing_in_channel(update):
            return  # to handlers that take it from anyone (a board stops when it must)
        raise ApplicationHandlerStop
    member = await find_member(context.store, user.id)
    context.found = member
    if member is not None and member.active:
        # Handlers see the name Telegram shows now; storing it is upkeep's job, later.
        context.member = member.model_copy(
            update={"display_name": user.full_name, "username": user.username}
        )
        context.lang = member.language
    else:
        context.deactivated = member is not None
        context.lang = language_for(user.language_code, context.settings.default_language)


def _joined_group(update: Update) -> bool:
    """The bot was just added to a group: the one moment it says something there."""
    change = update.my_chat_member
    return (
        change is not None
        and change.chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)
        and change.old_chat_member.status in (ChatMember.LEFT, ChatMember.BANNED)
        and change.new_chat_member.status in (ChatMember.MEMBER, ChatMember.ADMINISTRATOR)
    )


def _own_standing_in_channel(update: Update) -> bool:
    """The one thing read from a channel: Telegram saying the bot's own rights there changed."""
    change = update.my_chat_member
    return change is not None and change.chat.type == ChatType.CHANNEL


def build_gate() -> TypeHandler[Update, BotContext, None]:
    """The gate, to be registered in a group before every feature handler."""
    return TypeHandler(Update, gate)
