"""The last resort: log what went wrong (never its text) and tell the person."""

from __future__ import annotations

import logging
import sqlite3
import traceback

from telegram import Update
from telegram.error import NetworkError, TelegramError

from bot.i18n import t
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
    text = t(context.lang, "error.busy" if busy else "error.generic")
    try:
        if update.callback_query is not None:
            await answer(update, text, alert=True)
        else:
            await reply(update, context, text)
    except TelegramError as exc:
        log.warning("could not tell chat about the error: %s", type(exc).__name__)
