"""Webhook mode: updates posted to the bot's own HTTP server are handled only with the secret,
and an instance starting never sets the webhook (the deploy does, once)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
from pydantic import SecretStr

from bot.app import build_application
from bot.config import Settings
from bot.runner import serve
from handlers.context import BotApplication
from tests.e2e.conftest import settings_for
from tests.factories import FakeClock, make_member
from tests.fakebot import FakeBotApi


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _update(update_id: int, user_id: int, text: str) -> dict[str, object]:
    person = {"id": user_id, "is_bot": False, "first_name": "Hook"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id, "date": 1764486000, "text": text, "from": person,
            "chat": {"id": user_id, "type": "private", "first_name": "Hook"},
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
        },
    }  # fmt: skip


def _hook_settings(server: FakeBotApi, db: Path, port: int) -> Settings:
    return settings_for(server, db).model_copy(
        update={
            "webhook_url": "https://bot.example.invalid/hook",
            "webhook_port": port,
            "webhook_secret": SecretStr("s3cret-Token_1"),
        }
    )


@contextlib.asynccontextmanager
async def _serving(settings: Settings, clock: FakeClock) -> AsyncIterator[BotApplication]:
    """The bot as `samverkan run` serves a webhook, until the block ends (its stop signal)."""
    app = build_application(settings, clock=clock)
    await app.initialize()
    stop = asyncio.Event()
    serving = asyncio.create_task(serve(app, settings, stop))
    url = f"http://127.0.0.1:{settings.webhook_port}/"
    async with aiohttp.ClientSession() as http:
        while not serving.done():  # listening once a post is answered at all
            with contextlib.suppress(aiohttp.ClientConnectionError):
                async with http.post(url, data=b"") as answer:
                    assert answer.status == 403
                    break
            await asyncio.sleep(0.05)
    try:
        yield app
    finally:
        stop.set()
        await serving


async def test_webhook_checks_the_secret_on_every_request(
    server: FakeBotApi, tmp_path: Path, clock: FakeClock
) -> None:
    settings = _hook_settings(server, tmp_path / "hook.db", _free_port())
    async with _serving(settings, clock) as app:
        await make_member(app.bot_data.store, 900, language="en")
        user = server.user(900, first_name="Hook", language_code="en")
        user.mark_started()
        url = f"http://127.0.0.1:{settings.webhook_port}/"
        async with aiohttp.ClientSession() as http:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
                async with http.post(url, json=_update(1, 900, "/me"), headers=headers) as r:
                    assert r.status == 403
            good = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-Token_1"}
            async with http.post(url, data=b"{not json", headers=good) as r:
                assert r.status == 400
            async with http.post(url, json=_update(2, 900, "/me"), headers=good) as r:
                assert r.status == 200
        card = await user.wait_for_message(lambda m: "What the bot stores" in m.entities_text)
        assert "Telegram id: 900" in card.entities_text
        assert len(user.messages) == 1  # the refused posts were not handled


async def test_starting_in_webhook_mode_never_sets_the_webhook(
    server: FakeBotApi, tmp_path: Path, clock: FakeClock
) -> None:
    for n in range(3):  # three starts, as three instances or three deploys make
        settings = _hook_settings(server, tmp_path / f"hook{n}.db", _free_port())
        async with _serving(settings, clock) as app:
            assert app.bot_data.leadership.leading
    assert server.calls_to("setWebhook") == []
    assert server.calls_to("deleteWebhook") == []  # nor takes it away
    assert len(server.calls_to("getWebhookInfo")) == 3  # each looked whether it was set
