"""The last resort: log what went wrong (never its text) and tell the person."""

from __future__ import annotations

import logging
import sqlite3
import traceback

from telegram import Update
from telegram.error import NetworkError, TelegramError

from bot.i18n import language_for, t
from bot.services.members import find_member
from handlers.common import answer, reply
from handlers.context import BotContext

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    """Log an unexpected error by type and place, and answer the update if there is one."""
    error = context.error
    busy = isinstance(error, sqlite3.OperationalError) and "locked" in str(error)
    update_id = update.update_id if isinstance(update, Update) else None
    if busy:
        log.warning("database busy while handling update %s", update_id)
    elif isinstance(error, NetworkError):
        log.warning("Telegram unreachable for update %s: %s", update_id, type(error).__name__)
    elif error is not None:
        # Messages of exceptions may quote what a member typed; log only type and frames.
        frames = "".join(traceback.format_tb(error.__traceback__))
        log.error("unhandled %s on update %s\n%s", type(error).__name__, update_id, frames)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    text = t(await _language(update, context), "error.busy" if busy else "error.generic")
    try:
        if update.callback_query is not None:
            await answer(update, text, alert=True)
        else:
            await reply(update, context, text)
    except TelegramError as exc:
        log.warning("could not tell chat about the error: %s", type(exc).__name__)


async def _language(update: Update, context: BotContext) -> str:
    # PTB gives the error handler a fresh context, so the member is looked up again (a read,
    # which a writer's lock does not block in WAL mode).
    user = update.effective_user
    if user is None:
        return context.settings.default_language
    try:
        member = await find_member(context.store, user.id)
    except sqlite3.Error:
        member = None
    if member is not None and member.active:
        return member.language
    return language_for(user.language_code, context.settings.default_language)
