"""Run the bot until stopped: long polling, or a webhook when WEBHOOK_URL is set."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.app import build_application
from bot.config import ConfigError, Settings

# Only the updates a handler uses: an edited message, say, must not run its command again.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER]


def run(settings: Settings) -> None:
    """Start the bot and block until a signal stops it."""
    if settings.bot_token is None:
        raise ConfigError(
            "BOT_TOKEN is not set: put the token BotFather gave you in .env"
            " (see .env.example) or in the environment"
        )
    app = build_application(settings)
    if settings.webhook_url:
        app.run_webhook(**webhook_options(settings))
    else:
        app.run_polling(**polling_options())


def webhook_options(settings: Settings) -> dict[str, Any]:
    """How the webhook listens; Telegram's secret header is checked on every request."""
    assert settings.webhook_url is not None and settings.webhook_secret is not None
    return {
        "listen": settings.webhook_listen,
        "port": settings.webhook_port,
        "webhook_url": settings.webhook_url,
        "secret_token": settings.webhook_secret.get_secret_value(),
        "allowed_updates": ALLOWED_UPDATES,
    }


def polling_options() -> dict[str, Any]:
    """What long polling asks Telegram for."""
    return {"allowed_updates": ALLOWED_UPDATES}
