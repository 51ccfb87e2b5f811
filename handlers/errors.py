"""The last resort: log what went wrong (never its text), tell the person, end the update."""

from __future__ import annotations

import logging
import traceback

from telegram import Update
from telegram.error import NetworkError, TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.i18n import language_for, t
from bot.services.members import find_member
from handlers.common import answer, reply
from handlers.context import BotContext
from storage.errors import StorageBusy, StorageError

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    """Log an unexpected error by type and place, answer the update, and stop handling it."""
    error = context.error
    busy = _busy(error)
    update_id = update.update_id if isinstance(update, Update) else None
    if busy:
        log.warning("database busy while handling update %s", update_id)
    elif isinstance(error, NetworkError):
        log.warning("Telegram unreachable for update %s: %s", update_id, type(error).__name__)
    elif error is not None:
        # Messages of exceptions may quote what a member typed; log only type and frames.
        frames = "".join(traceback.format_tb(error.__traceback__))
        log.error("unhandled %s on update %s\n%s", type(error).__name__, update_id, frames)
    if isinstance(update, Update) and update.effective_chat is not None:
        await _tell(update, context, _key(busy, context.store.committed_here()))
    # Without this PTB runs the later handler groups: after an error in the gate a feature
    # would save what the member was just told was not saved.
    raise ApplicationHandlerStop


def _busy(error: Exception | None) -> bool:
    return isinstance(error, StorageBusy)


def _key(busy: bool, committed: bool) -> str:
    # Only an update that committed nothing may be told "nothing was saved": an error while
    # answering, after the change was saved, is not an error while saving.
    if committed:
        return "error.after_save"
    return "error.busy" if busy else "error.generic"


async def _tell(update: Update, context: BotContext, key: str) -> None:
    text = t(await _language(update, context), key)
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
    except StorageError:
        member = None
    if member is not None and member.active:
        return member.language
    return language_for(user.language_code, context.settings.default_language)
