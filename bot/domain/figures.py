"""The numbers behind the report charts: pure functions over plain facts, no I/O.

Instants are epoch seconds (UTC); buckets come from `bot.domain.periods`, so a daylight-saving
day is 23 or 25 hours long here too. Facts are small slotted dataclasses rather than pydantic
models because a year of a city's check-ins is over a million of them.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """A member's check-in: [start, end) in one group, for the agency they belong to."""

    group_id: int
    agency: str
    member_id: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class WorkFact:
    """A logged activity as the reports see it: no note, no author."""

    group_id: int
    agency: str
    kind: str
    type: str
    minutes: int
    residents_at_least: int
    done_at: int
    partners: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TargetFact:
    """One target agency's part of a flag."""

    flag_id: int
    group_id: int
    raiser: str
    agency: str
    urgency: str
    added_at: int
    deadline: int
    acknowledged_at: int | None
    resolved: bool


def clip(spans: Iterable[Span], start: int, end: int) -> list[Span]:
    """The spans cut to [start, end); those wholly outside are left out."""
    return [
        Span(s.group_id, s.agency, s.member_id, max(s.start, start), min(s.end, end))
        for s in spans
        if s.start < end and s.end > start
    ]


def person_seconds(spans: Iterable[Span], edges: Sequence[int]) -> dict[str, list[float]]:
    """Per agency, the person-seconds checked in within each bucket [edges[i], edges[i+1])."""
    buckets = len(edges) - 1
    result: dict[str, list[float]] = defaultdict(lambda: [0.0] * buckets)
    for span in clip(spans, edges[0], edges[-1]):
        row = result[span.agency]
        i = bisect_right(edges, span.start) - 1
        cursor = span.start
        while cursor < span.end:
            upper = min(span.end, edges[i + 1])
            row[i] += upper - cursor
            cursor = upper
            i += 1
    return dict(result)


def mean_present(
    seconds: dict[str, list[float]], edges: Sequence[int], slots: Sequence[int], width: int
) -> dict[str, list[float]]:
    """Average number checked in per slot: bucket i falls in slot slots[i] of `width` slots.

    The mean divides person-time by the real time the slot covered in the period, so a
    25-hour day or a doubled 02:00 hour is not counted as more people.
    """
    covered = [0.0] * width
    for i, slot in enumerate(slots):
        covered[slot] += edges[i + 1] - edges[i]
    result: dict[str, list[float]] = {}
    for agency, row in seconds.items():
        summed = [0.0] * width
        for i, slot in enumerate(slots):
            summed[slot] += row[i]
        result[agency] = [s / c if c else 0.0 for s, c in zip(summed, covered, strict=True)]
    return result


def _events(spans: Iterable[Span]) -> list[tuple[int, int]]:
    events: list[tuple[int, int]] = []
    for s in spans:
        if s.end > s.start:
            events.append((s.start, 1))
            events.append((s.end, -1))
    events.sort()
    return events


def seconds_at_least(spans: Iterable[Span], minimum: int, start: int, end: int) -> int:
    """How long within [start, end) at least `minimum` of the spans overlapped."""
    if minimum <= 0:
        return max(0, end - start)
    count, cursor, total = 0, start, 0
    for moment, change in _events(clip(spans, start, end)):
        if count >= minimum:
            total += moment - cursor
        cursor = moment
        count += change
    if count >= minimum:
        total += end - cursor
    return total


def met_minimum(
    spans: Iterable[Span],
    minimums: dict[int, int],
    agencies: Iterable[str],
    start: int,
    end: int,
) -> dict[str, float]:
    """Per agency, the share (0–1) of the period's time each group had its minimum present."""
    by_key: dict[tuple[int, str], list[Span]] = defaultdict(list)
    for span in spans:
        by_key[(span.group_id, span.agency)].append(span)
    length = max(0, end - start) * len(minimums)
    result: dict[str, float] = {}
    for agency in agencies:
        met = sum(
            seconds_at_least(by_key.get((group, agency), []), minimum, start, end)
            for group, minimum in minimums.items()
        )
        result[agency] = met / length if length else 0.0
    return result


def staffed_seconds(spans: Iterable[Span], groups: Iterable[int], start: int, end: int) -> int:
    """Summed over the groups, how long someone at all was checked in."""
    by_group: dict[int, list[Span]] = defaultdict(list)
    for span in spans:
        by_group[span.group_id].append(span)
    return sum(seconds_at_least(by_group.get(g, []), 1, start, end) for g in groups)


def in_bucket(instant: int, edges: Sequence[int]) -> int | None:
    """The index of the bucket holding an instant, or None when outside every bucket."""
    if not edges or instant < edges[0] or instant >= edges[-1]:
        return None
    return bisect_right(edges, instant) - 1


@dataclass(frozen=True)
class MixWeek:
    """Minutes of each kind of work in one week."""

    boundary: int
    relationship: int

    @property
    def relationship_share(self) -> float | None:
        """Relationship-building's share of the week's logged time; None for an empty week."""
        total = self.boundary + self.relationship
        return self.relationship / total if total else None


def work_mix(facts: Iterable[WorkFact], weeks: Sequence[int]) -> list[MixWeek]:
    """Per week, minutes of boundary-setting and of relationship-building work."""
    boundary = [0] * (len(weeks) - 1)
    relationship = [0] * (len(weeks) - 1)
    for fact in facts:
        i = in_bucket(fact.done_at, weeks)
        if i is None:
            continue
        if fact.kind == "relationship":
            relationship[i] += fact.minutes
        else:
            boundary[i] += fact.minutes
    return [MixWeek(b, r) for b, r in zip(boundary, relationship, strict=True)]


def reach(facts: Iterable[WorkFact], weeks: Sequence[int]) -> list[tuple[int, int]]:
    """Per week, (residents reached at least, activities) of relationship-building work."""
    result = [[0, 0] for _ in range(len(weeks) - 1)]
    for fact in facts:
        i = in_bucket(fact.done_at, weeks)
        if i is not None and fact.kind == "relationship":
            result[i][0] += fact.residents_at_least
            result[i][1] += 1
    return [(people, count) for people, count in result]


def percent_shares(values: Sequence[float]) -> list[int]:
    """Whole percentages that add up to exactly 100 (largest remainder); all 0 when empty."""
    total = sum(values)
    if total <= 0:
        return [0] * len(values)
    raw = [v * 100 / total for v in values]
    floors = [math.floor(r) for r in raw]
    short = 100 - sum(floors)
    by_remainder = sorted(range(len(raw)), key=lambda i: (floors[i] - raw[i], i))
    for i in by_remainder[:short]:
        floors[i] += 1
    return floors


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0–1) of the values; None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q * len(ordered)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float | None:
    """The middle value (mean of the two middle ones for an even count)."""
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


@dataclass(frozen=True)
class Response:
    """How fast one target agency acknowledged the flags sent to it."""

    agency: str
    flags: int
    acknowledged: int
    in_time: int
    median_s: float | None
    p90_s: float | None

    @property
    def in_time_share(self) -> float | None:
        """The share of its flags acknowledged by the deadline; None when it had none."""
        return self.in_time / self.flags if self.flags else None


def responsiveness(targets: Iterable[TargetFact]) -> dict[str, Response]:
    """Per target agency: time to acknowledge (median, 90th percentile) and share in time."""
    delays: dict[str, list[float]] = defaultdict(list)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for target in targets:
        tally = counts[target.agency]
        tally[0] += 1
        if target.acknowledged_at is not None:
            delays[target.agency].append(max(0, target.acknowledged_at - target.added_at))
            if target.acknowledged_at <= target.deadline:
                tally[1] += 1
    return {
        agency: Response(
            agency=agency,
            flags=flags,
            acknowledged=len(delays[agency]),
            in_time=in_time,
            median_s=median(delays[agency]),
            p90_s=percentile(delays[agency], 0.9),
        )
        for agency, (flags, in_time) in counts.items()
    }


def flag_matrix(targets: Iterable[TargetFact]) -> dict[tuple[str, str], int]:
    """(raising agency, target agency) -> how many flags went that way."""
    result: dict[tuple[str, str], int] = defaultdict(int)
    for target in targets:
        result[(target.raiser, target.agency)] += 1
    return dict(result)


def joint_matrix(facts: Iterable[WorkFact]) -> dict[tuple[str, str], int]:
    """(logging agency, partner agency) -> how many activities they did together."""
    result: dict[tuple[str, str], int] = defaultdict(int)
    for fact in facts:
        for partner in fact.partners:
            if partner != fact.agency:
                result[(fact.agency, partner)] += 1
    return dict(result)
