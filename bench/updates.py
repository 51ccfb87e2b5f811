"""End-to-end update throughput: Samverkan against a bare python-telegram-bot echo bot.

Each bot runs in its own process, as in production (`python -m bot run`, or
`python -m bench.echo_bot`), and polls the fake Bot API server (bot/sandbox/botapi), which runs in
this process with its rate limits turned off. All bots get the same scripted mix of /help and
/me from the same simulated members, all queued up front. A run is timed from queuing the
first update until the fake server has received the bot's reply to the last one. Run with
`python -m bench.updates --help`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import random
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.config import Settings
from bot.domain.models import Group, Role
from bot.domain.reminders import last_digest_time
from bot.sandbox.botapi import Call, FakeBotApi, FakeUser, Limits
from storage.db import Database
from storage.store import Store
from tests.factories import make_group, make_member

SAMVERKAN = "samverkan"
ECHO = "echo"
ECHO_CONCURRENT = "echo-concurrent"
BOTS = (SAMVERKAN, ECHO, ECHO_CONCURRENT)
COMMANDS = ("/help", "/me")
AIM = 0.7

REPO = Path(__file__).resolve().parent.parent
DATABASE = "bench.db"
BOT_LOG = "bot.log"

FIRST_USER_ID = 500_001
GROUPS = ("Rinkeby", "Tensta", "Husby", "Järva", "Skärholmen")
AGENCIES = ("POL", "TULL", "SKV", "FK", "AF")
COORDINATOR_EVERY = 20  # one member in 20 coordinates their group

# An idle bot only long polls (getUpdates), so "quiet" means no other request for this long.
QUIET_S = 0.3
STARTUP_TIMEOUT_S = 30.0  # process start until its first getUpdates reaches the fake
WARM_UP_TIMEOUT_S = 60.0
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


@dataclass(frozen=True)
class Person:
    """One simulated member: who they are in the bot's database and on the fake server."""

    user_id: int
    first_name: str
    language: str
    role: Role
    agency: str
    group: int


@dataclass(frozen=True)
class Measurement:
    bot: str
    updates: int
    seconds: float
    bot_cpu: float | None  # CPU seconds of the bot process in the timed part (None: unknown)
    fake_cpu: float  # CPU seconds of this process (fake server, simulated users) in it

    @property
    def rate(self) -> float:
        return self.updates / self.seconds


def people(count: int) -> list[Person]:
    """Half Swedish, half English speakers, spread over groups and agencies; a few coordinators."""
    result = []
    for i in range(count):
        swedish = i % 2 == 0
        result.append(
            Person(
                user_id=FIRST_USER_ID + i,
                first_name=f"Medlem{i}" if swedish else f"Member{i}",
                language="sv" if swedish else "en",
                role=Role.COORDINATOR if i % COORDINATOR_EVERY == 0 else Role.EXPERT,
                agency=AGENCIES[i % len(AGENCIES)],
                group=i % len(GROUPS),
            )
        )
    return result


def script(members: int, updates: int, seed: int) -> list[tuple[int, str]]:
    """(member index, text) for every timed update: members in turn, /help or /me at random."""
    rng = random.Random(seed)
    return [(k % members, rng.choice(COMMANDS)) for k in range(updates)]


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


async def register(store: Store, members: Sequence[Person]) -> None:
    """Make every simulated person a member, as settled as a long-standing one.

    Named as the fake server shows them, so the gate has no profile to refresh.
    """
    groups: list[Group] = [await make_group(store, name) for name in GROUPS]
    for person in members:
        member = await make_member(
            store,
            person.user_id,
            role=person.role,
            agency=person.agency,
            group=groups[person.group],
            name=person.first_name,
            language=person.language,
        )
        # Established members already have the menu for their role: without this, the
        # warm-up would also set every member's menu (setMyCommands), which long-standing
        # members don't need (see bench/README.md).
        async with store.transaction() as tx:
            await tx.menus.mark_synced(member.id, member.role, member.language)


async def seed(path: Path | str, members: Sequence[Person]) -> None:
    """Create and migrate Samverkan's database with its members, before the bot starts."""
    db = await Database.open(str(path))
    try:
        await db.migrate()
        store = Store(db)
        await register(store, members)
        # The coordinators' morning digest would go out at start-up between 07:00 and 12:00;
        # mark today's (and tomorrow's) as done so the run measures /help and /me alone.
        async with store.transaction() as tx:
            now = datetime.now(UTC)
            for group in await tx.groups.all():
                for coordinator in await tx.members.coordinators_of([group.id]):
                    for days in (0, 1):
                        day = (last_digest_time(now, group.timezone) + timedelta(days=days)).date()
                        key = f"digest:{group.id}:{day}:m{coordinator.id}"
                        await tx.reminders.mark(key, "sent", now, now)
    finally:
        await db.close()


async def wait_for_menus(server: FakeBotApi, bot: BotProcess, path: Path) -> None:
    """Wait until the bot's database has no member whose menu is out of step."""
    db = await Database.open(str(path))
    try:
        store = Store(db)

        async def in_step() -> bool:
            async with store.read() as tx:
                return not await tx.menus.out_of_step()

        await until(server, bot, in_step, WARM_UP_TIMEOUT_S, "menu sync")
    finally:
        await db.close()


def wrong_answers(
    bot: str, users: Sequence[FakeUser], timed: Sequence[tuple[int, str]]
) -> list[str]:
    """Replies that are not what each update asked for (say, "you are not registered")."""
    asked: dict[int, list[str]] = {}
    for index, text in timed:
        asked.setdefault(index, []).append(text)
    wrong = []
    for index, texts in asked.items():
        user = users[index]
        got = user.messages[-len(texts) :]
        if bot == ECHO_CONCURRENT:
            # Updates run side by side, so one user's echoes may come back in another order.
            if Counter(texts) != Counter(m.text for m in got):
                wrong.append(f"{user} {texts} -> {[m.text for m in got]}")
            continue
        for text, message in zip(texts, got, strict=True):
            if bot == ECHO:
                right = message.text == text
            elif text == "/me":
                right = f"{user.id}" in message.entities_text  # the card shows the Telegram id
            else:
                right = "/me" in message.entities_text  # a member's /help lists /me
            if not right:
                wrong.append(f"{user} {text} -> {message.entities_text[:80]!r}")
    return wrong


async def run_once(
    bot: str,
    members: Sequence[Person],
    timed: Sequence[tuple[int, str]],
    workdir: Path,
    profile: Path | None = None,
) -> Measurement:
    """One measurement on a fresh fake server and a fresh bot process (and database)."""
    if bot == SAMVERKAN:
        await seed(workdir / DATABASE, members)
    async with FakeBotApi(limits=Limits(enabled=False)) as server:
        users: list[FakeUser] = [
            server.user(p.user_id, first_name=p.first_name, language_code=p.language)
            for p in members
        ]
        everything = replies(server)
        async with bot_process(bot, server, workdir, profile) as process:
            await until(
                server, process, lambda: polls_seen(server), STARTUP_TIMEOUT_S, "start polling"
            )
            # Warm-up: each user writes once (so the bot may write to them), outside the clock.
            for user in users:
                await user.send("/help")
            await until(
                server,
                process,
                lambda: everything.update() >= len(users),
                WARM_UP_TIMEOUT_S,
                "warm-up replies",
            )
            if bot == SAMVERKAN:
                await wait_for_menus(server, process, workdir / DATABASE)
            await settle(server, process)
            gc.collect()

            answered = replies(server)
            started = time.perf_counter()
            fake_cpu = time.process_time()
            bot_cpu = process_cpu(process.proc.pid)
            for index, text in timed:
                await users[index].send(text)
            await until(
                server,
                process,
                lambda: answered.update() >= len(timed),
                max(60.0, len(timed) / 20),
                f"replies to {len(timed)} updates",
            )
            seconds = time.perf_counter() - started
            fake_cpu = time.process_time() - fake_cpu
            bot_cpu_after = process_cpu(process.proc.pid)
            bot_cpu = None if bot_cpu is None or bot_cpu_after is None else bot_cpu_after - bot_cpu

            await settle(server, process)
            answered.update()
            everything.update()
            if (
                everything.failed
                or answered.ok != len(timed)
                or everything.ok != len(users) + len(timed)
                or server.violations
            ):
                raise BenchError(
                    f"{bot}: {answered.ok} replies to {len(timed)} updates, "
                    f"{everything.ok} to {len(users) + len(timed)} in all, "
                    f"{everything.failed} failed sendMessage calls, "
                    f"{len(server.violations)} spec violations\n{server.describe()}"
                    f"{process.output()}"
                )
            wrong = wrong_answers(bot, users, timed)
            if wrong:
                sample = "\n".join(wrong[:5])
                raise BenchError(f"{bot}: {len(wrong)} wrong replies, e.g.\n{sample}")
            logged = process.log.read_text(errors="replace").strip()
            if logged:
                raise BenchError(f"{bot}: the bot logged warnings or errors{process.output()}")
    return Measurement(bot, len(timed), seconds, bot_cpu, fake_cpu)


async def bench(args: argparse.Namespace) -> dict[str, list[Measurement]]:
    members = people(args.members)
    timed = script(args.members, args.updates, args.seed)
    results: dict[str, list[Measurement]] = {bot: [] for bot in BOTS}
    # Ctrl-C or SIGTERM (say, from `timeout`) stop the bench, and with it the bot processes,
    # rather than leave them polling a fake server that has gone.
    task = asyncio.current_task()
    assert task is not None
    for signum in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(signum, interrupt, signum, task)
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="samverkan-bench-") as tmp:
        for round_ in range(args.runs):
            # Rotate which bot goes first, so none always runs on a warmer machine.
            shift = round_ % len(BOTS)
            for bot in BOTS[shift:] + BOTS[:shift]:
                workdir = Path(tmp) / f"{bot}-{round_ + 1}"
                workdir.mkdir()
                profile = args.profile / f"{bot}-{round_ + 1}.prof" if args.profile else None
                result = await run_once(bot, members, timed, workdir, profile)
                results[bot].append(result)
                cpu = "?" if result.bot_cpu is None else f"{result.bot_cpu:.2f}"
                print(
                    f"  run {round_ + 1}/{args.runs} {bot:<16} {result.updates:>6} updates "
                    f"{result.seconds:>7.2f} s {result.rate:>8.1f}/s   CPU s: bot {cpu} "
                    f"fake {result.fake_cpu:.2f}",
                    flush=True,
                )
    if args.profile:
        print(f"  profiles of the bot processes: {args.profile}/<bot>-<run>.prof")
    return results


def report(args: argparse.Namespace, results: dict[str, list[Measurement]]) -> str:
    best = {bot: max(runs, key=lambda m: m.rate) for bot, runs in results.items()}
    median = {bot: statistics.median(m.rate for m in runs) for bot, runs in results.items()}
    lines = [
        "",
        f"best of {args.runs} runs each; median updates/s alongside",
        f"{'bot':<16} {'updates':>8} {'seconds':>8} {'updates/s':>10} {'median/s':>9}",
    ]
    for bot in BOTS:
        m = best[bot]
        lines.append(
            f"{bot:<16} {m.updates:>8} {m.seconds:>8.2f} {m.rate:>10.1f} {median[bot]:>9.1f}"
        )
    for yardstick in (ECHO, ECHO_CONCURRENT):
        ratio = best[SAMVERKAN].rate / best[yardstick].rate
        median_ratio = median[SAMVERKAN] / median[yardstick]
        verdict = "meets" if ratio >= AIM else "BELOW"
        lines.append(
            f"ratio samverkan/{yardstick}: {ratio:.2f} (best), {median_ratio:.2f} (median)"
            + (f"; aim >= {AIM:.2f}: {verdict}" if yardstick == ECHO else "")
        )
    return "\n".join(lines)


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.partition(":")[2].strip()
    return "unknown CPU"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.updates",
        description="End-to-end updates/s of Samverkan versus a bare PTB echo bot.",
    )
    parser.add_argument("--members", type=int, default=200, help="simulated members (200)")
    parser.add_argument("--updates", type=int, default=2000, help="timed updates per run (2000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each bot (3)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the /help-/me mix (1)")
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="run each bot process under cProfile, writing DIR/<bot>-<run>.prof "
        "(the whole process: start-up, warm-up and timed part)",
    )
    args = parser.parse_args(argv)
    for name in ("members", "updates", "runs"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    if args.profile:
        args.profile = args.profile.resolve()
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    timed = script(args.members, args.updates, args.seed)
    helps = sum(1 for _, text in timed if text == "/help")
    print(
        f"{args.members} members send {args.updates} updates per run "
        f"({helps} /help, {args.updates - helps} /me), all queued up front;\n"
        "timed from queuing the first update until the fake server has the reply to the last.\n"
        "Each bot runs in its own process; the fake Bot API runs in this one, with its rate "
        "limits OFF.\n"
        "CPU s: CPU time in the timed part of the bot process and of this one (fake server and "
        "simulated users).\n"
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs ({cpu_model()}); each run: "
        "fresh fake server and bot process, warmed up with one /help per member.",
        flush=True,
    )
    try:
        results = asyncio.run(bench(args))
    except BenchError as exc:
        sys.exit(f"bench failed: {exc}")
    except (Interrupted, KeyboardInterrupt, asyncio.CancelledError):
        sys.exit("bench interrupted")
    print(report(args, results))


if __name__ == "__main__":
    main()
