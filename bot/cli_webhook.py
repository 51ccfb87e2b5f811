"""`samverkan webhook set`: point Telegram at the webhook once, from deploy tooling.

With several instances behind a balancer, the address is the balancer's and is set once per
deploy, not by each instance as it starts.
"""

from __future__ import annotations

import argparse

from telegram.error import TelegramError

from bot.config import ConfigError, Settings
from bot.lifecycle import ALLOWED_UPDATES
from bot.startup import StartFailed, explain


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`webhook set`."""
    hook = sub.add_parser("webhook", help="Telegram's webhook for this bot")
    actions = hook.add_subparsers(dest="action", required=True)
    actions.add_parser("set", help="send updates to WEBHOOK_URL, signed with WEBHOOK_SECRET")


async def set_webhook(settings: Settings) -> int:
    """Tell Telegram where to post updates and with which secret header; print the address."""
    if settings.bot_token is None:
        raise ConfigError("BOT_TOKEN is not set: the webhook is set for this bot's token")
    if settings.webhook_url is None or settings.webhook_secret is None:
        raise ConfigError("set WEBHOOK_URL and WEBHOOK_SECRET: they say where and how to post")
    from telegram import Bot

    token, url = settings.bot_token.get_secret_value(), settings.telegram_api_url
    try:
        async with Bot(token) if url is None else Bot(token, base_url=url) as bot:
            await bot.set_webhook(
                url=settings.webhook_url,
                secret_token=settings.webhook_secret.get_secret_value(),
                allowed_updates=ALLOWED_UPDATES,
            )
    except TelegramError as exc:
        raise StartFailed(explain(exc, settings)) from None
    print(f"webhook set: Telegram posts this bot's updates to {settings.webhook_url}")
    return 0
