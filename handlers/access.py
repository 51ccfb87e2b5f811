"""The one authorisation gate every update passes before any feature handler sees it.

Each feature handler comes with the level it needs (`allow`). The gate finds the handler that
will take the update, compares the level with the member behind the update, and stops the
update with one short answer when it falls short. A handler without a level needs a member, so a
feature that forgets to say what it needs is closed to strangers, never open to them.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from telegram import Update
from telegram.ext import ApplicationHandlerStop, BaseHandler, TypeHandler

from bot.domain.models import Member, Role
from bot.i18n import language_for, t
from bot.services.delivery import member_returned
from bot.services.members import find_member, refresh_profile
from handlers.common import answer, reply
from handlers.context import BotContext
from handlers.levels import Level
from handlers.menu import schedule_menu_sync

AnyHandler = BaseHandler[Update, BotContext, Any]


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


def _required(update: Update, context: BotContext) -> Level:
    # Ask the handlers in dispatch order which one takes this update, as the Application will.
    for group in sorted(g for g in context.application.handlers if g >= 0):
        for handler in context.application.handlers[group]:
            check = handler.check_update(update)
            if check is not None and check is not False:
                return context.bot_data.levels.get(id(handler), Level.MEMBER)
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
        if member.unreachable_since is not None and (update.message or update.callback_query):
            # Writing or pressing a button means they are back (a block notice is not).
            await member_returned(context.store, member, context.now())
    else:
        context.lang = language_for(user.language_code, context.settings.default_language)
    if member is not None and member.menu_synced != member.menu_state:
        schedule_menu_sync(context)  # e.g. the command line changed their role
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
