"""Small Telegram helpers shared by the feature handlers."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar, overload

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import BadRequest, Forbidden

from bot.domain.callbacks import CallbackData, unpack_any
from bot.domain.errors import DomainError
from bot.i18n import explain, t
from handlers.context import BotContext

log = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
Choice = tuple[str, CallbackData]  # a button's text and what pressing it means
K = TypeVar("K", bound=CallbackData)
K2 = TypeVar("K2", bound=CallbackData)
K3 = TypeVar("K3", bound=CallbackData)
R = TypeVar("R")


def keyboard(rows: Sequence[Sequence[Choice]]) -> InlineKeyboardMarkup:
    """An inline keyboard from rows of (text, button)."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(text, callback_data=data.pack()) for text, data in row]
            for row in rows
        ]
    )


def in_rows(buttons: Sequence[Choice], per_row: int = 2) -> list[list[Choice]]:
    """Lay out buttons a few to a row, as phones show them best."""
    return [list(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]


@overload
def pressed(update: Update, kind: type[K], /) -> K | None: ...
@overload
def pressed(update: Update, kind: type[K], kind2: type[K2], /) -> K | K2 | None: ...
@overload
def pressed(
    update: Update, kind: type[K], kind2: type[K2], kind3: type[K3], /
) -> K | K2 | K3 | None: ...
@overload
def pressed(update: Update, *kinds: type[K]) -> K | None: ...
def pressed(update: Update, *kinds: type[CallbackData]) -> CallbackData | None:
    """The button pressed, if its data is exactly one of these kinds (else None: stale)."""
    query = update.callback_query
    return unpack_any(query.data if query is not None else None, *kinds)


async def stale(update: Update, context: BotContext) -> None:
    """Answer a press of a button that no longer means anything (old, or forged)."""
    await answer(update, t(context.lang, "auth.stale_button"))


async def reply(
    update: Update,
    context: BotContext,
    text: str,
    markup: Markup | None = None,
    *,
    protect: bool = False,
) -> Message | None:
    """Send a message to the chat of this update (the person who is typing).

    `protect`: the message shows (or may be edited to show) a flag's content, which must
    not be forwarded or saved.
    """
    chat = update.effective_chat
    if chat is None:
        return None
    # Every request waits its turn, and out short 429s, below this (bot/telegram_request.py).
    try:
        return await context.bot.send_message(
            chat.id, text, reply_markup=markup, protect_content=protect or None
        )
    except Forbidden:
        log.info("chat %s blocked the bot; reply dropped", chat.id)
        return None


async def edit(
    query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Replace the text of the message whose button was pressed (unless it would not change)."""
    if _unchanged(query, text, markup):
        return  # Telegram would refuse it: "message is not modified"
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        # A double tap asks for the same content twice; Telegram refuses the second.
        if "not modified" not in exc.message:
            raise


async def unbutton(context: BotContext, chat_id: int, message_id: int) -> None:
    """Take the buttons off a message the bot sent earlier, so they cannot be pressed."""
    try:
        await context.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)
    except BadRequest as exc:
        # Gone, too old to edit, or without buttons already: nothing left to press then.
        log.info("buttons not removed: %s", exc.message)


_TAG = re.compile(r"<[^>]*>")


def _unchanged(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> bool:
    # The message in the query is as the member sees it now. Its text is plain (formatting
    # comes as entities), so compare with our HTML's plain text; a change of formatting
    # alone is never something a screen of ours does.
    shown = query.message
    if not isinstance(shown, Message) or shown.text is None:
        return False
    plain = html.unescape(_TAG.sub("", text)).strip()
    return plain == shown.text.strip() and markup == shown.reply_markup


async def answer(update: Update, text: str | None = None, alert: bool = False) -> None:
    """Answer the button press of this update, if it is one."""
    if update.callback_query is not None:
        try:
            await update.callback_query.answer(text, show_alert=alert)
        except BadRequest as exc:
            # An answer that comes too late is refused; the press itself was handled.
            log.info("callback answer refused: %s", exc.message)


async def attempt(
    update: Update, context: BotContext, act: Callable[[], Awaitable[R]]
) -> R | None:
    """What a button's service call returns; None when it refused, and the presser was told
    why in an alert."""
    try:
        return await act()
    except DomainError as exc:
        await answer(update, explain(context.lang, exc), alert=True)
        return None


async def carry_out(
    update: Update, context: BotContext, kind: type[K], act: Callable[[K], Awaitable[R]]
) -> R | None:
    """What the service call for the button pressed returns; None when the button is stale
    or the call refused (the presser is told which)."""
    chosen = pressed(update, kind)
    if update.callback_query is None or chosen is None:
        await stale(update, context)
        return None
    return await attempt(update, context, lambda: act(chosen))
