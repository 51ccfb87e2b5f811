"""Broadcast under Telegram's limits: one coordinator's notice to 1,000 members.

The fake Bot API server (bot/sandbox/botapi, Telegram-like flood limits on) runs in this process;
the bot runs as `python -m bot run` in a subprocess, so it can really be SIGKILLed. The
coordinator composes the notice through the real flow (/notice, the text, "Everyone in my
groups", "Send to 1000"), and the run is timed from that last press until every recipient
has a copy: a message whose text holds the notice's marker.

Two runs, each on a fresh database and a fresh fake server:

- normal: nothing goes wrong;
- crash: once `--crash-at` recipients have their copy the bot is SIGKILLed, the outbox rows
  still 'sending' are counted (the messages in flight), and the bot is started again on the
  same database.

Aims: at least 90% of the limit's throughput (minimum time members / 30 per second), no
429 storm (more than STORM_429 answers in a run), nothing lost, no duplicates without a
crash, and no more duplicates after a crash than messages were in flight.

Run with `python -m bench.broadcast` (see --help); it ends within about four minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from bot.domain.models import Role
from bot.sandbox.botapi import Call, FakeBotApi, FakeUser, Limits
from storage.db import Database
from storage.store import Store
from tests.factories import make_group, make_member

REPO = Path(__file__).resolve().parent.parent
CODE_PACKAGES = ("bot", "handlers", "storage")

MEMBERS = 1000
CRASH_AT = 400
TELEGRAM_PER_S = 30.0
AIM_THROUGHPUT = 0.9
STORM_429 = 3  # more 429 answers than this in one run is a storm

COORDINATOR_ID = 700_000
FIRST_MEMBER_ID = 700_001

BENCH_TIMEOUT_S = 235.0  # everything, a last resort: the per-step limits come first
READY_TIMEOUT_S = 30.0  # from spawning the bot until it polls
STEP_TIMEOUT_S = 15.0  # each answer of the coordinator's flow
DELIVERY_TIMEOUT_S = {"normal": 75.0, "crash": 90.0}  # whoever has nothing by then is lost
DRAIN_TIMEOUT_S = 10.0  # after the last first copy, until the outbox has nothing left
LATE_S = 2.0  # and then a little longer, for late duplicates
STOP_TIMEOUT_S = 10.0  # SIGTERM, then SIGKILL
THINK_S = 1.0  # the coordinator reads each answer before tapping on
DB_POLL_S = 0.25

# Every bot process ever started, so that none outlives the bench, whatever happens.
_CHILDREN: list[asyncio.subprocess.Process] = []


class BenchError(Exception):
    """The scene could not be set up or driven, so no figures would mean anything."""


@dataclass
class RunResult:
    name: str
    members: int
    wall_s: float | None = None  # press of "Send to N" until everyone has a copy
    first_copy_s: float | None = None  # press until the first copy
    send_ok: int = 0  # sendMessage answered 200 carrying the notice
    send_429: int = 0  # sendMessage answered 429, for any chat
    any_429: int = 0  # 429 answers to any method
    send_errors: Counter[str] = field(default_factory=Counter)  # other failed sendMessage
    where_429: Counter[str] = field(default_factory=Counter)  # "method to whom" of each 429
    send_rate: float | None = None  # copies per second, first copy to last
    requests: Counter[str] = field(default_factory=Counter)  # every call, by method
    status_edits: list[tuple[float, str]] = field(default_factory=list)  # since the press
    lost: int = 0
    duplicates: int = 0
    copies_by_history: tuple[int, int] | None = None  # (lost, duplicates) from the chats
    violations: int = 0
    outbox_after: dict[str, int] = field(default_factory=dict)
    in_flight_at_crash: int | None = None
    in_flight_detail: dict[str, int] = field(default_factory=dict)
    copies_at_crash: int | None = None
    startup_s: list[tuple[str, float]] = field(default_factory=list)  # spawn until polling
    kill_to_ready_s: float | None = None  # SIGKILL until the new bot polls
    kill_to_resume_s: float | None = None  # SIGKILL until the new bot's first notice copy
    spawn_to_resume_s: float | None = None
    requeued_logged: int | None = None
    stderr: list[tuple[str, list[str]]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def minimum_s(self) -> float:
        return self.members / TELEGRAM_PER_S

    @property
    def throughput(self) -> float | None:
        return None if not self.wall_s else self.minimum_s / self.wall_s


# -- the database ------------------------------------------------------------------------


async def seed(path: Path, members: int, *, mark_menus: bool = True) -> None:
    """A migrated database with one group, its coordinator and `members` experts.

    They are long-standing members: their menus are marked as set, as bench/updates.py does,
    unless `mark_menus` is off (see --unsynced-menus).
    """
    db = await Database.open(str(path))
    try:
        await db.migrate()
        store = Store(db)
        group = await make_group(store, "Rinkeby")
        people = [
            await make_member(
                store, COORDINATOR_ID, role=Role.COORDINATOR, group=group, name="Coord",
                language="en",
            )
        ]  # fmt: skip
        for uid in expert_ids(members):
            people.append(
                await make_member(
                    store, uid, role=Role.EXPERT, agency="POL", group=group, name=f"M{uid}",
                    language="en",
                )
            )  # fmt: skip
        if mark_menus:
            async with store.transaction() as tx:
                for member in people:
                    await tx.menus.mark_synced(member.id, member.role, member.language)
    finally:
        await db.close()


def expert_ids(members: int) -> range:
    return range(FIRST_MEMBER_ID, FIRST_MEMBER_ID + members)


def read_only(path: Path) -> contextlib.closing[sqlite3.Connection]:
    return contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=2))


def outbox_states(path: Path) -> dict[str, int]:
    """Rows of the outbox by state, `kind:ref_type:state` keys for the copies that matter."""
    with read_only(path) as conn:
        rows = conn.execute(
            "SELECT kind, coalesce(ref_type, '-'), state, count(*) FROM outbox"
            " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
        ).fetchall()
    return {f"{kind}:{ref}:{state}": int(n) for kind, ref, state, n in rows}


def sending_now(path: Path) -> tuple[int, dict[str, int]]:
    """Rows in state 'sending' (in flight), and how they split by kind and object."""
    with read_only(path) as conn:
        (total,) = conn.execute("SELECT count(*) FROM outbox WHERE state = 'sending'").fetchone()
        rows = conn.execute(
            "SELECT kind, coalesce(ref_type, '-'), count(*) FROM outbox"
            " WHERE state = 'sending' GROUP BY 1, 2"
        ).fetchall()
    return int(total), {f"{kind}:{ref}": int(n) for kind, ref, n in rows}


def notices_left(path: Path) -> int:
    """Copies of notices still to go (pending or in flight)."""
    with read_only(path) as conn:
        (left,) = conn.execute(
            "SELECT count(*) FROM outbox WHERE ref_type = 'notice' AND kind = 'send'"
            " AND state IN ('pending', 'sending')"
        ).fetchone()
    return int(left)


# -- the bot process ----------------------------------------------------------------------


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


# -- watching the fake server -------------------------------------------------------------


class CallWatcher:
    """Reads the fake server's calls made since it was created, each once, as they come:
    `update()` hands every new call to `seen` with the moment it was read."""

    def __init__(self, server: FakeBotApi) -> None:
        self._server = server
        self._next = len(server.calls)

    def update(self) -> None:
        now = asyncio.get_running_loop().time()
        calls = self._server.calls
        while self._next < len(calls):
            call = calls[self._next]
            self._next += 1
            self.seen(call, now)

    def seen(self, call: Call, now: float) -> None:
        raise NotImplementedError


class Copies(CallWatcher):
    """Counts, from the fake server's calls, the notice copies each recipient got."""

    def __init__(self, server: FakeBotApi, marker: str, recipients: Sequence[int]) -> None:
        super().__init__(server)
        self._marker = marker
        self._recipients = set(recipients)
        self.per_chat: Counter[int] = Counter()
        self.send_ok = 0
        self.send_429 = 0
        self.send_errors: Counter[str] = Counter()
        self.first_at: float | None = None
        self.covered_at: float | None = None
        self.seen_at: list[float] = []  # when each copy was seen, in order
        self.status_edits: list[tuple[float, str]] = []  # (seen at, text) to the coordinator

    @property
    def covered(self) -> int:
        return len(self.per_chat)

    def seen(self, call: Call, now: float) -> None:
        if call.method == "editMessageText" and call.ok:
            if call.params.get("chat_id") == COORDINATOR_ID:
                self.status_edits.append((now, str(call.params.get("text") or "")))
            return
        if call.method != "sendMessage":
            return
        if call.status == 429:
            self.send_429 += 1
            return
        if not call.ok:
            self.send_errors[f"{call.status} {call.description}"] += 1
            return
        chat = call.params.get("chat_id")
        text = call.params.get("text") or ""
        if chat in self._recipients and self._marker in str(text):
            self.per_chat[int(chat)] += 1
            self.send_ok += 1
            self.seen_at.append(now)
            if self.first_at is None:
                self.first_at = now
            if self.covered_at is None and self.covered == len(self._recipients):
                self.covered_at = now

    async def wait(self, until: Callable[[], bool], timeout: float) -> bool:  # noqa: ASYNC109
        """Keep counting until `until()` holds (True) or `timeout` seconds pass (False)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            self.update()
            if until():
                return True
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            await self._server.state.changed.wait(min(remaining, 0.05))

    def tally(self) -> tuple[int, int]:
        """(lost, duplicates) over all recipients."""
        lost = sum(1 for chat in self._recipients if self.per_chat[chat] == 0)
        duplicates = sum(n - 1 for n in self.per_chat.values() if n > 1)
        return lost, duplicates


def tally_from_chats(users: Sequence[FakeUser], marker: str) -> tuple[int, int]:
    """(lost, duplicates) as the members' chats show them."""
    counts = [sum(1 for m in u.messages if marker in m.entities_text) for u in users]
    return sum(1 for n in counts if n == 0), sum(n - 1 for n in counts if n > 1)


# -- one run ------------------------------------------------------------------------------


async def compose_and_press(
    server: FakeBotApi, coord: FakeUser, text: str, count: int, think: float
) -> float:
    """The coordinator's flow up to "Send to N"; returns the loop time of that press."""
    await coord.send("/notice")
    await coord.wait_for_message(lambda m: "Write the notice" in m.entities_text, STEP_TIMEOUT_S)
    await asyncio.sleep(think)
    await coord.send(text)
    chooser = await coord.wait_for_message(
        lambda m: "Who should get it?" in m.entities_text, STEP_TIMEOUT_S
    )
    await asyncio.sleep(think)
    await coord.press(chooser, "Everyone in my groups")
    button = f"Send to {count}"
    try:
        await server.wait_until(
            lambda: button in coord.message(chooser).button_texts(), STEP_TIMEOUT_S
        )
    except AssertionError as exc:
        raise BenchError(f"no {button!r} button in the preview:\n{coord.dump()}") from exc
    await asyncio.sleep(think)
    pressed = asyncio.get_running_loop().time()
    await coord.press(coord.message(chooser), button)
    return pressed


async def drain(copies: Copies, db_path: Path) -> None:
    """Wait until the outbox has no notice copy left to send, then a little for stragglers."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + DRAIN_TIMEOUT_S
    while loop.time() < deadline:
        try:
            if await asyncio.to_thread(notices_left, db_path) == 0:
                break
        except sqlite3.Error:
            pass  # busy for a moment: ask again
        await copies.wait(lambda: False, DB_POLL_S)
    await copies.wait(lambda: False, LATE_S)


@dataclass(frozen=True)
class Setup:
    template: Path  # the seeded database, copied for each run
    workdir: Path
    code: Path  # the bot's packages, as snapshot_code took them
    members: int
    think: float


async def run_once(setup: Setup, name: str, crash_at: int | None) -> RunResult:
    members, code = setup.members, setup.code
    result = RunResult(name, members)
    rundir = setup.workdir / name
    rundir.mkdir()
    db_path = rundir / "bot.db"
    shutil.copyfile(setup.template, db_path)
    marker = f"BENCH-{uuid.uuid4().hex[:12]}"
    text = f"Broadcast benchmark {marker}: the water is off tomorrow 07-09."
    processes: list[BotProcess] = []
    async with FakeBotApi(limits=Limits()) as server:
        try:
            users = []
            for uid in expert_ids(members):
                user = server.user(uid, first_name=f"M{uid}", language_code="en")
                user.mark_started()
                users.append(user)
            coord = server.user(COORDINATOR_ID, first_name="Coord", language_code="en")

            first = BotProcess(server, db_path, rundir, "bot-1", code)
            processes.append(first)
            since = len(server.calls)
            await first.start()
            ready = await first.wait_ready(since)
            assert first.spawned_at is not None
            result.startup_s.append((first.name, ready - first.spawned_at))

            pressed = await compose_and_press(server, coord, text, members, setup.think)
            copies = Copies(server, marker, list(expert_ids(members)))
            everyone = lambda: copies.covered == members  # noqa: E731
            timeout = DELIVERY_TIMEOUT_S[name]
            if crash_at is not None:
                loop = asyncio.get_running_loop()
                if not await copies.wait(lambda: copies.covered >= crash_at, timeout):
                    raise BenchError(f"only {copies.covered} copies before the crash point")
                await first.kill()
                killed = loop.time()
                result.copies_at_crash = copies.covered
                total, detail = await asyncio.to_thread(sending_now, db_path)
                result.in_flight_at_crash, result.in_flight_detail = total, detail
                second = BotProcess(server, db_path, rundir, "bot-2", code)
                processes.append(second)
                copies.update()
                since = len(server.calls)
                resumed_from = len(copies.seen_at)
                await second.start()
                ready = await second.wait_ready(since, copies.update)
                assert second.spawned_at is not None
                result.startup_s.append((second.name, ready - second.spawned_at))
                result.kill_to_ready_s = ready - killed
                remaining = timeout - (loop.time() - pressed)
                await copies.wait(lambda: len(copies.seen_at) > resumed_from, remaining)
                if len(copies.seen_at) > resumed_from:
                    resumed = copies.seen_at[resumed_from]
                    result.kill_to_resume_s = resumed - killed
                    assert second.spawned_at is not None
                    result.spawn_to_resume_s = resumed - second.spawned_at
                remaining = timeout - (loop.time() - pressed)
                await copies.wait(everyone, max(remaining, 0.0))
            else:
                await copies.wait(everyone, timeout)
            if copies.covered_at is not None:
                result.wall_s = copies.covered_at - pressed
            else:
                result.problems.append(
                    f"only {copies.covered} of {members} had a copy after {timeout:.0f}s"
                )
            if copies.first_at is not None:
                result.first_copy_s = copies.first_at - pressed
            await drain(copies, db_path)
            result.send_ok, result.send_429 = copies.send_ok, copies.send_429
            result.send_errors = copies.send_errors
            result.any_429 = server.count_429
            result.requests = Counter(call.method for call in server.calls)
            result.status_edits = [(seen - pressed, text) for seen, text in copies.status_edits]
            times = copies.seen_at
            if len(times) > 1 and times[-1] > times[0]:
                result.send_rate = (len(times) - 1) / (times[-1] - times[0])
            for call in server.calls:
                if call.status == 429:
                    chat = call.params.get("chat_id")
                    whom = "coordinator" if chat == COORDINATOR_ID else "member"
                    result.where_429[f"{call.method} to {whom}"] += 1
            result.lost, result.duplicates = copies.tally()
            result.copies_by_history = tally_from_chats(users, marker)
            result.violations = len(server.violations)
            result.outbox_after = await asyncio.to_thread(outbox_states, db_path)
            for process in processes:
                if process.alive and not await process.stop():
                    result.problems.append(f"{process.name} ignored SIGTERM for {STOP_TIMEOUT_S}s")
                elif process.proc is not None and process.proc.returncode not in (0, -9):
                    result.problems.append(f"{process.name} exited with {process.proc.returncode}")
        finally:
            for process in processes:
                await process.kill()
        for process in processes:
            result.stderr.append((process.name, process.lines()))
        if crash_at is not None:
            requeued = [line for _, lines in result.stderr for line in lines if "requeued" in line]
            result.requeued_logged = len(requeued)
    return result


# -- the report ---------------------------------------------------------------------------


def _fmt(value: float | None, spec: str = ".1f") -> str:
    return "-" if value is None else format(value, spec)


def table(results: Sequence[RunResult]) -> str:
    head = (
        f"{'run':<7} {'wall s':>7} {'min s':>6} {'thru %':>6} {'1st s':>6} {'sent':>5}"
        f" {'429s':>5} {'lost':>5} {'dups':>5} {'in flight':>9} {'resume s':>8}"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        thru = None if r.throughput is None else 100 * r.throughput
        in_flight = "-" if r.in_flight_at_crash is None else str(r.in_flight_at_crash)
        lines.append(
            f"{r.name:<7} {_fmt(r.wall_s):>7} {r.minimum_s:>6.1f} {_fmt(thru):>6}"
            f" {_fmt(r.first_copy_s, '.2f'):>6} {r.send_ok:>5} {r.any_429:>5} {r.lost:>5}"
            f" {r.duplicates:>5} {in_flight:>9} {_fmt(r.kill_to_resume_s, '.2f'):>8}"
        )
    return "\n".join(lines)


def aims(normal: RunResult | None, crash: RunResult | None) -> list[tuple[str, str, bool]]:
    rows: list[tuple[str, str, bool]] = []
    if normal is not None:
        thru = normal.throughput
        rows.append(
            (
                f"throughput >= {AIM_THROUGHPUT:.0%} of the limit (normal run)",
                _fmt(None if thru is None else 100 * thru) + "%",
                thru is not None and thru >= AIM_THROUGHPUT,
            )
        )
    runs = [r for r in (normal, crash) if r is not None]
    rows.append(
        (
            f"no 429 storm (<= {STORM_429} per run)",
            " / ".join(str(r.any_429) for r in runs),
            all(r.any_429 <= STORM_429 for r in runs),
        )
    )
    rows.append(
        ("nothing lost", " / ".join(str(r.lost) for r in runs), all(r.lost == 0 for r in runs))
    )
    if normal is not None:
        rows.append(
            ("no duplicates without a crash", str(normal.duplicates), not normal.duplicates)
        )
    if crash is not None and crash.in_flight_at_crash is not None:
        rows.append(
            (
                "duplicates after the crash <= in flight",
                f"{crash.duplicates} <= {crash.in_flight_at_crash}",
                crash.duplicates <= crash.in_flight_at_crash,
            )
        )
    return rows


def details(r: RunResult) -> Iterator[str]:
    yield f"[{r.name}]"
    if r.copies_by_history is not None:
        lost, dups = r.copies_by_history
        agree = "agrees" if (lost, dups) == (r.lost, r.duplicates) else "DISAGREES"
        yield f"  members' chats: lost {lost}, duplicates {dups} ({agree} with the calls)"
    yield f"  sendMessage 429s: {r.send_429}, 429s to any method: {r.any_429}" + (
        " (" + ", ".join(f"{n}x {k}" for k, n in r.where_429.most_common()) + ")"
        if r.where_429
        else ""
    )
    if r.send_errors:
        yield "  other failed sendMessage: " + ", ".join(
            f"{n}x {what}" for what, n in r.send_errors.most_common()
        )
    yield f"  spec violations: {r.violations}"
    if r.send_rate is not None:
        yield f"  copies per second, first to last: {r.send_rate:.2f} (Telegram's limit 30)"
    yield "  requests: " + ", ".join(f"{m}={n}" for m, n in r.requests.most_common())
    if r.status_edits:
        yield "  the coordinator's status message, edited at (s after the press):"
        for seconds, text in r.status_edits:
            lines = [line for line in text.splitlines() if line.strip()]
            yield f"    {seconds:6.2f}  {' | '.join(lines)[:110]}"
    yield "  outbox at the end: " + ", ".join(f"{k}={n}" for k, n in r.outbox_after.items())
    if r.in_flight_at_crash is not None:
        split = ", ".join(f"{k}={n}" for k, n in r.in_flight_detail.items()) or "none"
        yield (
            f"  crash after {r.copies_at_crash} copies: {r.in_flight_at_crash} rows 'sending'"
            f" ({split}); requeued warnings logged: {r.requeued_logged}"
        )
        yield (
            f"  restart: SIGKILL -> polling {_fmt(r.kill_to_ready_s, '.2f')} s,"
            f" -> first copy {_fmt(r.kill_to_resume_s, '.2f')} s"
            f" (spawn -> first copy {_fmt(r.spawn_to_resume_s, '.2f')} s)"
        )
    if r.startup_s:
        yield "  start-up (spawn -> polling): " + ", ".join(
            f"{name} {seconds:.2f} s" for name, seconds in r.startup_s
        )
    for name, lines in r.stderr:
        yield f"  {name} output: {len(lines)} line(s)"
        seen: Counter[str] = Counter()
        for line in lines:
            # Drop the timestamp so repeats of one message count together.
            key = line.split(" ", 2)[-1] if line[:4].isdigit() else line
            seen[key] += 1
        for line, n in list(seen.items())[:12]:
            yield f"    {n:>4}x {line[:150]}"
    for problem in r.problems:
        yield f"  PROBLEM: {problem}"


def report(results: Sequence[RunResult]) -> bool:
    normal = next((r for r in results if r.name == "normal"), None)
    crash = next((r for r in results if r.name == "crash"), None)
    print()
    if not results:
        print("no run finished")
        return False
    print(table(results))
    print()
    checks = aims(normal, crash)
    width = max(len(label) for label, _, _ in checks)
    print("aims")
    for label, value, ok in checks:
        print(f"  {label:<{width}}  {value:>12}  {'met' if ok else 'NOT MET'}")
    print()
    for r in results:
        for line in details(r):
            print(line)
    return all(ok for _, _, ok in checks)


# -- main ---------------------------------------------------------------------------------


async def bench(args: argparse.Namespace) -> int:
    results: list[RunResult] = []
    with tempfile.TemporaryDirectory(prefix="samverkan-broadcast-") as tmp:
        workdir = Path(tmp)
        try:
            async with asyncio.timeout(BENCH_TIMEOUT_S):
                code = REPO if args.live_code else workdir / "code"
                if not args.live_code:
                    await asyncio.to_thread(snapshot_code, code)
                template = workdir / "template.db"
                started = time.monotonic()
                await seed(template, args.members, mark_menus=not args.unsynced_menus)
                print(f"seeded {args.members} members in {time.monotonic() - started:.1f}s")
                setup = Setup(template, workdir, code, args.members, args.think)
                for name, crash in (("normal", None), ("crash", args.crash_at)):
                    print(f"{name} run ...", flush=True)
                    results.append(await run_once(setup, name, crash))
        except TimeoutError:
            print(f"bench: gave up after {BENCH_TIMEOUT_S:.0f}s", file=sys.stderr)
            report(results)
            return 1
        except BenchError as exc:
            print(f"bench: {exc}", file=sys.stderr)
            report(results)
            return 1
    return 0 if report(results) else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.broadcast", description=__doc__)
    parser.add_argument("--members", type=int, default=MEMBERS, help="recipients (%(default)s)")
    parser.add_argument(
        "--crash-at", type=int, default=CRASH_AT, help="SIGKILL after this many copies"
    )
    parser.add_argument(
        "--unsynced-menus",
        action="store_true",
        help="leave the members' menus unset, so the bot sets them all at start",
    )
    parser.add_argument(
        "--think",
        type=float,
        default=THINK_S,
        help="seconds the coordinator waits before each tap (%(default)s)",
    )
    parser.add_argument(
        "--live-code",
        action="store_true",
        help="run the working tree's code rather than a copy taken at the start",
    )
    args = parser.parse_args(argv)
    if not 0 < args.crash_at < args.members:
        parser.error("--crash-at must be between 0 and --members")
    try:
        return asyncio.run(bench(args))
    finally:
        kill_leftovers()


if __name__ == "__main__":
    sys.exit(main())
