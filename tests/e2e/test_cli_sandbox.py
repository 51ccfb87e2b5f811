"""`samverkan run` without a token starts the local sandbox: one line, then the web chat answers
within 10 s; `samverkan sandbox` does it explicitly, and a port in use is one line."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
from pathlib import Path
from typing import Any

from aiohttp import ClientError, ClientSession

from tests.e2e.test_cli_run import closed_port, finish, start

ANSWER_WITHIN_S = 10.0
# The bot behind the page: seeded and polling (a busy shared machine takes its time).
READY_WITHIN_S = 60.0


async def answers(port: int, deadline: float, path: str = "/api/world") -> bytes:
    """What the port answers at `path` once it answers 200 (before the deadline)."""
    loop = asyncio.get_running_loop()
    async with ClientSession() as http:
        while True:
            try:
                async with http.get(f"http://127.0.0.1:{port}{path}") as r:
                    if r.status == 200:
                        return await r.read()
            except ClientError:
                pass
            assert loop.time() < deadline, f"nothing answered on port {port} in time"
            await asyncio.sleep(0.1)


async def world(port: int) -> dict[str, Any]:
    """The sandbox's world, once the bot is up."""
    loaded = await answers(port, asyncio.get_running_loop().time() + READY_WITHIN_S)
    return json.loads(loaded)  # type: ignore[no-any-return]


async def test_run_without_a_token_starts_the_sandbox_and_answers_within_10_s(
    tmp_path: Path,
) -> None:
    port = closed_port()
    loop = asyncio.get_running_loop()
    began = loop.time()
    process = await start(tmp_path, "run", SANDBOX_PORT=str(port))
    assert process.stdout is not None
    first = await asyncio.wait_for(process.stdout.readline(), ANSWER_WITHIN_S)
    assert first.decode() == (
        f"No BOT_TOKEN: starting the local sandbox at http://127.0.0.1:{port} (nothing leaves"
        " this machine); put a token in .env to run on Telegram\n"
    )
    page = await answers(port, began + ANSWER_WITHIN_S, "/")
    assert b"/static/app.js" in page  # the web chat, which waits for the bot if need be
    people = {p["name"] for p in (await world(port))["personas"]}
    assert {"Cecilia Holm", "Anna Lindqvist"} <= people
    process.send_signal(signal.SIGINT)
    code, out, err = await finish(process)
    assert code == 0, err
    assert out == "" and "Traceback" not in err  # the one line was all it printed
    assert (tmp_path / "sandbox.db").exists()  # its own database, not DATABASE_URL's
    assert not (tmp_path / "run.db").exists()


async def test_the_sandbox_command_takes_a_port_and_an_empty_seed(tmp_path: Path) -> None:
    port = closed_port()
    process = await start(
        tmp_path, "sandbox", "--port", str(port), "--seed", "empty", "--db", "empty.db"
    )
    empty = await world(port)
    assert [p["role"] for p in empty["personas"]] == ["newcomer"]
    assert isinstance(empty["invite"], str)  # the first admin's code, to send with /start
    process.send_signal(signal.SIGINT)
    code, out, err = await finish(process)
    assert code == 0, err
    assert out.startswith(f"sandbox at http://127.0.0.1:{port}")
    assert (tmp_path / "empty.db").exists()


async def test_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = await start(tmp_path, "sandbox", "--port", str(port))
        code, out, err = await finish(process)
    assert code == 1
    assert err.strip() == (
        f"samverkan: cannot listen on 127.0.0.1:{port} (address already in use):"
        " stop what uses it or choose another port with --port"
    ), err
