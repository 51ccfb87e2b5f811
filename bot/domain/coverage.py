"""Coverage: how many of an agency are present over time, and where that falls short.

Everything here is pure: intervals in, intervals out. Times are aware datetimes; an
interval is half-open, [start, end).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Gap:
    """A stretch of time below the minimum; `lowest`/`highest` are the counts within it."""

    start: datetime
    end: datetime
    lowest: int
    highest: int


def count_at(intervals: Iterable[tuple[datetime, datetime]], moment: datetime) -> int:
    """How many intervals cover a moment."""
    return sum(1 for start, end in intervals if start <= moment < end)


def gaps(
    intervals: Iterable[tuple[datetime, datetime]],
    window_start: datetime,
    window_end: datetime,
    minimum: int,
) -> list[Gap]:
    """The merged stretches of [window_start, window_end) where fewer than `minimum` overlap."""
    if minimum <= 0 or window_end <= window_start:
        return []
    events: dict[datetime, int] = {}
    for start, end in intervals:
        start, end = max(start, window_start), min(end, window_end)
        if start < end:
            events[start] = events.get(start, 0) + 1
            events[end] = events.get(end, 0) - 1
    result: list[Gap] = []
    count, cursor = 0, window_start
    for moment in [*sorted(events), window_end]:
        if moment > cursor and count < minimum:
            _extend(result, cursor, moment, count)
        count += events.get(moment, 0)
        cursor = max(cursor, moment)
    return result


def _extend(result: list[Gap], start: datetime, end: datetime, count: int) -> None:
    if result and result[-1].end == start:
        last = result[-1]
        result[-1] = Gap(last.start, end, min(last.lowest, count), max(last.highest, count))
    else:
        result.append(Gap(start, end, count, count))


def overlaps(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> bool:
    """True when two half-open intervals share some time."""
    return a[0] < b[1] and b[0] < a[1]
