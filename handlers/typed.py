"""Typed text where the bot shows buttons (the button it names, in either language), and
edited text that changes an answer given earlier."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from telegram import Update

from bot.domain.agencies import Directory
from bot.domain.callbacks import CallbackData
from bot.domain.errors import DomainError
from bot.domain.typed import pick
from bot.i18n import Markup, explain, t
from handlers.common import Choice, keyboard, reply
from handlers.context import BotContext

D = TypeVar("D")
Step = tuple[str, Sequence[Sequence[Choice]]]

LANGUAGES = ("sv", "en")


async def named_press(
    context: BotContext,
    text: str,
    shown: Callable[[], Awaitable[Step]],
) -> CallbackData | None:
    """The button of the step `shown` draws that the text names, as if it had been pressed."""
    own = context.lang
    choices: list[Choice] = []
    try:
        for lang in LANGUAGES:  # "svartarbete" from someone who reads English, too
            context.lang = lang
            _, rows = await shown()
            choices.extend(choice for row in rows for choice in row)
    finally:
        context.lang = own
    return pick(text, choices + _agency_names(choices, await context.agencies()))


async def show_revised(
    update: Update,
    context: BotContext,
    change: Awaitable[D | None],
    step: Callable[[D], Awaitable[Step]],
    key: str,
    *,
    protect: bool = False,
) -> bool:
    """Apply an edited answer and show its draft's step again under `key`'s line (False:
    the edited message was not that answer; a refusal, such as screening's, is said)."""
    try:
        draft = await change
    except DomainError as exc:
        await reply(update, context, explain(context.lang, exc))
        return True
    if draft is None:
        return False
    shown, rows = await step(draft)
    changed = Markup(f"{t(context.lang, key)}\n\n{shown}")
    await reply(update, context, changed, keyboard(rows), protect=protect)
    return True


def _agency_names(choices: list[Choice], agencies: Directory) -> list[Choice]:
    """An agency's button answers to each of its names ("Tullverket", "Customs"), whichever
    form its label shows."""
    return [
        (form, data)
        for _label, data in choices
        if (agency := agencies.get(getattr(data, "agency", None))) is not None
        for form in (agency.name, agency.named("en"), agency.short("sv"), agency.short("en"))
    ]
