"""Typed text where the bot shows buttons: the button it names, in either language."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from bot.domain.callbacks import CallbackData
from bot.domain.typed import pick
from handlers.common import Choice
from handlers.context import BotContext

LANGUAGES = ("sv", "en")


async def named_press(
    context: BotContext,
    text: str,
    shown: Callable[[], Awaitable[tuple[str, Sequence[Sequence[Choice]]]]],
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
    return pick(text, choices)
