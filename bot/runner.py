"""Run the bot until stopped: long polling, or a webhook when WEBHOOK_URL is set.

Whatever goes wrong at start (a token Telegram refuses, no network, a database that cannot
be opened, a port in use) ends in one line saying what is wrong: never a traceback, never the
token. A good start prints who the bot is and what to do next.
"""

from __future__ import annotations

import asyncio
from typing import Any

from bot.app import build_application
from bot.config import ConfigError, Settings
from bot.domain.models import Role
from bot.lifecycle import ALLOWED_UPDATES, polling_options
from bot.services import members as members_service
from bot.startup import StartFailed, explain, open_database
from handlers.context import BotApplication


def run(settings: Settings) -> None:
    """Start the bot and block until a signal stops it."""
    if settings.bot_token is None:
        raise ConfigError(
            "BOT_TOKEN is not set: put the token BotFather gave you in .env"
            " (see .env.example) or in the environment"
        )
    app = build_application(settings)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        # The database first (opened and migrated, then left to post_init), then Telegram:
        # initialised here, not by run_polling, which would log a failure with a traceback.
        loop.run_until_complete(_check_database(settings))
        loop.run_until_complete(app.initialize())
    except StartFailed:
        loop.close()
        raise
    except Exception as exc:
        loop.run_until_complete(app.shutdown())
        loop.close()
        raise StartFailed(explain(exc, settings)) from None
    _announce_when_ready(app, settings)
    try:
        if settings.webhook_url:
            app.run_webhook(**webhook_options(settings))
        else:
            app.run_polling(**polling_options())
    except Exception as exc:
        raise StartFailed(explain(exc, settings)) from None


async def _check_database(settings: Settings) -> None:
    db, _ = await open_database(settings)
    await db.close()


def _announce_when_ready(app: BotApplication, settings: Settings) -> None:
    opened = app.post_init
    assert opened is not None

    async def ready(app: BotApplication) -> None:
        await opened(app)
        print(await ready_line(app, settings), flush=True)

    app.post_init = ready


async def ready_line(app: BotApplication, settings: Settings) -> str:
    """Who the bot is and the admin's next step."""
    username = app.bot.username
    people = await members_service.all_members(app.bot_data.store)
    if not any(m.active and m.role is Role.ADMIN for m in people):
        step = "next: make the first admin with `samverkan invite --role admin` and open the link"
    else:
        step = f"members reach it at https://t.me/{username}; coordinators invite with /invite"
    mode = "webhook" if settings.webhook_url else "long polling"
    return f"running as @{username} ({mode}); {step}. Stop with Ctrl+C."


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
