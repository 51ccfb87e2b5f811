"""The reminder scan at bench/scale size: how long it holds the write lock, and what it does
to the handlers' latency while it runs.

Uses the database of `bench.scale` (60 groups, 7,261 members, 1.53 M shifts; seeded the same
way, or reused with `--db`). It then plays a morning in the life of the bot on a fake clock,
as the job queue would: a scan every 30 s from 04:30 to 07:05 Stockholm time on one day
(`--day`), across the 06:00 shift change and the 07:00 morning digest; and, as the job
does, one more 5 s after a scan that had more due than it settles (`reminders.LIMIT`).
Between scans the experts behave: each staffed shift's members check in between 10 minutes
before and 5 minutes after the start (95% of them; the rest are the no-shows the scan must
report), and those of the night shift check out within 10 minutes of its end (90%; the rest
are closed by the automatic check-out two hours later). The first scan, at 04:30, is the
catch-up after a start-up and is reported on its own.

For every scan it records the wall time of `reminders.run_due`, how long the write lock
was held, per transaction and in all, by the scan's own transactions (`Database.on_write`,
attributed to the scan through a context variable), and the CPU time the SQLite writer
thread spent in them: the work done under the lock, which the machine's load does not
stretch as it stretches wall time.

Beside every scan the handlers' work of `bench.scale` (a check-in of someone with no shift
that morning, /onduty, /coverage, in turn) runs back to back until the scan is done; after
it, two more calls are timed with nothing else going on ("idle"). The aims: the scan holds
the write lock < 50 ms at a time, and the handlers' p95 during scans is within 2x of idle.
Exit status 1 when one is missed.

Run with `python -m bench.scan` (see --help); `--db PATH` reuses a `bench.scale` database.
"""

from __future__ import annotations

import argparse
import asyncio
import contextvars
import random
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.scale import Scene, _near, load_scene, needs_seeding, seed
from bench.scan_report import ZONE, ScanFigures, report
from bot.domain.errors import DomainError
from bot.domain.models import Group, Member
from bot.runner import settle_heap
from bot.services import coverage as coverage_service
from bot.services import presence as presence_service
from bot.services import reminders
from bot.services.reminder_items import ScanResult
from storage.db import Database
from storage.store import Store

SCAN_INTERVAL = timedelta(seconds=30)
FIRST = (4, 30)  # local time of the first (catch-up) scan
LAST = (7, 5)
SHOW_UP = 0.95
CHECK_OUT = 0.90
IN_SCAN: contextvars.ContextVar[bool] = contextvars.ContextVar("in_scan", default=False)


@dataclass(frozen=True)
class Move:
    """A member checking in or out at a moment of the simulated morning."""

    at: datetime
    member_id: int
    check_in: bool


def _local(day: datetime, hour: int, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE).astimezone(UTC)


async def _people_moves(
    store: Store, start: datetime, end: datetime, rng: random.Random
) -> tuple[list[Move], list[int]]:
    """Check-ins for shifts starting in the window, check-outs of those ending in it; and
    who is on the shifts already running at the start (checked in before the bench began)."""
    async with store.db.read() as conn:
        rows = await conn.execute_fetchall(
            "SELECT member_id, starts_at, ends_at FROM shifts WHERE cancelled_at IS NULL"
            " AND starts_at <= ? AND ends_at > ?",
            (end.isoformat(), start.isoformat()),
        )
    moves: list[Move] = []
    running: list[int] = []
    for member_id, starts, ends in rows:
        begin, finish = datetime.fromisoformat(starts), datetime.fromisoformat(ends)
        if begin <= start:
            running.append(member_id)
        elif rng.random() < SHOW_UP:
            offset = timedelta(seconds=rng.uniform(-600, 300))
            moves.append(Move(begin + offset, member_id, True))
        if start < finish <= end and rng.random() < CHECK_OUT:
            moves.append(Move(finish + timedelta(seconds=rng.uniform(0, 600)), member_id, False))
    moves.sort(key=lambda m: m.at)
    return moves, running


async def _move(store: Store, members: dict[int, Member], move: Move, rng: random.Random) -> None:
    member = members[move.member_id]
    try:
        if move.check_in:
            lat, lon = _near(rng, _GROUPS[member.group_ids[0]])
            await presence_service.check_in(
                store, member, lat=lat, lon=lon, accuracy_m=15.0, now=move.at
            )
        else:
            await presence_service.check_out(store, member, move.at)
    except DomainError:
        pass  # already in (a double shift) or already out (closed automatically)


_GROUPS: dict[int, Group] = {}


def _operations(
    store: Store, scene: Scene, free: list[Member], rng: random.Random
) -> list[Callable[[], Awaitable[float]]]:
    """The handlers' work of bench.scale: a check-in (of someone with no shift this morning,
    at a moment months away, checked out again untimed), /onduty, /coverage."""
    everyone = scene.everyone
    coordinators = list(scene.coordinators.values())

    async def check_in_once() -> float:
        member = rng.choice(free)
        now = datetime(2026, 2, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(60 * 24 * 20))
        lat, lon = _near(rng, scene.groups[member.group_ids[0]])
        begin = time.perf_counter()
        await presence_service.check_in(store, member, lat=lat, lon=lon, accuracy_m=9.0, now=now)
        elapsed = time.perf_counter() - begin
        await presence_service.check_out(store, member, now + timedelta(minutes=5))
        return elapsed * 1000

    async def on_duty_once() -> float:
        member = rng.choice(everyone)
        now = datetime(2026, 2, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(60 * 24 * 20))
        begin = time.perf_counter()
        await coverage_service.on_duty(store, member, now)
        return (time.perf_counter() - begin) * 1000

    async def coverage_once() -> float:
        coordinator = rng.choice(coordinators)
        now = datetime(2026, 3, 1, tzinfo=UTC) + timedelta(hours=rng.randrange(24 * 200))
        begin = time.perf_counter()
        await coverage_service.coverage(store, coordinator, coordinator.group_ids[0], now)
        return (time.perf_counter() - begin) * 1000

    return [check_in_once, on_duty_once, coverage_once]


class Handlers:
    """The handlers' operations in turn, timed idle or beside a running scan."""

    def __init__(self, operations: list[Callable[[], Awaitable[float]]]) -> None:
        self._operations = operations
        self._turn = 0
        self.idle: list[float] = []
        self.during: list[float] = []
        self.during_heavy: dict[datetime, list[float]] = {}
        # Each operation's samples apart, idle and during scans: the mix of the two lists
        # above differs from scan to scan, and the operations' times differ several-fold.
        self.by_operation: dict[str, dict[str, list[float]]] = {}

    async def one(self, when: str | None = None) -> float:
        self._turn += 1
        operation = self._operations[self._turn % len(self._operations)]
        took = await operation()
        if when is not None:
            samples = self.by_operation.setdefault(operation.__name__, {})
            samples.setdefault(when, []).append(took)
        return took

    async def beside(self, scan: asyncio.Task[ScanResult]) -> list[float]:
        """Operations back to back while the scan runs (at least one)."""
        samples = [await self.one("during")]
        while not scan.done():
            samples.append(await self.one("during"))
        return samples


def writer_cpu(db: Database) -> Callable[[], float]:
    """The SQLite writers' threads' CPU time so far (s): the work a transaction does, apart
    from waiting for the disk, the other processes or the event loop. Both writers: the
    durable one and the one whose commits are not synced (the scan's)."""
    writers = [w for w in (db._writer, getattr(db, "_relaxed", None)) if w is not None]
    clocks = [time.pthread_getcpuclockid(w._thread.ident or 0) for w in writers]
    return lambda: sum(time.clock_gettime(clock) for clock in clocks)


def count_cpu(db: Database, cpu: list[float], commits: list[float]) -> None:
    """Record the writer's CPU time (ms) in each write transaction made in the scan's task
    (while one is open nobody else's can run on the writer), and the wall time of each of
    their COMMITs (where a commit waits for the disk)."""
    clock, transaction, commit = writer_cpu(db), db.transaction, db._commit_write

    @asynccontextmanager
    async def counted(*args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        began = clock()
        async with transaction(*args, **kwargs) as conn:
            began = clock()
            yield conn
        if IN_SCAN.get():
            cpu.append((clock() - began) * 1000)

    async def timed_commit(*args: Any) -> None:
        began = time.perf_counter()
        await commit(*args)
        if IN_SCAN.get():
            commits.append((time.perf_counter() - began) * 1000)

    db.transaction = counted  # type: ignore[method-assign]
    db._commit_write = timed_commit  # type: ignore[method-assign]


async def _scan(store: Store, at: datetime, handlers: Handlers) -> ScanFigures:
    holds: list[float] = []
    cpu: list[float] = []
    commits: list[float] = []

    def record(seconds: float) -> None:
        if IN_SCAN.get():
            holds.append(seconds * 1000)

    store.db.on_write = record
    count_cpu(store.db, cpu, commits)

    async def scan() -> ScanResult:
        IN_SCAN.set(True)  # this task's context only: the handlers' writes are not counted
        began = time.perf_counter()
        result = await reminders.run_due(store, at)
        walls.append((time.perf_counter() - began) * 1000)
        return result

    walls: list[float] = []
    task = asyncio.create_task(scan())
    samples = await handlers.beside(task)
    result = await task
    store.db.on_write = None
    del store.db.transaction, store.db._commit_write  # the class's own again
    handlers.during += samples
    handlers.during_heavy[at] = samples
    handlers.idle += [await handlers.one("idle") for _ in range(2)]
    return ScanFigures(
        at, walls[0], holds, result.sent, result.dropped, sum(cpu), result.more, sum(commits)
    )


async def morning(
    store: Store, scene: Scene, day: datetime, rng: random.Random
) -> tuple[list[ScanFigures], Handlers]:
    """Play the morning: moves between scans, a scan every 30 s with handlers beside it."""
    start, end = _local(day, *FIRST), _local(day, *LAST)
    members = {m.id: m for m in [*scene.experts, *scene.coordinators.values()]}
    async with store.db.transaction() as conn:  # a clean slate from earlier runs
        await conn.execute("DELETE FROM presences")
        await conn.execute("DELETE FROM reminders_done")
        await conn.execute("DELETE FROM outbox")
        await conn.execute("DELETE FROM coverage_state")
    moves, running = await _people_moves(store, start, end, rng)
    busy = set(running) | {m.member_id for m in moves}
    free = [m for m in scene.experts if m.id not in busy]
    # As the bot does once started (bot.runner): without it, full collections walking the
    # seeded scene took 112-114 ms, and one that fell inside a scan held the lock 63 ms.
    settle_heap()
    handlers = Handlers(_operations(store, scene, free, rng))
    for _ in range(30):  # warm-up
        await handlers.one()
    for member_id in running:
        if rng.random() < SHOW_UP:
            await _move(store, members, Move(start - timedelta(hours=2), member_id, True), rng)
    _progress(f"{len(running)} on the night shift; {len(moves)} check-ins and -outs to come")
    figures: list[ScanFigures] = []
    at, regular, pending = start, start, list(moves)
    while at <= end:
        while pending and pending[0].at <= at:
            await _move(store, members, pending.pop(0), rng)
        figures.append(await _scan(store, at, handlers))
        if at == regular:
            regular += SCAN_INTERVAL
        # As the job does: the rest of a scan that had more due than it settles, soon.
        at = min(regular, at + reminders.CONTINUE_AFTER) if figures[-1].more else regular
    return figures, handlers


def _progress(text: str) -> None:
    print(f"  {text}", file=sys.stderr, flush=True)


async def run(args: argparse.Namespace, path: str) -> bool:
    empty = await needs_seeding(path)
    if empty:
        _progress(f"seeding {path} ...")
        seed(path, args.seed, [0, 0])
    rng = random.Random(args.seed)
    day = datetime.fromisoformat(args.day)
    db = await Database.open(path)
    try:
        store = Store(db)
        scene = await load_scene(store)
        _GROUPS.update(scene.groups)
        _progress("playing the morning ...")
        figures, handlers = await morning(store, scene, day, rng)
    finally:
        await db.close()
    return report(figures[0], figures[1:], handlers)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.scan", description=__doc__.split("\n")[0] if __doc__ else None
    )
    parser.add_argument("--db", help="a bench.scale database to reuse (seeded when empty)")
    parser.add_argument("--day", default="2026-06-10", help="the day played (YYYY-MM-DD)")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="samverkan-scan-") as folder:
        met = asyncio.run(run(args, args.db or str(Path(folder) / "scale.db")))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
