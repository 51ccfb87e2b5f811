"""A bare python-telegram-bot echo bot: the yardstick of bench/updates.py.

Run as its own process, `python -m bench.echo_bot`, with BOT_TOKEN and TELEGRAM_API_URL in the
environment. PTB's defaults throughout: updates are processed one at a time unless
ECHO_CONCURRENT=1, which turns on `concurrent_updates(True)`.
"""

from __future__ import annotations

import os

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a text message with the same text."""
    assert update.message is not None and update.message.text is not None
    await update.message.reply_text(update.message.text)


def main() -> None:
    builder = (
        ApplicationBuilder()
        .token(os.environ["BOT_TOKEN"])
        .base_url(os.environ["TELEGRAM_API_URL"])
    )
    if os.environ.get("ECHO_CONCURRENT") == "1":
        builder = builder.concurrent_updates(True)
    app = builder.build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.run_polling()


if __name__ == "__main__":
    main()
