"""Plain text answers to what the bot asked, and /cancel."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.domain.errors import DomainError
from bot.i18n import explain, t
from bot.services import flows
from bot.services import prompts as prompts_service
from handlers.access import Guarded, allow
from handlers.common import reply, unbutton
from handlers.context import BotContext
from handlers.flags import comment_reply
from handlers.levels import Level
from handlers.menu import MenuEntry, Section

PromptAnswer = Callable[[Update, BotContext, str, str | None], Awaitable[None]]
LocationAnswer = Callable[[Update, BotContext, float, float], Awaitable[None]]

MENU = [MenuEntry("cancel", Level.MEMBER, "cmd.cancel", task=Section.SHIFT)]


async def answer_prompt(update: Update, context: BotContext) -> None:
    """Hand the text to the feature that asked for it (a reply to a flag's card is a comment
    on the flag), or say it was not understood."""
    assert update.message is not None and update.message.text is not None
    if await comment_reply(update, context):
        return
    asked = await prompts_service.open_prompt(context.store, context.me, context.now())
    answer = context.bot_data.prompts.get(asked[0]) if asked else None
    if asked is None or answer is None:
        await reply(update, context, t(context.lang, "error.not_understood"))
        return
    try:
        text = prompts_service.screen_answer(update.message.text)
    except DomainError as exc:
        await reply(update, context, explain(context.lang, exc))
        return
    await answer(update, context, text, asked[1])


async def cancel(update: Update, context: BotContext) -> None:
    """Stop whatever the member was doing, say what it was, and take away any reply keyboard
    (the check-in button) so the next tap cannot act."""
    stopped = await flows.stop(context.store, context.me, context.now())
    lines = [t(context.lang, f"cancel.{flow}") for flow in stopped.flows or ["nothing"]]
    await reply(update, context, "\n".join(dict.fromkeys(lines)), ReplyKeyboardRemove())
    if stopped.message_id is not None and update.effective_chat is not None:
        await unbutton(context, update.effective_chat.id, stopped.message_id)


def build_handlers() -> list[Guarded]:
    """Text answers and /cancel, for members."""
    text = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND
    return [
        allow(Level.MEMBER, CommandHandler("cancel", cancel)),
        allow(Level.MEMBER, MessageHandler(text, answer_prompt)),
    ]
