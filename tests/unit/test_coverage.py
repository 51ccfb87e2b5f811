"""Coverage rules: gaps, merging, distance and area (with property-based tests)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.coverage import Gap, count_at, gaps, overlaps
from bot.domain.geo import distance_m, within_area

T0 = datetime(2026, 12, 1, tzinfo=UTC)


def h(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def test_gap_when_one_of_two_leaves() -> None:
    shifts = [(h(0), h(24)), (h(0), h(8)), (h(10), h(24))]
    assert gaps(shifts, h(0), h(24), 2) == [Gap(h(8), h(10), 1, 1)]


def test_adjacent_short_stretches_merge_with_lowest_and_highest() -> None:
    shifts = [(h(2), h(4))]
    assert gaps(shifts, h(0), h(6), 2) == [Gap(h(0), h(6), 0, 1)]


def test_nothing_below_minimum_zero_and_empty_window() -> None:
    assert gaps([], h(0), h(5), 0) == []
    assert gaps([(h(0), h(1))], h(3), h(3), 1) == []


def test_overlap_is_half_open() -> None:
    assert overlaps((h(0), h(8)), (h(7), h(9)))
    assert not overlaps((h(0), h(8)), (h(8), h(9)))


def test_distance_and_area() -> None:
    rinkeby = (59.3880, 17.9280)
    assert abs(distance_m(*rinkeby, 59.3880, 17.9280)) < 0.01
    one_km_north = distance_m(*rinkeby, 59.3880 + 1 / 111.2, 17.9280)
    assert 990 < one_km_north < 1010
    assert within_area(450, 400, 60)  # accuracy widens the area a little
    assert not within_area(450, 400, 20)
    assert not within_area(5000, 400, 5000)  # a vague fix is not "at the office"


intervals = st.lists(
    st.tuples(st.integers(0, 96), st.integers(1, 48)).map(lambda p: (h(p[0]), h(p[0] + p[1]))),
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(intervals, st.integers(0, 4), st.integers(0, 48), st.integers(1, 96))
def test_gaps_are_exactly_where_the_count_is_below_minimum(
    shifts: list[tuple[datetime, datetime]], minimum: int, start: int, length: int
) -> None:
    window = (h(start), h(start + length))
    found = gaps(shifts, *window, minimum)
    for a, b in itertools.pairwise(found):
        assert a.end < b.start  # sorted, disjoint, and merged: no two touch
    for gap in found:
        assert window[0] <= gap.start < gap.end <= window[1]
        assert gap.lowest <= gap.highest < minimum
    for quarter in range(length * 4):
        moment = window[0] + timedelta(minutes=15 * quarter)
        inside = any(g.start <= moment < g.end for g in found)
        assert inside == (count_at(shifts, moment) < minimum)
        if inside:
            gap = next(g for g in found if g.start <= moment < g.end)
            assert gap.lowest <= count_at(shifts, moment) <= gap.highest
