"""The report figures against small hand-computed data, and their invariants as properties."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain import checkins
from bot.domain import figures as fig
from bot.domain.periods import (
    Period,
    PeriodChoice,
    day_edges,
    hour_edges,
    hours_by_day,
    period_for,
    week_edges,
)

ZONE = "Europe/Stockholm"
H = 3600


def at(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp())


def span(start: int, end: int, agency: str = "POL", group: int = 1, member: int = 1) -> fig.Span:
    return fig.Span(group, agency, member, start, end)


def work(done_at: int, kind: str, minutes: int, residents: int = 0, **kw) -> fig.WorkFact:
    return fig.WorkFact(
        group_id=kw.get("group", 1),
        agency=kw.get("agency", "POL"),
        kind=kind,
        type=kw.get("type", "dialogue"),
        minutes=minutes,
        residents_at_least=residents,
        done_at=done_at,
        partners=kw.get("partners", ()),
    )


# --- periods -------------------------------------------------------------------------------


def test_dst_days_have_23_and_25_hours() -> None:
    spring = Period(date(2026, 3, 28), date(2026, 3, 30), ZONE)
    autumn = Period(date(2026, 10, 24), date(2026, 10, 26), ZONE)
    assert [h for _, h in hours_by_day(spring)] == [24, 23, 24]
    assert [h for _, h in hours_by_day(autumn)] == [24, 25, 24]
    assert len(hour_edges(autumn)) - 1 == 73


def test_periods_are_local_calendar_periods() -> None:
    now = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)  # a Monday
    assert period_for(PeriodChoice.THIS_WEEK, now, ZONE) == Period(
        date(2026, 11, 30), date(2026, 12, 6), ZONE
    )
    assert period_for(PeriodChoice.LAST_WEEK, now, ZONE).first == date(2026, 11, 23)
    assert period_for(PeriodChoice.THIS_MONTH, now, ZONE).last == date(2026, 11, 30)
    last_month = period_for(PeriodChoice.LAST_MONTH, now, ZONE)
    assert (last_month.first, last_month.last) == (date(2026, 10, 1), date(2026, 10, 31))
    year = period_for(PeriodChoice.LAST_12_MONTHS, now, ZONE)
    assert (year.first, year.last) == (date(2025, 12, 1), date(2026, 11, 30))
    # 23:30 UTC on Sunday is already Monday in Stockholm.
    late = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)
    assert period_for(PeriodChoice.THIS_WEEK, late, ZONE).first == date(2026, 11, 30)


def test_week_edges_cut_to_the_period() -> None:
    october = Period(date(2026, 10, 1), date(2026, 10, 31), ZONE)  # Thursday to Saturday
    edges = week_edges(october)
    assert edges[0] == at("2026-10-01T00:00+02:00")
    assert edges[1] == at("2026-10-05T00:00+02:00")
    assert edges[-1] == at("2026-11-01T00:00+01:00")
    assert len(edges) == 6


@given(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 1)),
    st.integers(min_value=1, max_value=120),
    st.sampled_from([ZONE, "UTC", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"]),
)
def test_days_add_up_to_the_period_and_last_23_to_25_hours(first, days, zone) -> None:
    period = Period(first, date.fromordinal(first.toordinal() + days - 1), zone)
    edges = day_edges(period)
    lengths = [b - a for a, b in itertools.pairwise(edges)]
    assert sum(lengths) == period.end - period.start
    assert all(22.5 * H <= n <= 25 * H for n in lengths)
    if zone == ZONE:
        assert all(n // H in (23, 24, 25) and n % H == 0 for n in lengths)


# --- presence --------------------------------------------------------------------------------


def test_person_seconds_split_across_buckets() -> None:
    edges = [0, 10, 20, 30]
    result = fig.person_seconds([span(5, 25), span(-5, 12, "TULL"), span(28, 99)], edges)
    assert result == {"POL": [5.0, 10.0, 7.0], "TULL": [10.0, 2.0, 0.0]}


def test_mean_present_on_a_25_hour_day_is_not_inflated() -> None:
    autumn = Period(date(2026, 10, 25), date(2026, 10, 25), ZONE)
    edges = day_edges(autumn)
    # Two people present all day long: the mean is two, not 2 x 25/24.
    spans = [span(autumn.start, autumn.end, member=m) for m in (1, 2)]
    seconds = fig.person_seconds(spans, edges)
    assert seconds["POL"] == [2 * 25 * H]
    assert fig.mean_present(seconds, edges, [0], 1) == {"POL": [2.0]}


def test_minimum_met_share_by_hand() -> None:
    # Minimum two: [0,4) one, [4,6) two, [6,8) three, [8,10) one -> met 4 of 10 hours.
    spans = [span(0, 10 * H, member=1), span(4 * H, 8 * H, member=2), span(6 * H, 8 * H, member=3)]
    assert fig.seconds_at_least(spans, 2, 0, 10 * H) == 4 * H
    shares = fig.met_minimum(spans, {1: 2}, ["POL", "TULL"], 0, 10 * H)
    assert shares == {"POL": 0.4, "TULL": 0.0}
    # Two groups: the second has nobody, so POL met its minimum for 4 of 20 group-hours.
    assert fig.met_minimum(spans, {1: 2, 2: 2}, ["POL"], 0, 10 * H)["POL"] == 0.2
    assert fig.met_minimum([], {1: 0}, ["POL"], 0, 10 * H)["POL"] == 1.0


def test_staffed_hours_is_the_union() -> None:
    spans = [span(0, 3 * H), span(2 * H, 5 * H, "TULL"), span(7 * H, 8 * H, group=2)]
    assert fig.staffed_seconds(spans, [1, 2], 0, 10 * H) == 6 * H


intervals = st.lists(
    st.tuples(
        st.integers(0, 200 * H),
        st.integers(1, 30 * H),
        st.sampled_from(["POL", "TULL", "SAPO"]),
        st.integers(1, 3),
    ),
    max_size=40,
)


@settings(max_examples=200)
@given(intervals, st.integers(0, 100 * H), st.integers(1, 150 * H))
def test_staffed_hours_never_exceed_the_hours_in_the_period(raw, start, length) -> None:
    spans = [span(s, s + n, a, g, i) for i, (s, n, a, g) in enumerate(raw)]
    end = start + length
    staffed = fig.staffed_seconds(spans, [1, 2, 3], start, end)
    assert 0 <= staffed <= 3 * (end - start)
    shares = fig.met_minimum(spans, {1: 2, 2: 1, 3: 2}, ["POL", "TULL", "SAPO"], start, end)
    assert all(0.0 <= s <= 1.0 for s in shares.values())
    # Person-time in buckets is exactly the clipped person-time.
    edges = [*range(start, end, 7 * H), end]
    total = sum(sum(row) for row in fig.person_seconds(spans, edges).values())
    assert total == sum(s.end - s.start for s in fig.clip(spans, start, end))


# --- work ------------------------------------------------------------------------------------


def test_work_mix_and_reach_by_week() -> None:
    weeks = [0, 7 * 24 * H, 14 * 24 * H]
    facts = [
        work(H, "boundary", 60),
        work(2 * H, "relationship", 30, residents=6),
        work(8 * 24 * H, "relationship", 120, residents=21),
        work(8 * 24 * H, "relationship", 15, residents=0),
        work(15 * 24 * H, "relationship", 999, residents=100),  # after the period
    ]
    mix = fig.work_mix(facts, weeks)
    assert mix == [fig.MixWeek(60, 30), fig.MixWeek(0, 135)]
    assert mix[0].relationship_share == 30 / 90
    assert fig.MixWeek(0, 0).relationship_share is None
    assert fig.reach(facts, weeks) == [(6, 1), (21, 2)]


def test_percent_shares_by_hand() -> None:
    assert fig.percent_shares([1, 1, 1]) == [34, 33, 33]
    assert fig.percent_shares([60, 30]) == [67, 33]
    assert fig.percent_shares([0, 0]) == [0, 0]
    assert fig.percent_shares([0, 5]) == [0, 100]


@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=12))
def test_shares_sum_to_100_percent(values) -> None:
    shares = fig.percent_shares(values)
    assert sum(shares) == (100 if sum(values) else 0)
    total = sum(values)
    for value, share in zip(values, shares, strict=True):
        assert abs(share - (value * 100 / total if total else 0)) < 1


# --- flags -----------------------------------------------------------------------------------


def target(agency: str, added: int, acked: int | None, deadline: int, **kw) -> fig.TargetFact:
    return fig.TargetFact(
        flag_id=kw.get("flag", 1),
        group_id=1,
        raiser=kw.get("raiser", "POL"),
        agency=agency,
        urgency=kw.get("urgency", "urgent"),
        added_at=added,
        deadline=deadline,
        acknowledged_at=acked,
        resolved=kw.get("resolved", False),
    )


def test_responsiveness_by_hand() -> None:
    targets = [
        target("TULL", 0, 60, 300, flag=1),
        target("TULL", 0, 600, 300, flag=2),
        target("TULL", 0, 120, 300, flag=3),
        target("TULL", 0, None, 300, flag=4),
        target("FK", 0, 30, 1800, flag=1),
    ]
    got = fig.responsiveness(targets)
    tull = got["TULL"]
    assert (tull.flags, tull.acknowledged, tull.in_time) == (4, 3, 2)
    assert tull.median_s == 120 and tull.p90_s == 600
    assert tull.in_time_share == 0.5
    assert got["FK"].median_s == 30 and got["FK"].in_time_share == 1.0


def test_percentile_and_median_by_hand() -> None:
    values = [15, 20, 35, 40, 50]
    assert fig.percentile(values, 0.9) == 50
    assert fig.percentile(values, 0.4) == 20
    assert fig.median(values) == 35
    assert fig.median([1, 2, 3, 4]) == 2.5
    assert fig.median([]) is None and fig.percentile([], 0.5) is None


def test_matrices_count_each_direction() -> None:
    targets = [
        target("TULL", 0, None, 1, raiser="POL", flag=1),
        target("FK", 0, None, 1, raiser="POL", flag=1),
        target("POL", 0, None, 1, raiser="TULL", flag=2),
    ]
    assert fig.flag_matrix(targets) == {("POL", "TULL"): 1, ("POL", "FK"): 1, ("TULL", "POL"): 1}
    facts = [
        work(0, "boundary", 30, partners=("TULL", "FK")),
        work(0, "boundary", 30, partners=("TULL", "POL")),
    ]
    assert fig.joint_matrix(facts) == {("POL", "TULL"): 2, ("POL", "FK"): 1}


# --- the same figures over arrays ----------------------------------------------------------

AGENCIES = ("POL", "TULL", "SAPO")


@settings(max_examples=200)
@given(intervals, st.integers(0, 100 * H), st.integers(1, 150 * H), st.integers(0, 3))
def test_array_figures_equal_the_span_by_span_ones(raw, start, length, minimum) -> None:
    spans = [span(s, s + n, a, g, i % 5) for i, (s, n, a, g) in enumerate(raw)]
    end = start + length
    bulk = checkins.Checkins.of(spans, AGENCIES)
    edges = [*range(start, end, 5 * H), end]
    expected = fig.person_seconds(spans, edges)
    got = checkins.person_seconds(bulk, edges)
    assert got == expected
    minimums = {1: minimum, 2: 1, 3: 2}
    assert checkins.met_minimum(bulk, minimums, start, end) == fig.met_minimum(
        spans, minimums, AGENCIES, start, end
    )
    assert checkins.staffed_seconds(bulk, [1, 2, 3], start, end) == fig.staffed_seconds(
        spans, [1, 2, 3], start, end
    )
    by_member: dict[int, int] = {}
    for s in fig.clip(spans, start, end):
        by_member[s.member_id] = by_member.get(s.member_id, 0) + s.end - s.start
    assert checkins.seconds_by_member(bulk, start, end) == {
        m: t for m, t in by_member.items() if t
    }
