"""Run the bot until stopped: long polling, or a webhook when WEBHOOK_URL is set."""

from __future__ import annotations

from telegram import Update

from bot.app import build_application
from bot.config import ConfigError, Settings


def run(settings: Settings) -> None:
    """Start the bot and block until a signal stops it."""
    if settings.bot_token is None:
        raise ConfigError(
            "BOT_TOKEN is not set: put the token BotFather gave you in .env"
            " (see .env.example) or in the environment"
        )
    app = build_application(settings)
    if settings.webhook_url:
        assert settings.webhook_secret is not None
        app.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret.get_secret_value(),
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        app.run_polling(allowed_updates=Update.ALL_TYPES)
