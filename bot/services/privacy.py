"""Retention: delete what is past its time, in short transactions, and say how much."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from bot.domain.retention import DataClass, Retention
from storage.privacy import STEPS
from storage.store import Store

log = logging.getLogger(__name__)

# Rows per transaction at most (times a step's share), so a handler waiting for the writer
# never waits long behind the purge.
BATCH = 200
# What one transaction may hold the writer: rows per transaction follow it, halved after a
# slower transaction and grown by a quarter after a quicker one, between 1 and the batch.
# What a row costs differs by table (pages its indexes spread over) and by how busy the
# machine is (bench/README.md, purge), so it is measured rather than guessed.
TARGET_S = 0.010
# The purge pauses this often for the WAL to be copied into the file (beside the writer,
# handlers' writes go on), so that the WAL starts over instead of growing with the purge.
# The copy also syncs the WAL: the purge's commits are not synced, so a handler's durable
# commit syncs whatever the purge wrote since the last copy, up to 240 MB of WAL a second
# (bench.purge: every 0.5 s, a handler's write waited up to 410 ms; every 0.1 s, 110 ms).
CHECKPOINT_EVERY_S = 0.1
# The classes whose windows are short (an hour, a day): purged often, not daily.
SHORT = (DataClass.DRAFTS, DataClass.LOCATIONS)
SHORT_EVERY_S = 600


@dataclass
class PurgeReport:
    """What one purge deleted (or, in a dry run, would delete), by class."""

    counts: dict[DataClass, int] = field(default_factory=dict)
    transactions: int = 0
    longest_s: float = 0.0
    longest_by_class: dict[DataClass, float] = field(default_factory=dict)
    total_s: float = 0.0
    most_rows: int = 0  # in one transaction

    @property
    def total(self) -> int:
        """Rows changed or deleted in all."""
        return sum(self.counts.values())


async def purge(
    store: Store,
    retention: Retention,
    now: datetime,
    *,
    classes: Iterable[DataClass] = tuple(DataClass),
    dry_run: bool = False,
    batch: int = BATCH,
    target_s: float | None = TARGET_S,
) -> PurgeReport:
    """Delete what is past its time, class by class, at most `batch` rows per transaction,
    fewer while a transaction takes longer than `target_s` (None: always `batch`).

    Between transactions the writer is free, so handlers queue behind one batch at most.
    """
    report = PurgeReport()
    started = checkpointed = time.perf_counter()
    cutoffs = retention.cutoffs(now)
    wanted = set(classes)
    for cls, steps in STEPS.items():
        if cls not in wanted:
            continue
        report.counts[cls] = 0
        for step in steps:
            if dry_run:
                async with store.read() as tx:
                    report.counts[cls] += await tx.privacy.due(step, cutoffs[cls])
                continue
            most = max(1, int(batch * step.share))
            size = most if target_s is None else max(1, most // 4)
            while True:
                held = time.perf_counter()
                # Not synced at its commit: a purge lost to a power cut is simply done again.
                async with store.transaction(durable=False) as tx:
                    done = await tx.privacy.purge_batch(step, cutoffs[cls], now, size)
                took = time.perf_counter() - held
                report.longest_s = max(report.longest_s, took)
                report.longest_by_class[cls] = max(report.longest_by_class.get(cls, 0.0), took)
                report.transactions += 1
                report.counts[cls] += done
                report.most_rows = max(report.most_rows, done)
                if done < size:
                    break
                if target_s is not None:
                    size = next_size(size, took, target_s, most)
                if time.perf_counter() - checkpointed > CHECKPOINT_EVERY_S:
                    await store.db.checkpoint_now()
                    checkpointed = time.perf_counter()
                await asyncio.sleep(0)  # let a handler waiting for the writer go first
    report.total_s = time.perf_counter() - started
    if not dry_run and report.total:
        counts = {str(cls): n for cls, n in report.counts.items() if n}
        log.info("purge: %s", counts)
    return report


def next_size(size: int, took: float, target: float, most: int) -> int:
    """Rows for the next transaction after one of `size` rows took `took` seconds."""
    if took > target:
        return max(1, size // 2)
    return min(most, size + max(1, size // 4))
