"""The bot as a child process for the broadcast benches: its code snapshot, start, stop."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

from bot.sandbox.botapi import FakeBotApi

REPO = Path(__file__).resolve().parent.parent
CODE_PACKAGES = ("bot", "handlers", "storage")

READY_TIMEOUT_S = 30.0  # from spawning the bot until it polls
STOP_TIMEOUT_S = 10.0  # SIGTERM, then SIGKILL

# Every bot process ever started, so that none outlives the bench, whatever happens.
_CHILDREN: list[asyncio.subprocess.Process] = []


class BenchError(Exception):
    """The scene could not be set up or driven, so no figures would mean anything."""


def _compiles(path: Path) -> bool:
    try:
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
    except (SyntaxError, ValueError, UnicodeDecodeError):
        return False
    return True


def snapshot_code(dest: Path, attempts: int = 5) -> Path:
    """Copy the bot's packages so every bot process of the bench runs the same code.

    Others may be editing the working tree meanwhile: a copy that does not compile (a file
    caught half-saved) is taken again a moment later.
    """
    broken: list[Path] = []
    for attempt in range(attempts):
        if dest.exists():
            shutil.rmtree(dest)
        for package in CODE_PACKAGES:
            shutil.copytree(
                REPO / package, dest / package, ignore=shutil.ignore_patterns("__pycache__")
            )
        broken = [path for path in sorted(dest.rglob("*.py")) if not _compiles(path)]
        if not broken:
            return dest
        if attempt + 1 < attempts:
            time.sleep(1.0)
    names = ", ".join(str(path.relative_to(dest)) for path in broken)
    raise BenchError(f"the bot's code does not compile: {names}")


def _open_log(path: Path) -> IO[bytes]:
    return path.open("ab")


def _read_log(path: Path) -> list[str]:
    if not path.exists():
        return []
    return path.read_text(encoding="utf-8", errors="replace").splitlines()


class BotProcess:
    """`python -m bot run` against the fake server; its output goes to a file. `module` runs
    the bot through another module of `code` (one that wraps it to measure, say), with
    `extra_env` added to its environment."""

    def __init__(
        self,
        server: FakeBotApi,
        db_path: Path,
        workdir: Path,
        name: str,
        code: Path,
        *,
        module: str = "bot",
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.name = name
        self._code = code
        self._module = module
        self._extra_env = extra_env or {}
        self.log_path = workdir / f"{name}.log"
        self._server = server
        self._db_path = db_path
        self._workdir = workdir
        self.proc: asyncio.subprocess.Process | None = None
        self.spawned_at: float | None = None

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("WEBHOOK_")}
        env.update(
            BOT_TOKEN=self._server.token,
            TELEGRAM_API_URL=self._server.base_url,
            TELEGRAM_FILE_URL=self._server.base_file_url,
            DATABASE_URL=f"sqlite:///{self._db_path}",
            LOG_LEVEL="WARNING",
            PYTHONPATH=os.pathsep.join(p for p in (str(self._code), env.get("PYTHONPATH")) if p),
            PYTHONUNBUFFERED="1",
        )
        env.update(self._extra_env)
        return env

    async def start(self) -> None:
        log = _open_log(self.log_path)
        try:
            # cwd: an empty folder, so no .env is read.
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", self._module, "run",
                cwd=self._workdir, env=self.environment(),
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        finally:
            log.close()
        _CHILDREN.append(self.proc)
        self.spawned_at = asyncio.get_running_loop().time()

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.returncode is None

    async def wait_ready(self, since: int, tick: Callable[[], None] | None = None) -> float:
        """Wait until the bot polls, after call number `since`; return that time.

        The fake records a getUpdates only when it returns, up to a long-poll timeout later,
        so the sign is PTB's deleteWebhook, made right before its first getUpdates. `tick`
        runs at every wake-up (a Copies counter keeps its timestamps exact that way).
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + READY_TIMEOUT_S
        calls = self._server.calls
        index = since
        while True:
            if tick is not None:
                tick()
            while index < len(calls):
                if calls[index].method in ("deleteWebhook", "getUpdates"):
                    return loop.time()
                index += 1
            if not self.alive:
                raise BenchError(f"{self.name} exited early:\n" + self.tail())
            if loop.time() > deadline:
                raise BenchError(f"{self.name} did not poll within {READY_TIMEOUT_S}s")
            await self._server.state.changed.wait(0.1)

    async def kill(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGKILL)
            await self.proc.wait()

    async def stop(self) -> bool:
        """SIGTERM, as a service manager would; SIGKILL if it takes too long. True if clean."""
        if self.proc is None or self.proc.returncode is not None:
            return True
        self.proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.proc.wait(), STOP_TIMEOUT_S)
        except TimeoutError:
            await self.kill()
            return False
        return True

    def lines(self) -> list[str]:
        return _read_log(self.log_path)

    def tail(self, count: int = 20) -> str:
        return "\n".join(self.lines()[-count:]) or "(no output)"


def kill_leftovers() -> None:
    """Last resort, outside the event loop: no bot process may outlive the bench."""
    for proc in _CHILDREN:
        if proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGKILL)
