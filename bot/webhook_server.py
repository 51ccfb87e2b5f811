"""The webhook's HTTP server: Telegram's posts (through the balancer) in, updates out to the
application.

python-telegram-bot's `run_webhook` calls setWebhook on every start, which it cannot be told
not to do; with several instances behind one address, the address is set once per deploy
(`samverkan webhook set`) and the instances only listen. So the bot serves the webhook here.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging

from aiohttp import web
from telegram import Update

from bot.config import Settings
from bot.ordering import PerPersonUpdateProcessor
from handlers.context import BotApplication

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - the header's name
# A post waits at most this long for its update's turn: Telegram must have its answer long
# before it gives up on the post (and sends it again), whatever holds a person up.
ADMIT_WAIT_S = 10.0
# Telegram's updates are small; a file is a file_id, never its bytes.
MAX_BODY = 1024 * 1024


class WebhookServer:
    """Listens where WEBHOOK_LISTEN and WEBHOOK_PORT say; every post must carry the secret."""

    def __init__(self, app: BotApplication, settings: Settings) -> None:
        assert settings.webhook_secret is not None
        self._app = app
        self._secret = settings.webhook_secret.get_secret_value().encode()
        self._listen = settings.webhook_listen
        self._port = settings.webhook_port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        """Start listening (an OSError when the port is taken)."""
        http = web.Application(client_max_size=MAX_BODY)
        http.router.add_post("/", self._post)
        self._runner = web.AppRunner(http, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self._listen, self._port).start()

    async def stop(self) -> None:
        """Stop listening; posts being read are answered first."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _post(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            return web.Response(status=403)
        try:
            data = json.loads(await request.read())
            update = Update.de_json(data, self._app.bot)
        except (ValueError, TypeError, KeyError):
            # Not an update: Telegram never sends one, so say so and keep nothing.
            log.warning("webhook: a post that is not an update was refused")
            return web.Response(status=400)
        processor = self._app.update_processor
        admitted = None
        if isinstance(processor, PerPersonUpdateProcessor) and processor.across is not None:
            # Several instances: answered once the update holds its person's turn on the
            # server, so a person's next update, posted after this answer, queues behind it.
            admitted = processor.admitted(update.update_id)
        await self._app.update_queue.put(update)
        if admitted is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(admitted.wait(), ADMIT_WAIT_S)
        return web.Response(status=200)
