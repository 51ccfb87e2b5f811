"""`samverkan run` processes for the tests and benches that run several instances: each in
webhook mode on its own port, against the fake Bot API and one PostgreSQL database."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys

from tests.fakebot import FakeBotApi


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Instance:
    """One `samverkan run` process, its log read as it comes."""

    def __init__(self, process: asyncio.subprocess.Process, port: int) -> None:
        self.process = process
        self.port = port
        self.log: list[str] = []
        self.ready = asyncio.Event()
        self._readers = [asyncio.create_task(self._read(process.stdout)),
                         asyncio.create_task(self._read(process.stderr))]  # fmt: skip

    async def _read(self, stream: asyncio.StreamReader | None) -> None:
        assert stream is not None
        while line := await stream.readline():
            text = line.decode()
            self.log.append(text)
            if text.startswith("running as @"):
                self.ready.set()

    @property
    def leads(self) -> bool:
        return any("this instance leads now" in line for line in self.log)

    async def stop(self) -> None:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 30)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        await asyncio.gather(*self._readers, return_exceptions=True)


async def start_instance(
    server: FakeBotApi, url: str, secret: str, extra: dict[str, str] | None = None
) -> Instance:
    """`samverkan run` in webhook mode on `url`, once it said it is running (`extra`: more
    of its environment, e.g. its log level)."""
    port = free_port()
    ours = ("BOT_", "WEBHOOK_", "TELEGRAM_", "LOG_", "DATABASE_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    env.update({
        "BOT_TOKEN": server.token, "TELEGRAM_API_URL": server.base_url,
        "TELEGRAM_FILE_URL": server.base_file_url, "DATABASE_URL": url, "LOG_LEVEL": "INFO",
        "WEBHOOK_URL": "https://bot.example.org/telegram", "WEBHOOK_SECRET": secret,
        "WEBHOOK_LISTEN": "127.0.0.1", "WEBHOOK_PORT": str(port),
    })  # fmt: skip
    env.update(extra or {})
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    instance = Instance(process, port)
    exited = asyncio.create_task(process.wait())
    ready = asyncio.create_task(instance.ready.wait())
    await asyncio.wait({exited, ready}, timeout=60, return_when=asyncio.FIRST_COMPLETED)
    exited.cancel()
    ready.cancel()
    if not instance.ready.is_set():
        # Never left running: a process nobody stops keeps the test's event loop from closing.
        await instance.stop()
        raise AssertionError("an instance did not start:\n" + "".join(instance.log[-20:]))
    return instance


async def start_instances(
    server: FakeBotApi, url: str, secret: str, count: int, extra: dict[str, str] | None = None
) -> list[Instance]:
    """`count` instances, started one after the other; none left running if one fails."""
    instances: list[Instance] = []
    try:
        for _ in range(count):
            instances.append(await start_instance(server, url, secret, extra))
    except BaseException:
        for instance in instances:
            await instance.stop()
        raise
    return instances
