"""The bot under test as a child process for bench.updates: start, watch, wait, stop."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

from bot.config import Settings
from bot.sandbox.botapi import Call, FakeBotApi

SAMVERKAN = "samverkan"
ECHO = "echo"
ECHO_CONCURRENT = "echo-concurrent"

REPO = Path(__file__).resolve().parent.parent
DATABASE = "bench.db"
BOT_LOG = "bot.log"

# An idle bot only long polls (getUpdates), so "quiet" means no other request for this long.
QUIET_S = 0.3
SETTLE_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0  # after SIGTERM, before SIGKILL


class BenchError(Exception):
    """The bot did not answer as expected, so its figures would mean nothing."""


class Interrupted(Exception):
    """SIGINT or SIGTERM arrived: stop the bot processes and leave."""


# Signals received. Each also cancels the bench's task, but Python 3.11's asyncio.wait_for
# (which the fake's waits use) can swallow a cancellation, so every wait checks this too.
SIGNALS: list[int] = []


def interrupt(signum: int, task: asyncio.Task[None]) -> None:
    SIGNALS.append(signum)
    task.cancel()


class CallCounter:
    """Counts the fake server's calls of some methods since it was made, incrementally."""

    def __init__(self, server: FakeBotApi, keep: Callable[[Call], bool]) -> None:
        self._server = server
        self._keep = keep
        self._next = len(server.calls)
        self.ok = 0
        self.failed = 0

    def update(self) -> int:
        calls = self._server.calls
        while self._next < len(calls):
            call = calls[self._next]
            self._next += 1
            if self._keep(call):
                if call.ok:
                    self.ok += 1
                else:
                    self.failed += 1
        return self.ok


def replies(server: FakeBotApi) -> CallCounter:
    return CallCounter(server, lambda call: call.method == "sendMessage")


def polls_seen(server: FakeBotApi) -> bool:
    """True once a getUpdates request has reached the fake.

    The fake records a call when it answers it, and the first long poll of an idle bot is
    only answered when an update arrives or its timeout (PTB's default 10 s) runs out, so
    this reads the fake's count of long polls begun.
    """
    return server._poll_generation > 0


def process_cpu(pid: int) -> float | None:
    """CPU seconds (user + system, all threads) a process has used so far; None off Linux."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


class BotProcess:
    """One bot running in a child process, its stdout and stderr kept in a file."""

    def __init__(self, bot: str, proc: asyncio.subprocess.Process, log: Path) -> None:
        self.bot = bot
        self.proc = proc
        self.log = log

    def output(self, lines: int = 20) -> str:
        """The last lines the bot wrote (stdout and stderr), for error messages."""
        try:
            text = self.log.read_text(errors="replace").strip()
        except OSError:
            return ""
        tail = "\n".join(text.splitlines()[-lines:])
        return f"\n{self.bot} output (last {lines} lines):\n{tail}" if tail else ""

    def check_alive(self) -> None:
        if SIGNALS:
            raise Interrupted(signal.Signals(SIGNALS[0]).name)
        if self.proc.returncode is not None:
            raise BenchError(
                f"{self.bot}: the bot process exited with status {self.proc.returncode}"
                f"{self.output()}"
            )

    async def stop(self) -> None:
        """SIGTERM (PTB stops polling and shuts down cleanly), then SIGKILL after a while."""
        if self.proc.returncode is not None:
            return
        try:
            with contextlib.suppress(ProcessLookupError):
                self.proc.terminate()
            await asyncio.wait_for(self.proc.wait(), STOP_TIMEOUT_S)
        except BaseException as exc:  # the timeout, or the bench itself being interrupted
            with contextlib.suppress(ProcessLookupError):
                self.proc.kill()
            if not isinstance(exc, TimeoutError):
                raise
            await asyncio.wait_for(self.proc.wait(), STOP_TIMEOUT_S)


def command(bot: str, profile: Path | None) -> list[str]:
    module = ["-m", "bot", "run"] if bot == SAMVERKAN else ["-m", "bench.echo_bot"]
    profiler = ["-m", "cProfile", "-o", str(profile)] if profile is not None else []
    return [sys.executable, *profiler, *module]


def environment(bot: str, server: FakeBotApi, workdir: Path) -> dict[str, str]:
    """The environment of a bot process: ours, minus anything Samverkan would read as config."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key.lower() not in Settings.model_fields and key != "ECHO_CONCURRENT"
    }
    pythonpath = [str(REPO), *filter(None, [env.get("PYTHONPATH")])]
    env.update(
        PYTHONPATH=os.pathsep.join(pythonpath),
        BOT_TOKEN=server.token,
        TELEGRAM_API_URL=server.base_url,
        TELEGRAM_FILE_URL=server.base_file_url,
        DATABASE_URL=f"sqlite:///{workdir / DATABASE}",
        LOG_LEVEL="WARNING",
        # The fake's flood limits are off here, so the bot's are too: this measures how fast
        # the bot handles updates, not Telegram's 30 messages a second (bench.broadcast does).
        TELEGRAM_MESSAGES_PER_S="1000",
        ECHO_CONCURRENT="1" if bot == ECHO_CONCURRENT else "0",
    )
    return env


@contextlib.asynccontextmanager
async def bot_process(
    bot: str, server: FakeBotApi, workdir: Path, profile: Path | None
) -> AsyncIterator[BotProcess]:
    """Start the bot in its own process (cwd = workdir, so no .env is read); always stop it."""
    log = workdir / BOT_LOG
    with log.open("wb") as stderr:
        proc = await asyncio.create_subprocess_exec(
            *command(bot, profile),
            cwd=workdir,
            env=environment(bot, server, workdir),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=stderr,
            stderr=stderr,
        )
    running = BotProcess(bot, proc, log)
    try:
        yield running
    finally:
        await running.stop()


async def until(
    server: FakeBotApi,
    bot: BotProcess,
    condition: Callable[[], bool | Awaitable[bool]],
    limit_s: float,
    what: str,
) -> None:
    """Wait for condition, failing early if the bot process dies and loudly if time runs out."""

    def check() -> bool | Awaitable[bool]:
        bot.check_alive()
        return condition()

    try:
        await server.wait_until(check, limit_s, f"{bot.bot}: {what}")
    except AssertionError as exc:
        raise BenchError(f"{exc}{bot.output()}") from None


async def settle(server: FakeBotApi, bot: BotProcess) -> None:
    """Wait until the bot has made no request but long polls for QUIET_S."""
    activity = CallCounter(server, lambda call: call.method != "getUpdates")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SETTLE_TIMEOUT_S
    seen = -1
    quiet_since = loop.time()
    while loop.time() < deadline:
        bot.check_alive()
        activity.update()
        total = activity.ok + activity.failed
        if total != seen:
            seen, quiet_since = total, loop.time()
        elif loop.time() - quiet_since >= QUIET_S:
            return
        await asyncio.sleep(0.05)
    raise BenchError(f"{bot.bot}: the bot did not go quiet within {SETTLE_TIMEOUT_S}s")
