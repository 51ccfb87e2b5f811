"""The fake webhook balancer: several updates in flight, never two of one person at once."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from bot.sandbox.botapi.webhook import WebhookPusher
from tests.fakebot import FakeBotApi
from tests.processes import free_port


class Seen:
    """What every instance got, in arrival order, and how many posts were open at once."""

    def __init__(self) -> None:
        self.log: list[tuple[int, str]] = []
        self.open: dict[int, int] = {}
        self.most_at_once = 0
        self.most_of_one = 0
        # Each person's posts are answered once their event is set.
        self.release: defaultdict[int, asyncio.Event] = defaultdict(asyncio.Event)


class Instance:
    """A webhook endpoint that holds each post until released."""

    def __init__(self, seen: Seen) -> None:
        self.seen = seen
        self.port = free_port()

    async def handle(self, request: web.Request) -> web.Response:
        update: dict[str, Any] = await request.json()
        seen, who = self.seen, int(update["message"]["from"]["id"])
        seen.open[who] = seen.open.get(who, 0) + 1
        seen.log.append((who, update["message"]["text"]))
        seen.most_at_once = max(seen.most_at_once, sum(seen.open.values()))
        seen.most_of_one = max(seen.most_of_one, seen.open[who])
        await seen.release[who].wait()
        seen.open[who] -= 1
        return web.Response(text="ok")


@pytest.fixture
async def instances() -> AsyncIterator[list[Instance]]:
    seen = Seen()
    made = [Instance(seen) for _ in range(2)]
    runners = []
    for instance in made:
        app = web.Application()
        app.router.add_post("/", instance.handle)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", instance.port).start()
        runners.append(runner)
    yield made
    for held in seen.release.values():  # a failed test must not leave posts waiting
        held.set()
    for runner in runners:
        await runner.cleanup()


async def test_several_in_flight_keep_each_persons_order(
    server: FakeBotApi, instances: list[Instance]
) -> None:
    seen = instances[0].seen
    server.state.webhook = {"url": "https://bot.example.org/", "secret_token": "s"}
    ada, bo = server.user(1, first_name="Ada"), server.user(2, first_name="Bo")
    queued = [(ada, "a0"), (bo, "b0"), (bo, "b1"), (ada, "a1"), (ada, "a2"), (bo, "b2")]
    for user, text in queued:
        await user.send(text)
    pusher = WebhookPusher(server.state, [f"http://127.0.0.1:{i.port}/" for i in instances], 2)
    pusher.start()
    try:
        await server.wait_until(lambda: len(seen.log) == 2)  # two in flight, held there
        assert seen.log == [(1, "a0"), (2, "b0")]
        seen.release[ada.id].set()  # Ada's go through; Bo's next waits for his first
        await server.wait_until(
            lambda: [t for w, t in seen.log if w == ada.id] == ["a0", "a1", "a2"]
        )
        assert [t for w, t in seen.log if w == bo.id] == ["b0"]
        seen.release[bo.id].set()
        await server.wait_until(lambda: len(pusher.delivered) == len(queued))
    finally:
        await pusher.stop()
    assert (seen.most_at_once, seen.most_of_one) == (2, 1)
    assert [t for w, t in seen.log if w == bo.id] == ["b0", "b1", "b2"]
    assert {index for _, index in pusher.delivered} == {0, 1}
    assert server.state.pending(100) == []
