"""Check-ins in bulk: a year of a city's check-ins as numpy arrays, and the figures over them.

`bot.domain.figures` says what each presence figure means, one Span at a time; the functions
here compute the same figures over arrays (over a million check-ins in about a second, in
tens of megabytes) and are tested against those. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from bot.domain.figures import Span

Ints = NDArray[np.int64]
NO_AGENCY = -1


def _ints(values: Iterable[int] | Ints) -> Ints:
    return np.asarray(list(values) if not isinstance(values, np.ndarray) else values, np.int64)


@dataclass(frozen=True, eq=False)
class Checkins:
    """Check-ins as columns: group id, agency (index into `agencies`), member, [start, end)."""

    agencies: tuple[str, ...]
    group: Ints
    agency: Ints
    member: Ints
    start: Ints
    end: Ints

    @classmethod
    def of(cls, spans: Iterable[Span], agencies: Sequence[str]) -> Checkins:
        """From Span objects (small reports and tests)."""
        index = {code: i for i, code in enumerate(agencies)}
        rows = [(s.group_id, index.get(s.agency, NO_AGENCY), s.member_id, s.start, s.end)
                for s in spans]  # fmt: skip
        columns = [_ints(c) for c in zip(*rows, strict=True)] if rows else [_ints([])] * 5
        return cls(tuple(agencies), *columns)

    @classmethod
    def empty(cls, agencies: Sequence[str]) -> Checkins:
        """No check-ins at all."""
        return cls.of([], agencies)

    def __len__(self) -> int:
        return int(self.start.size)

    def clipped(self, start: int, end: int) -> Checkins:
        """Cut to [start, end); check-ins wholly outside are left out."""
        keep = (self.start < end) & (self.end > start)
        return Checkins(
            self.agencies,
            self.group[keep],
            self.agency[keep],
            self.member[keep],
            np.maximum(self.start[keep], start),
            np.minimum(self.end[keep], end),
        )


def _integral(sorted_times: Ints, at: Ints) -> Ints:
    """For each moment t in `at`: the sum over times x of max(0, t - x)."""
    count = np.searchsorted(sorted_times, at, side="right")
    sums = np.concatenate(([0], np.cumsum(sorted_times)))
    return count * at - sums[count]


def person_seconds(checkins: Checkins, edges: Sequence[int]) -> dict[str, list[float]]:
    """Per agency, person-seconds checked in within each bucket [edges[i], edges[i+1]).

    Person-time up to t is the sum of max(0, t - start) less the sum of max(0, t - end),
    so each bucket is a difference of two sorted-array integrals: no loop over check-ins.
    """
    at = _ints(edges)
    lo, hi = int(at[0]), int(at[-1])
    # Only the three columns needed, cut to the buckets: a year is not copied whole.
    keep = (checkins.start < hi) & (checkins.end > lo)
    agency = checkins.agency[keep]
    starts = np.maximum(checkins.start[keep], lo)
    ends = np.minimum(checkins.end[keep], hi)
    del keep
    result: dict[str, list[float]] = {}
    for index, code in enumerate(checkins.agencies):
        mine = agency == index
        if not mine.any():
            continue
        up_to = _integral(np.sort(starts[mine]), at) - _integral(np.sort(ends[mine]), at)
        result[code] = np.diff(up_to).astype(float).tolist()
    return result


def _seconds_at_least(keys: Ints, starts: Ints, ends: Ints, minimum: Ints, size: int) -> Ints:
    """Per key (0..size-1): how long at least minimum[key] of its intervals overlapped."""
    if keys.size == 0:
        return np.zeros(size, np.int64)
    times = np.concatenate((starts, ends))
    change = np.concatenate((np.ones_like(starts), -np.ones_like(ends)))
    owner = np.concatenate((keys, keys))
    order = np.lexsort((change, times, owner))
    times, change, owner = times[order], change[order], owner[order]
    # Each key's changes add up to zero, so one running sum counts every key from zero.
    count = np.cumsum(change)[:-1]
    length = np.diff(times)
    inside = (owner[:-1] == owner[1:]) & (count >= minimum[owner[:-1]])
    return np.bincount(owner[:-1][inside], weights=length[inside], minlength=size).astype(np.int64)


def _by_group(
    checkins: Checkins, groups: Sequence[int], start: int, end: int
) -> Iterable[tuple[int, Checkins]]:
    """Each group's check-ins in turn, cut to [start, end): one group at a time keeps a
    city's year from being copied whole."""
    order = np.argsort(checkins.group, kind="stable")
    ordered = checkins.group[order]
    for group in groups:
        lo, hi = np.searchsorted(ordered, [group, group + 1])
        rows = order[lo:hi]
        mine = Checkins(
            checkins.agencies,
            checkins.group[rows],
            checkins.agency[rows],
            checkins.member[rows],
            checkins.start[rows],
            checkins.end[rows],
        )
        yield group, mine.clipped(start, end)


def met_minimum(
    checkins: Checkins, minimums: dict[int, int], start: int, end: int
) -> dict[str, float]:
    """Per agency, the share (0–1) of the period's time each group had its minimum present."""
    width = len(checkins.agencies)
    length = max(0, end - start) * len(minimums)
    if not length:
        return {code: 0.0 for code in checkins.agencies}
    met = np.zeros(width, np.int64)
    for group, mine in _by_group(checkins, sorted(minimums), start, end):
        minimum = minimums[group]
        if minimum <= 0:
            met += end - start  # no minimum: met all the time
            continue
        known = mine.agency >= 0
        met += _seconds_at_least(
            mine.agency[known],
            mine.start[known],
            mine.end[known],
            np.full(width, minimum, np.int64),
            width,
        )
    return {code: float(met[i]) / length for i, code in enumerate(checkins.agencies)}


def staffed_seconds(checkins: Checkins, groups: Iterable[int], start: int, end: int) -> int:
    """Summed over the groups, how long someone at all was checked in."""
    total = 0
    one = np.ones(1, np.int64)
    for _group, mine in _by_group(checkins, sorted(set(groups)), start, end):
        keys = np.zeros(len(mine), np.int64)
        total += int(_seconds_at_least(keys, mine.start, mine.end, one, 1)[0])
    return total


def seconds_by_member(checkins: Checkins, start: int, end: int) -> dict[int, int]:
    """Seconds each member was checked in within [start, end)."""
    keep = (checkins.start < end) & (checkins.end > start)
    member = checkins.member[keep]
    if not member.size:
        return {}
    length = np.minimum(checkins.end[keep], end) - np.maximum(checkins.start[keep], start)
    # Member ids are small row ids, so one counter per id is a small array.
    totals = np.bincount(member, weights=length)
    present = np.flatnonzero(totals)
    return {int(m): int(totals[m]) for m in present}
