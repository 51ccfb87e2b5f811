"""Where the purge's long transactions spend their time (`python -m bench.purge --trace`).

Every call a writer connection runs on its aiosqlite thread is timed twice: on that thread
(the statement itself) and from the event loop (the statement plus the hand-over between the
two threads). On the thread, Linux's per-thread scheduler counters (`schedstat`: time on a
CPU, time runnable but waiting for one) split the statement's time into CPU work, waiting for
a CPU (the machine's load), and the rest: blocked, which for SQLite is the disk (a page read
the cache did not hold, or a commit's fsync). The thread's `read_bytes` says how much came
from the disk. The hand-over is split likewise with the event loop thread's counters, and
each transaction is checked against the garbage collector's passes (which stop every
thread) and the checkpointer's copies of the WAL (whose fsync a commit's may wait behind).

Only the slow transactions are kept whole; the others are summed as they end, so the
tracer itself leaves almost nothing for the garbage collector to walk.
"""

from __future__ import annotations

import gc
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from storage.db import Database

SLOW_S = 0.050
_CHANGED = re.compile(r"\s*(?:DELETE FROM|UPDATE)\s+(\w+)")
PARTS = ("begin", "select", "change", "commit")
CAUSES = ("cpu", "waiting for a cpu", "blocked (disk)", "hand-over to the loop",
          "the loop waiting for a cpu", "garbage collection")  # fmt: skip


def _schedstat(path: str = "/proc/thread-self/schedstat") -> tuple[float, float]:
    """A thread's time on a CPU and time runnable but waiting for one (seconds)."""
    with open(path, encoding="ascii") as f:
        run, wait, _ = f.read().split()
    return int(run) / 1e9, int(wait) / 1e9


def _read_bytes() -> int:
    with open("/proc/thread-self/io", encoding="ascii") as f:
        for line in f:
            if line.startswith("read_bytes:"):
                return int(line.split()[1])
    return 0


@dataclass
class Tx:
    """One write transaction: seconds by part and by cause."""

    started: float
    held: float = 0.0
    table: str = ""
    parts: dict[str, float] = field(default_factory=lambda: dict.fromkeys(PARTS, 0.0))
    causes: dict[str, float] = field(default_factory=lambda: dict.fromkeys(CAUSES, 0.0))
    commit_blocked: float = 0.0
    read_bytes: int = 0
    wal_copy: float = 0.0  # overlap with a checkpointer's copy


@dataclass
class Sums:
    """Transactions summed: how many, their held time, by part and by cause."""

    count: int = 0
    held: float = 0.0
    parts: dict[str, float] = field(default_factory=lambda: dict.fromkeys(PARTS, 0.0))
    causes: dict[str, float] = field(default_factory=lambda: dict.fromkeys(CAUSES, 0.0))
    commit_blocked: float = 0.0
    read_bytes: int = 0
    beside_copy: int = 0

    def add(self, tx: Tx) -> None:
        self.count += 1
        self.held += tx.held
        for key, value in tx.parts.items():
            self.parts[key] += value
        for key, value in tx.causes.items():
            self.causes[key] += value
        self.commit_blocked += tx.commit_blocked
        self.read_bytes += tx.read_bytes
        self.beside_copy += tx.wal_copy > 0

    def line(self, name: str) -> str:
        if not self.held:
            return f"  {name}: none"
        return (
            f"  {name}: {self.count:,}, held {self.held:.1f} s in all (mean"
            f" {self.held / self.count * 1000:.1f} ms); by part "
            + ", ".join(f"{k} {v / self.held:.0%}" for k, v in self.parts.items())
            + "; by cause "
            + ", ".join(f"{k} {v / self.held:.0%}" for k, v in self.causes.items())
            + f"; commits blocked {self.commit_blocked:.2f} s;"
            f" disk read {self.read_bytes / 1e6:.1f} MB; {self.beside_copy:,} beside a WAL copy"
        )


class Tracer:
    """Times every call of a Database's writers, the checkpointer's copies and the GC."""

    def __init__(self, db: Database) -> None:
        self.all, self.slow_sums, self.others = Sums(), Sums(), Sums()
        self.slow: list[Tx] = []
        self.slow_others: list[Tx] = []  # a handler's (the probe's) slow transactions
        self.copy_holds: list[float] = []  # a WAL copy finished with the writer held
        self.copies: list[tuple[float, float]] = []
        self.full_collections: list[float] = []
        self._collections: list[tuple[float, float]] = []
        self._copying: list[float] = []  # the starts of copies under way
        self._open: Tx | None = None
        self._loop_stat = f"/proc/self/task/{threading.get_native_id()}/schedstat"
        self._loop_at = (0.0, 0.0)
        self._gc_started = 0.0
        gc.callbacks.append(self._on_gc)
        for name in ("_writer", "_relaxed"):
            conn: Any = getattr(db, name, None)
            if conn is not None:
                conn._execute = self._timed(conn._execute)
        begin, copy = db._begin_write, db._copy_wal

        async def traced_begin(durable: bool) -> Any:
            self._open = Tx(time.perf_counter())
            self._loop_at = _schedstat(self._loop_stat)
            return await begin(durable)

        async def traced_copy() -> int:
            # The background checkpointer and the purge's pauses may copy at once.
            started = time.perf_counter()
            self._copying.append(started)
            try:
                return await copy()
            finally:
                self._copying.remove(started)
                self.copies.append((started, time.perf_counter()))

        setattr(db, "_begin_write", traced_begin)  # noqa: B010 (a bench's probe)
        setattr(db, "_copy_wal", traced_copy)  # noqa: B010
        told = db.on_write

        def on_write(held: float) -> None:
            if self._open is not None:
                self._end(self._open, held)
                self._open = None
            else:
                self.copy_holds.append(held)
            if told is not None:
                told(held)

        db.on_write = on_write

    def close(self) -> None:
        gc.callbacks.remove(self._on_gc)

    def _on_gc(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
            return
        ended = time.perf_counter()
        self._collections.append((self._gc_started, ended))
        if info["generation"] == 2:
            self.full_collections.append(ended - self._gc_started)
        del self._collections[:-50]  # a transaction overlaps only the last few

    def _end(self, tx: Tx, held: float) -> None:
        tx.held = held
        ended = tx.started + held
        _, waited = _schedstat(self._loop_stat)
        tx.causes["the loop waiting for a cpu"] = waited - self._loop_at[1]
        tx.causes["garbage collection"] = _overlap(tx.started, ended, self._collections)
        copies = self.copies[-5:] + [(start, ended) for start in self._copying]
        tx.wal_copy = _overlap(tx.started, ended, copies)
        if not tx.table:  # the probe's, or a handler's
            self.others.add(tx)
            if held >= SLOW_S:
                self.slow_others.append(tx)
            return
        self.all.add(tx)
        if held >= SLOW_S:
            self.slow_sums.add(tx)
            self.slow.append(tx)

    def _timed(self, execute: Callable[..., Any]) -> Callable[..., Any]:
        async def timed_execute(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
            seen: list[float] = []

            def on_thread() -> Any:
                cpu, waited = _schedstat()
                read = _read_bytes()
                started = time.perf_counter()
                try:
                    return fn(*args, **kwargs)
                finally:
                    took = time.perf_counter() - started
                    cpu_after, waited_after = _schedstat()
                    seen.extend((took, cpu_after - cpu, waited_after - waited,
                                 _read_bytes() - read))  # fmt: skip

            started = time.perf_counter()
            try:
                return await execute(on_thread)
            finally:
                if self._open is not None and seen:
                    self._record(fn, args, time.perf_counter() - started, seen)

        return timed_execute

    def _record(self, fn: Callable[..., Any], args: tuple[Any, ...], total: float,
                seen: list[float]) -> None:  # fmt: skip
        tx = self._open
        assert tx is not None
        on_thread, cpu, cpu_wait, read = seen
        sql = str(args[0]) if args else ""
        verb = sql.lstrip().split(" ", 1)[0].upper()
        if getattr(fn, "__name__", "") == "commit":
            part = "commit"
        else:
            part = {"BEGIN": "begin", "SELECT": "select"}.get(verb, "change")
        changed = _CHANGED.match(sql)
        if changed and "json_each(:ids)" in sql and not tx.table:
            tx.table = changed.group(1)  # a purge step's change, not the probe's
        blocked = max(0.0, on_thread - cpu - cpu_wait)
        tx.parts[part] += total
        tx.causes["cpu"] += cpu
        tx.causes["waiting for a cpu"] += cpu_wait
        tx.causes["blocked (disk)"] += blocked
        tx.causes["hand-over to the loop"] += max(0.0, total - on_thread)
        tx.read_bytes += int(read)
        if part == "commit":
            tx.commit_blocked += blocked

    def report(self) -> list[str]:
        """Lines: the purge's transactions by where their time went, the slow ones apart."""
        longest_gc = max(self.full_collections, default=0.0) * 1000
        lines = [
            f"trace: {self.all.count:,} purge transactions, {len(self.slow)} held the writer"
            f" >= {SLOW_S * 1000:.0f} ms; {len(self.copies):,} checkpointer copies;"
            f" {len(self.full_collections)} full garbage collections (longest"
            f" {longest_gc:.0f} ms)",
            self.all.line("all purge transactions"),
            self.slow_sums.line(f"the {len(self.slow)} slow ones"),
            "slowest: held = begin + select + change + commit; on the writer's thread cpu /"
            " waiting for a cpu / blocked (disk); hand-over (of it the loop's thread waiting"
            " for a cpu, a garbage collection meanwhile); disk read; beside a WAL copy",
        ]
        lines += [_one(t) for t in sorted(self.slow, key=lambda t: -t.held)[:12]]
        lines += [
            self.others.line("a handler's (the probe's) transactions, durable"),
            f"  WAL copies finished with the writer held: {len(self.copy_holds)}, longest"
            f" {max(self.copy_holds, default=0) * 1000:.0f} ms; the probe's slowest:",
        ]
        lines += [_one(t) for t in sorted(self.slow_others, key=lambda t: -t.held)[:5]]
        return lines


def _overlap(start: float, end: float, intervals: list[tuple[float, float]]) -> float:
    return sum(max(0.0, min(end, e) - max(start, s)) for s, e in intervals)


def _one(tx: Tx) -> str:
    def ms(value: float) -> str:
        return f"{value * 1000:.0f}"

    p, c = tx.parts, tx.causes
    return (
        f"  {ms(tx.held):>5} ms {tx.table:<15} = {ms(p['begin'])} + {ms(p['select'])}"
        f" + {ms(p['change'])} + {ms(p['commit'])}; cpu {ms(c['cpu'])},"
        f" wait {ms(c['waiting for a cpu'])}, blocked {ms(c['blocked (disk)'])}"
        f" (commit {ms(tx.commit_blocked)}), hand-over {ms(c['hand-over to the loop'])}"
        f" (loop waiting for a cpu {ms(c['the loop waiting for a cpu'])},"
        f" GC {ms(c['garbage collection'])}); read {tx.read_bytes / 1024:.0f} KB;"
        f" WAL copy {ms(tx.wal_copy)} ms"
    )
