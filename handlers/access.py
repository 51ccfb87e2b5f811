"""The one authorisation gate every update passes before any feature handler sees it.

Each handler is tagged with the level it needs (`allow`). The gate finds the handler that
will take the update, compares the level with the member behind the update, and stops the
update with one short answer when it falls short. An untagged handler needs a member, so a
feature that forgets to say what it needs is closed to strangers, never open to them.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any, TypeVar

from telegram import Update
from telegram.ext import ApplicationHandlerStop, BaseHandler, TypeHandler

from bot.domain.models import Member, Role
from bot.i18n import language_for, t
from bot.services.members import find_member, refresh_profile
from handlers.common import answer, reply
from handlers.context import BotContext


class Level(IntEnum):
    """Who may use a handler."""

    ANYONE = 0
    MEMBER = 1
    COORDINATOR = 2
    ADMIN = 3


_ATTR = "samverkan_level"
H = TypeVar("H", bound=BaseHandler[Any, Any, Any])


def allow(level: Level, handler: H) -> H:
    """Tag a handler with the level it needs."""
    setattr(handler, _ATTR, level)
    return handler


def level_of(member: Member | None) -> Level:
    """The level a member (or a stranger, None) has."""
    if member is None or not member.active:
        return Level.ANYONE
    return {
        Role.EXPERT: Level.MEMBER,
        Role.COORDINATOR: Level.COORDINATOR,
        Role.ADMIN: Level.ADMIN,
    }[member.role]


def _required(update: Update, context: BotContext) -> Level:
    # Ask the handlers in dispatch order which one takes this update, as the Application will.
    for group in sorted(g for g in context.application.handlers if g >= 0):
        for handler in context.application.handlers[group]:
            check = handler.check_update(update)
            if check is not None and check is not False:
                level: Level = getattr(handler, _ATTR, Level.MEMBER)
                return level
    return Level.MEMBER


async def gate(update: Update, context: BotContext) -> None:
    """Load the member behind the update and stop it when they may not do this."""
    user = update.effective_user
    if user is None or user.is_bot:
        raise ApplicationHandlerStop
    member = await find_member(context.store, user.id)
    if member is not None and member.active:
        context.member = member
        context.lang = member.language
        await refresh_profile(
            context.store, member, display_name=user.full_name, username=user.username
        )
    else:
        context.lang = language_for(user.language_code, context.settings.default_language)
    needed = _required(update, context)
    have = level_of(context.member)
    if have >= needed:
        return
    if member is not None and not member.active:
        key = "start.deactivated"
    else:
        key = "auth.not_registered" if have is Level.ANYONE else "auth.not_allowed"
    if update.callback_query is not None:
        await answer(update, t(context.lang, key), alert=True)
    elif update.effective_message is not None and update.effective_chat is not None:
        await reply(update, context, t(context.lang, key))
    raise ApplicationHandlerStop


def build_gate() -> TypeHandler[Update, BotContext, None]:
    """The gate, to be registered in a group before every feature handler."""
    return TypeHandler(Update, gate)
