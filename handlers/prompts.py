"""Typed text: answers to what the bot asked, buttons named instead of pressed, commands
without their slash; and /cancel."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.domain.errors import DomainError
from bot.domain.typed import fold
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


# Swedish words for commands typed without the slash (folded: no case, no accents).
WORDS = {
    "flagga": "flag", "flaggor": "flags", "logga": "log", "hjalp": "help", "avbryt": "cancel",
    "checkain": "checkin", "incheckning": "checkin", "checkaut": "checkout",
    "utcheckning": "checkout", "pass": "shifts", "installningar": "settings", "sprak": "language",
}  # fmt: skip


async def answer_prompt(update: Update, context: BotContext) -> None:
    """Hand typed text to what waits for it: a reply to a flag's card is a comment, then the
    question the bot asked, the button of a draft's step it names, a command named without
    its slash; else say what the step waits for (or that it was not understood)."""
    assert update.message is not None and update.message.text is not None
    text = update.message.text
    if await comment_reply(update, context):
        return
    asked = await prompts_service.open_prompt(context.store, context.me, context.now())
    answer = context.bot_data.prompts.get(asked[0]) if asked else None
    found = await flows.drafted(context.store, context.me)
    typed = context.bot_data.typed.get(found.flow) if found else None
    # A draft's step that takes text takes its buttons by name first: "skip" on the place
    # step is Skip, not a place called "skip".
    of_draft = asked is None or answer is None or asked[0] in flows.OF_DRAFT
    if of_draft and found and typed and await typed(update, context, text, found.draft):
        return
    if asked is not None and answer is not None:
        await prompts_service.answering(context.store, context.me, update.message.message_id)
        await answer_with(update, context, text, asked[1], answer)
        return
    if await word_command(update, context, text):
        return
    hint = context.bot_data.hints.get(found.flow) if found else None
    said = (
        hint(context.lang, found.draft)
        if hint and found
        else t(context.lang, "error.not_understood")
    )
    await reply(update, context, said)


async def answer_with(
    update: Update, context: BotContext, text: str, payload: str | None, answer: PromptAnswer
) -> None:
    """Screen the text (identity numbers) and hand it to the feature that asked for it."""
    try:
        screened = prompts_service.screen_answer(text)
    except DomainError as exc:
        await reply(update, context, explain(context.lang, exc))
        return
    await answer(update, context, screened, payload)


async def word_command(update: Update, context: BotContext, text: str) -> bool:
    """Run the command the text names without its slash ("checkin", "hjälp"); False if none."""
    word = fold(text).replace(" ", "")
    run = context.bot_data.commands.get(WORDS.get(word, word))
    if run is None:
        return False
    context.args = []
    await run(update, context)
    return True


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
