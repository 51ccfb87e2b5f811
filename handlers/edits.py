"""Edited messages: an edit changes the answer its message gave while that step is open; it
never runs a command again, and an edit of a message whose step has passed changes nothing."""

from __future__ import annotations

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.services import prompts as prompts_service
from handlers.access import Guarded, allow
from handlers.context import BotContext
from handlers.levels import Level
from handlers.menu import MenuEntry
from handlers.prompts import answer_with

MENU: list[MenuEntry] = []


async def edited(update: Update, context: BotContext) -> None:
    """Take an edited message's new text as the answer it gave, where that still can be."""
    message = update.edited_message
    if message is None or message.text is None or message.text.startswith("/"):
        return  # a command runs once; a caption or a location is no typed answer
    asked = await prompts_service.answered_by(
        context.store, context.me, message.message_id, context.now()
    )
    answer = context.bot_data.prompts.get(asked[0]) if asked else None
    if asked is not None and answer is not None:
        await answer_with(update, context, message.text, asked[1], answer)
        return
    for revise in context.bot_data.revisions.values():
        if await revise(update, context, message.text):
            return


def build_handlers() -> list[Guarded]:
    """First of all features: no command or text handler ever sees an edit."""
    return [allow(Level.MEMBER, MessageHandler(filters.UpdateType.EDITED_MESSAGE, edited))]
