"""Run the bot until stopped: long polling, or a webhook when WEBHOOK_URL is set.

Whatever goes wrong at start (a token Telegram refuses, no network, a database that cannot
be opened, a port in use) ends in one line saying what is wrong: never a traceback, never the
token. A good start prints who the bot is and what to do next.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import signal

from bot.app import build_application
from bot.config import ConfigError, Settings
from bot.domain.models import Role
from bot.lifecycle import polling_options, stop_application
from bot.services import members as members_service
from bot.startup import StartFailed, explain, open_database
from bot.webhook_server import WebhookServer
from handlers.context import BotApplication
from storage.pg import is_postgres

log = logging.getLogger(__name__)


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
    settle_heap()
    _announce_when_ready(app, settings)
    try:
        if settings.webhook_url or is_postgres(settings.database_path):
            loop.run_until_complete(serve(app, settings, _stop_signal(loop)))
        else:
            app.run_polling(**polling_options())
    except Exception as exc:
        raise StartFailed(explain(exc, settings)) from None
    finally:
        if not loop.is_closed():
            loop.close()


def settle_heap() -> None:
    """Leave what start-up built (modules, the application) out of the garbage collector's
    full passes, which otherwise walk all of it while every thread waits (bench.purge: up to
    227 ms with the writer held); start-up's garbage is collected first, not kept."""
    gc.collect()
    gc.freeze()


def _stop_signal(loop: asyncio.AbstractEventLoop) -> asyncio.Event:
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop


async def serve(app: BotApplication, settings: Settings, stop: asyncio.Event) -> None:
    """Run until `stop` is set, as one of several instances may: open, take updates, then
    close in the order of python-telegram-bot's `run_webhook` / `run_polling`.

    A webhook is listened to but never set (the deploy step `samverkan webhook set` sets it,
    once for all instances); long polling is left to the leading instance, as Telegram
    serves one poller per token, and moves with the leadership.
    """
    server = WebhookServer(app, settings) if settings.webhook_url else None
    if server is None:
        app.bot_data.poll_when_leading = polling_options()
    assert app.post_init is not None
    try:
        await app.post_init(app)
        if server is not None:
            await _check_webhook(app, settings)
            await server.start()
        await app.start()
        await stop.wait()
    finally:
        if server is not None:
            await server.stop()
        await stop_application(app)


async def _check_webhook(app: BotApplication, settings: Settings) -> None:
    """Warn when Telegram posts elsewhere: the deploy has not run `samverkan webhook set`."""
    info = await app.bot.get_webhook_info()
    if info.url != settings.webhook_url:
        log.warning(
            "Telegram posts this bot's updates to %s, not to WEBHOOK_URL: run"
            " `samverkan webhook set` once for this deploy",
            info.url or "nowhere (no webhook set)",
        )


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
