"""bench.scale's figures: latency statistics, the database's size and rows, the report."""

from __future__ import annotations

import os
import sqlite3
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.scale_seed import PER_SHIFT

AIM_MS = 50.0
ADMIN_ON_DUTY = "/onduty (admin, 60 groups)"  # information only, outside the aim
WARM_UP = 10


@dataclass(frozen=True)
class Stats:
    """Latencies of one measured operation, in milliseconds."""

    name: str
    samples: list[float]

    @property
    def p50(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return _percentile(self.samples, 0.95)

    @property
    def worst(self) -> float:
        return max(self.samples)


def _percentile(samples: Sequence[float], q: float) -> float:
    """The q-quantile, linear between closest ranks (as numpy's default)."""
    ordered = sorted(samples)
    pos = q * (len(ordered) - 1)
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


COUNTS = {
    "groups": "SELECT count(*) FROM groups",
    "members": "SELECT count(*) FROM members",
    "group_memberships": "SELECT count(*) FROM group_memberships",
    "shifts": "SELECT count(*) FROM shifts",
    "shifts live": "SELECT count(*) FROM shifts WHERE cancelled_at IS NULL",
    "presences": "SELECT count(*) FROM presences",
    "presences open": "SELECT count(*) FROM presences WHERE checked_out_at IS NULL",
    "audit_log": "SELECT count(*) FROM audit_log",
}


def row_counts(path: str) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {name: int(conn.execute(sql).fetchone()[0]) for name, sql in COUNTS.items()}
    finally:
        conn.close()


def file_size_mb(path: str) -> tuple[float, float]:
    """(database file, -wal file) in MB, after a checkpoint."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    wal = Path(path + "-wal")
    return (
        os.path.getsize(path) / 1e6,
        (wal.stat().st_size / 1e6) if wal.exists() else 0.0,
    )


def extra_indexes(path: str, statements: Sequence[str]) -> float:
    """Create the --extra-index indexes (on the benchmark's own database); seconds taken."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        started = time.perf_counter()
        for sql in statements:
            conn.execute(sql)
        return time.perf_counter() - started
    finally:
        conn.close()


def print_report(
    stats: list[Stats],
    counts: dict[str, int],
    sizes: tuple[float, float],
    seeding: dict[str, float] | None,
    short: list[int],
) -> bool:
    print()
    if seeding is None:
        print("Seeding: reused the existing database (--db)")
    else:
        total = sum(seeding.values())
        parts = ", ".join(f"{k} {v:.1f} s" for k, v in seeding.items())
        print(f"Seeding: {total:.1f} s ({parts})")
        print(
            f"Rota: {short[0]:,} of {short[1]:,} agency-shifts ({short[0] / short[1]:.1%})"
            f" planned below the minimum of {PER_SHIFT}"
        )
    print("Rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    main, wal = sizes
    print(f"Database: {main + wal:.1f} MB (file {main:.1f} MB + wal {wal:.1f} MB, checkpointed)")
    print()
    print(f"Service time ({WARM_UP} untimed warm-up calls first):")
    print(
        f"{'operation':<28}{'calls':>6}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
        f"  p95 < {AIM_MS:.0f} ms"
    )
    met = True
    for s in stats:
        ok = s.p95 < AIM_MS
        if s.name == ADMIN_ON_DUTY:
            verdict = ("yes" if ok else "no") + " (information only)"
        else:
            met = met and ok
            verdict = "yes" if ok else "NO"
        print(
            f"{s.name:<28}{len(s.samples):>6}{s.p50:>9.2f}{s.p95:>9.2f}{s.worst:>9.2f}  {verdict}"
        )
    return met
