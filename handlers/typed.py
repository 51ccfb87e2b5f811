"""Typed text where the bot shows buttons (the button it names, in either language), and
edited text that changes an answer given earlier; `Wizard` puts presses, typed names of
buttons and edited answers of a flow composed step by step through the same two functions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from telegram import Update

from bot.domain.agencies import Directory
from bot.domain.callbacks import CallbackData
from bot.domain.errors import DomainError
from bot.domain.typed import pick
from bot.i18n import Markup, explain, t
from handlers.common import Choice, answer, edit, keyboard, pressed, reply, stale
from handlers.context import BotContext

D = TypeVar("D")
P = TypeVar("P", bound=CallbackData)
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


@dataclass(frozen=True)
class Wizard(Generic[D, P]):
    """A flow composed step by step in a draft: `step` draws the step a draft is at, `act`
    does what a press asks and draws where it leads (or the last word, without buttons)."""

    draft: type[D]
    presses: tuple[type[P], ...]
    step: Callable[[BotContext, D], Awaitable[Step]]
    act: Callable[[BotContext, P], Awaitable[Step]]
    protect: bool = False  # a step may show a flag's content: never forwarded or saved

    async def button(self, update: Update, context: BotContext) -> None:
        """One press: the step it leads to, in the message whose button was pressed."""
        query, press = update.callback_query, pressed(update, *self.presses)
        if query is None or press is None:
            await stale(update, context)
            return
        try:
            text, rows = await self.act(context, press)
        except DomainError as exc:
            await answer(update, explain(context.lang, exc), alert=exc.key != "auth.stale_button")
            return
        await answer(update)
        await edit(query, text, keyboard(rows) if rows else None)

    async def show_next(self, update: Update, context: BotContext, change: Awaitable[D]) -> None:
        """Apply a typed or shared answer and send the step it leads to (or why it cannot)."""
        await self.show(update, context, self._drawn(context, change))

    async def typed(self, update: Update, context: BotContext, text: str, draft: object) -> bool:
        """Text typed on a step with buttons: what the button it names does, in either
        language (False if it names none)."""
        assert isinstance(draft, self.draft)
        press = await named_press(context, text, lambda: self.step(context, draft))
        if not isinstance(press, self.presses):
            return False
        await self.show(update, context, self.act(context, press))
        return True

    async def resume(self, update: Update, context: BotContext, draft: object) -> None:
        """Show the unfinished draft's step in the message whose Continue was pressed."""
        assert isinstance(draft, self.draft) and update.callback_query is not None
        await answer(update)
        text, rows = await self.step(context, draft)
        await edit(update.callback_query, text, keyboard(rows))

    async def revised(
        self, update: Update, context: BotContext, change: Awaitable[D | None], key: str
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
        await self.again(update, context, draft, key)
        return True

    async def again(
        self, update: Update, context: BotContext, draft: object, key: str = "flow.waiting"
    ) -> None:
        """Show the draft's step in a new message, under `key`'s line (by default: the
        member was in the middle of it)."""
        assert isinstance(draft, self.draft)
        shown, rows = await self.step(context, draft)
        text = Markup(f"{t(context.lang, key)}\n\n{shown}")
        await reply(update, context, text, keyboard(rows), protect=self.protect)

    async def _drawn(self, context: BotContext, change: Awaitable[D]) -> Step:
        return await self.step(context, await change)

    async def show(self, update: Update, context: BotContext, drawn: Awaitable[Step]) -> None:
        """Send the step drawn (or why it cannot be)."""
        try:
            text, rows = await drawn
        except DomainError as exc:
            await reply(update, context, explain(context.lang, exc))
            return
        await reply(update, context, text, keyboard(rows) if rows else None, protect=self.protect)


def _agency_names(choices: list[Choice], agencies: Directory) -> list[Choice]:
    """An agency's button answers to each of its names ("Tullverket", "Customs"), whichever
    form its label shows."""
    return [
        (form, data)
        for _label, data in choices
        if (agency := agencies.get(getattr(data, "agency", None))) is not None
        for form in (agency.name, agency.named("en"), agency.short("sv"), agency.short("en"))
    ]
