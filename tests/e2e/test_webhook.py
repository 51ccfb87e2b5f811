"""Webhook mode: updates posted to the bot's own HTTP server are handled only with the secret."""

from __future__ import annotations

import socket
from pathlib import Path

import aiohttp
from pydantic import SecretStr

from bot.app import build_application
from bot.lifecycle import start_application
from bot.runner import webhook_options
from tests.e2e.conftest import settings_for, stop_bot
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


async def test_webhook_checks_the_secret_on_every_request(
    server: FakeBotApi, tmp_path: Path, clock: FakeClock
) -> None:
    port = _free_port()
    settings = settings_for(server, tmp_path / "hook.db").model_copy(
        update={
            "webhook_url": "https://bot.example.invalid/hook",
            "webhook_port": port,
            "webhook_secret": SecretStr("s3cret-Token_1"),
        }
    )
    app = build_application(settings, clock=clock)
    await start_application(app, polling=False)
    assert app.updater is not None
    await app.updater.start_webhook(**webhook_options(settings))
    try:
        await make_member(app.bot_data.store, 900, language="en")
        user = server.user(900, first_name="Hook", language_code="en")
        user.mark_started()
        hook = server.calls_to("setWebhook")[-1].params
        assert hook["secret_token"] == "s3cret-Token_1"
        assert sorted(hook["allowed_updates"]) == [
            "callback_query",
            "edited_message",
            "message",
            "my_chat_member",
        ]
        url = f"http://127.0.0.1:{port}/"
        async with aiohttp.ClientSession() as http:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
                async with http.post(url, json=_update(1, 900, "/me"), headers=headers) as r:
                    assert r.status == 403
            good = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-Token_1"}
            async with http.post(url, json=_update(2, 900, "/me"), headers=good) as r:
                assert r.status == 200
        card = await user.wait_for_message(lambda m: "What the bot stores" in m.entities_text)
        assert "Telegram id: 900" in card.entities_text
        assert len(user.messages) == 1  # the refused posts were not handled
    finally:
        await stop_bot(app)
