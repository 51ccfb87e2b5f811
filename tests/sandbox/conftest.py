"""A running sandbox (the real bot, the local Bot API server, the web chat) per test module."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from aiohttp import ClientSession, web

from bot.config import Settings
from bot.sandbox.server import Options, Sandbox
from bot.sandbox.web import build_web

POST = {"X-Sandbox": "1"}


def sandbox_settings() -> Settings:
    """The deployment's defaults, untouched by any .env on the machine."""
    return Settings(_env_file=None)  # type: ignore[call-arg]


@dataclass
class Page:
    """The web chat's API, as the page uses it."""

    http: ClientSession
    url: str
    sandbox: Sandbox

    async def chat(self, chat_id: int, version: str = "") -> dict[str, Any]:
        async with self.http.get(f"{self.url}/api/chat/{chat_id}?version={version}") as r:
            assert r.status == 200, await r.text()
            return await r.json()  # type: ignore[no-any-return]

    async def post(self, path: str, body: dict[str, Any]) -> web.Response:
        async with self.http.post(f"{self.url}{path}", json=body, headers=POST) as r:
            assert r.status == 200, f"{path} {body}: {r.status} {await r.text()}"
            return await r.json()  # type: ignore[no-any-return]

    async def send(self, persona: int, text: str) -> None:
        await self.post("/api/send", {"persona": persona, "text": text})

    async def wait(
        self,
        chat_id: int,
        condition: Callable[[dict[str, Any]], bool],
        timeout: float = 10.0,  # noqa: ASYNC109 - a test helper's deadline
    ) -> dict[str, Any]:
        """The chat as soon as `condition` holds for it (long polling, as the page does)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        data = await self.chat(chat_id)
        while not condition(data):
            if loop.time() > deadline:
                texts = [m["html"][:80] for m in data["messages"]]
                raise AssertionError(f"chat {chat_id} never matched; it holds {texts}")
            data = await self.chat(chat_id, data["version"])
        return data


def texts(chat: dict[str, Any]) -> list[str]:
    return [m["html"] for m in chat["messages"]]


def having(fragment: str) -> Callable[[dict[str, Any]], bool]:
    return lambda chat: any(fragment in html for html in texts(chat))


@contextlib.asynccontextmanager
async def running_sandbox(folder: Path) -> AsyncIterator[tuple[Sandbox, str]]:
    """The demo sandbox and the address of its web chat (on a free port of 127.0.0.1)."""
    sandbox = Sandbox(Options(port=0, seed="demo", db=folder / "sandbox.db"), sandbox_settings())
    await sandbox.start()
    runner = web.AppRunner(build_web(sandbox), access_log=None, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield sandbox, f"http://127.0.0.1:{runner.addresses[0][1]}"
        # Every request the bot made matched the Bot API description.
        assert sandbox.world.api.violations == []
    finally:
        await runner.cleanup()
        await sandbox.stop()


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def page(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Page]:
    folder = tmp_path_factory.mktemp("sandbox")
    async with running_sandbox(folder) as (sandbox, url), ClientSession() as http:
        yield Page(http, url, sandbox)
