"""What bench.scan measured of each scan, its aims, and the report of a morning's scans and
of the handlers' service times idle and beside them."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bench.scale import _percentile

if TYPE_CHECKING:
    from bench.scan import Handlers

ZONE = ZoneInfo("Europe/Stockholm")
LOCK_AIM_MS = 50.0
SLOWDOWN_AIM = 2.0


@dataclass
class ScanFigures:
    """One scan: when, how long, how much lock, what it did."""

    at: datetime
    wall_ms: float
    holds_ms: list[float] = field(default_factory=list)
    sent: int = 0
    dropped: int = 0
    cpu_ms: float = 0.0  # the writer thread's CPU time inside the scan's transactions
    more: bool = False  # left some for a scan CONTINUE_AFTER later
    commit_ms: float = 0.0  # the wall time of its COMMITs

    @property
    def held_ms(self) -> float:
        return sum(self.holds_ms)

    @property
    def longest_ms(self) -> float:
        return max(self.holds_ms, default=0.0)


def _local_text(at: datetime) -> str:
    return f"{at.astimezone(ZONE):%H:%M:%S}"


def _row(name: str, values: list[float]) -> str:
    return (
        f"{name:<26}{len(values):>6}{statistics.median(values):>9.2f}"
        f"{_percentile(values, 0.95):>9.2f}{_percentile(values, 0.99):>9.2f}{max(values):>9.2f}"
    )


def report(catch_up: ScanFigures, scans: list[ScanFigures], handlers: Handlers) -> bool:
    print()
    print(f"Reminder scans, {_local_text(scans[0].at)}–{_local_text(scans[-1].at)} every 30 s:")
    print(f"{'':<26}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    print(_row("scan wall time", [s.wall_ms for s in scans]))
    print(_row("lock held per scan", [s.held_ms for s in scans]))
    print(_row("longest single hold", [s.longest_ms for s in scans]))
    print(_row("writer CPU per scan", [s.cpu_ms for s in scans]))
    print(_row("COMMIT per scan (wall)", [s.commit_ms for s in scans]))
    print(_row("transactions per scan", [float(len(s.holds_ms)) for s in scans]))
    print(
        f"catch-up scan at {_local_text(catch_up.at)}: wall {catch_up.wall_ms:.1f} ms, lock held"
        f" {catch_up.held_ms:.1f} ms in {len(catch_up.holds_ms)} transactions (longest"
        f" {catch_up.longest_ms:.1f} ms), {catch_up.sent} sent, {catch_up.dropped} dropped"
    )
    heavy = sorted(scans, key=lambda s: s.held_ms, reverse=True)[:5]
    print("heaviest scans:")
    for s in heavy:
        print(
            f"  {_local_text(s.at)}  wall {s.wall_ms:7.1f} ms  lock {s.held_ms:7.1f} ms in"
            f" {len(s.holds_ms):3} transactions (longest {s.longest_ms:5.2f} ms)"
            f"  sent {s.sent:5}  dropped {s.dropped}  writer CPU {s.cpu_ms:5.1f} ms"
        )
    worst = max(s.longest_ms for s in [catch_up, *scans])
    lock_ok = worst < LOCK_AIM_MS
    print(f"longest hold of the write lock by a scan: {worst:.1f} ms; aim < {LOCK_AIM_MS:.0f} ms:"
          f" {'yes' if lock_ok else 'NO'}")  # fmt: skip
    print()
    heavy_samples = [x for s in heavy for x in handlers.during_heavy[s.at]]
    print("Handlers (a check-in, /onduty, /coverage in turn), service time:")
    print(f"{'':<26}{'calls':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    print(_row("idle (between scans)", handlers.idle))
    print(_row("during a scan", handlers.during))
    print(_row("during the 5 heaviest", heavy_samples))
    ratio = _percentile(handlers.during, 0.95) / _percentile(handlers.idle, 0.95)
    ratio_heavy = _percentile(heavy_samples, 0.95) / _percentile(handlers.idle, 0.95)
    ratio_ok = ratio <= SLOWDOWN_AIM
    for name, samples in handlers.by_operation.items():
        idle, during = samples.get("idle", []), samples.get("during", [])
        if idle and during:
            print(_row(f"  {name} idle", idle))
            print(_row(f"  {name} during", during) + f"   p95 x{_ratio(during, idle):.2f}")
    print(
        f"p95 during a scan / idle: {ratio:.2f} (heaviest five: {ratio_heavy:.2f});"
        f" aim <= {SLOWDOWN_AIM:.0f}: {'yes' if ratio_ok else 'NO'}"
    )
    return lock_ok and ratio_ok


def _ratio(during: list[float], idle: list[float]) -> float:
    return _percentile(during, 0.95) / _percentile(idle, 0.95)
