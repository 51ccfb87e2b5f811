"""Small Telegram helpers shared by the feature handlers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import BadRequest, Forbidden, RetryAfter

from handlers.context import BotContext

log = logging.getLogger(__name__)

# A direct reply waits out short 429s; longer waits are the outbox's business.
MAX_REPLY_WAIT_S = 10.0

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


def keyboard(rows: Sequence[Sequence[tuple[str, str]]]) -> InlineKeyboardMarkup:
    """An inline keyboard from rows of (text, callback data)."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text, callback_data=data) for text, data in row] for row in rows]
    )


def in_rows(buttons: Sequence[tuple[str, str]], per_row: int = 2) -> list[list[tuple[str, str]]]:
    """Lay out buttons a few to a row, as phones show them best."""
    return [list(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]


async def reply(
    update: Update, context: BotContext, text: str, markup: Markup | None = None
) -> Message | None:
    """Send a message to the chat of this update (the person who is typing)."""
    chat = update.effective_chat
    if chat is None:
        return None
    try:
        return await _patiently(
            lambda: context.bot.send_message(chat.id, text, reply_markup=markup)
        )
    except Forbidden:
        log.info("chat %s blocked the bot; reply dropped", chat.id)
        return None


async def edit(
    query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Replace the text of the message whose button was pressed."""
    try:
        await _patiently(lambda: query.edit_message_text(text, reply_markup=markup))
    except BadRequest as exc:
        # A double tap asks for the same content twice; Telegram refuses the second.
        if "not modified" not in exc.message:
            raise


T = TypeVar("T")


async def _patiently(call: Callable[[], Awaitable[T]]) -> T:
    # Someone tapping fast (while the outbox also writes to them) can outrun Telegram's
    # per-chat limit: wait out short 429s, up to MAX_REPLY_WAIT_S in all.
    waited = 0.0
    while True:
        try:
            return await call()
        except RetryAfter as exc:
            wait = exc.retry_after
            seconds = float(wait if isinstance(wait, int | float) else wait.total_seconds())
            if waited + seconds > MAX_REPLY_WAIT_S:
                raise
            waited += seconds
            await asyncio.sleep(seconds)


async def answer(update: Update, text: str | None = None, alert: bool = False) -> None:
    """Answer the button press of this update, if it is one."""
    if update.callback_query is not None:
        try:
            await update.callback_query.answer(text, show_alert=alert)
        except BadRequest as exc:
            # An answer that comes too late is refused; the press itself was handled.
            log.info("callback answer refused: %s", exc.message)


def callback_parts(update: Update, prefix: str, count: int) -> list[str] | None:
    """Split `prefix:a:b` callback data into `count` parts, or None when it is malformed."""
    query = update.callback_query
    if query is None or query.data is None:
        return None
    head, _, rest = query.data.partition(":")
    parts = rest.split(":") if rest else []
    if head != prefix or len(parts) != count:
        return None
    return parts


def as_int(text: str) -> int | None:
    """An int from callback data, or None when it is not one."""
    return int(text) if text.isdigit() and len(text) < 19 else None
