"""What members get for anything no feature handled: a pointer to /help."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.i18n import t
from handlers.common import answer, reply
from handlers.context import BotContext


async def unknown_command(update: Update, context: BotContext) -> None:
    """Say the command is unknown."""
    await reply(update, context, t(context.lang, "error.unknown_command"))


async def not_understood(update: Update, context: BotContext) -> None:
    """Say the message was not understood."""
    await reply(update, context, t(context.lang, "error.not_understood"))


async def stale_button(update: Update, context: BotContext) -> None:
    """Answer a button that no feature recognises (old, or forged)."""
    await answer(update, t(context.lang, "auth.stale_button"))


def build_handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """Catch-alls; registered in the last group so every feature gets the first look."""
    return [
        MessageHandler(filters.UpdateType.MESSAGE & filters.COMMAND, unknown_command),
        CallbackQueryHandler(stale_button),
        MessageHandler(filters.UpdateType.MESSAGE, not_understood),
    ]
