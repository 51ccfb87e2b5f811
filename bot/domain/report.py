"""One report's figures, computed from facts at once, and hidden where need to know says so.

Everything a chart, the workbook or the PDF shows comes from `ReportFigures`: they are drawn
from the same numbers, so the workbook's totals are the PDF's. It carries no names and no
free text of a person, only agencies (by code, named when drawn), counts and durations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from bot.domain import checkins
from bot.domain import figures as fig
from bot.domain.agencies import Directory
from bot.domain.checkins import Checkins
from bot.domain.periods import Period, hour_edges, hour_of_week, week_edges, week_label
from bot.domain.periods import day_edges as days_of


@dataclass(frozen=True)
class GroupFacts:
    """What the report needs to know about one group."""

    id: int
    name: str
    minimum: int
    # (since, target percent) in order; the target in force at an instant is the last before it.
    targets: tuple[tuple[int, int], ...] = ()

    def target_at(self, instant: int) -> int | None:
        """The phase target (percent) in force at an instant, if a phase was set by then."""
        current = None
        for since, pct in self.targets:
            if since <= instant:
                current = pct
        return current


@dataclass(frozen=True)
class ReportInput:
    """Facts read from storage for one report."""

    period: Period
    start: int
    end: int  # the period's end, or now when the period is still running
    groups: tuple[GroupFacts, ...]
    agencies: tuple[str, ...]
    checkins: Checkins  # their agencies are the report's agencies, in deployment order
    work: Sequence[fig.WorkFact]
    targets: Sequence[fig.TargetFact]
    deadlines: dict[str, int]  # urgency -> seconds allowed to acknowledge
    names: Directory = field(default_factory=Directory)  # how the agencies read


@dataclass(frozen=True)
class KeyFigures:
    """The first page of the PDF and the workbook's summary sheet."""

    hours_in_period: float
    staffed_hours: float
    flags_raised: int
    flags_acknowledged: int
    flags_resolved: int
    median_ack_minutes: float | None
    minutes_by_kind: dict[str, int]
    count_by_kind: dict[str, int]
    by_type: dict[tuple[str, str], tuple[int, int]]  # (kind, type) -> (count, minutes)
    residents_at_least: int
    relationship_pct: int | None
    target_pct: float | None
    # Totals over every agency, confidential ones included (the captions' key numbers).
    met_overall: float
    flag_targets: int
    in_time_share: float | None
    joint_activities: int


@dataclass(frozen=True)
class ReportFigures:
    """Everything drawn or tabled in one report."""

    group_names: tuple[str, ...]
    period: Period
    agencies: tuple[str, ...]  # the agencies shown one by one, in deployment order
    hourly: bool
    heat: dict[str, list[float]]  # agency -> mean checked in per hour of week (or per day)
    heat_columns: tuple[str, ...]
    met: dict[str, float]  # agency -> share of time at or above the minimum
    week_labels: tuple[str, ...]
    mix: tuple[fig.MixWeek, ...]
    week_targets: tuple[float | None, ...]
    flags_matrix: dict[tuple[str, str], int]
    joint_matrix: dict[tuple[str, str], int]
    responses: dict[str, fig.Response]
    deadlines: dict[str, int]
    reach: tuple[tuple[int, int], ...]
    key: KeyFigures
    hidden: frozenset[str] = frozenset()
    names: Directory = field(default_factory=Directory)

    def short(self, agency: str, lang: str) -> str:
        """An agency as a chart's axis shows it: the short form ("SKV", "Säpo")."""
        return self.names.short(agency, lang)

    def name(self, agency: str, lang: str) -> str:
        """An agency as a table shows it: its name in `lang`."""
        return self.names.name(agency, lang)


def compute(facts: ReportInput) -> ReportFigures:
    """Every figure of the report, with every agency broken out (hide() narrows it)."""
    period, start, end = facts.period, facts.start, facts.end
    # Not clipped here: each function cuts what it reads, and a city's year of check-ins is
    # not copied once more than it must be.
    spans = facts.checkins
    work = [w for w in facts.work if start <= w.done_at < end]
    heat, columns = _heat(spans, period, start, end)
    weeks = week_edges(period)
    minimums = {g.id: g.minimum for g in facts.groups}
    met = checkins.met_minimum(spans, minimums, start, end)
    return ReportFigures(
        group_names=tuple(g.name for g in facts.groups),
        period=period,
        agencies=facts.agencies,
        hourly=period.hourly,
        heat={a: heat.get(a, [0.0] * len(columns)) for a in facts.agencies},
        heat_columns=columns,
        met=met,
        week_labels=tuple(week_label(w, period.zone) for w in weeks[:-1]),
        mix=tuple(fig.work_mix(work, weeks)),
        week_targets=tuple(_mean_target(facts.groups, w - 1) for w in weeks[1:]),
        flags_matrix=fig.flag_matrix(facts.targets),
        joint_matrix=fig.joint_matrix(work),
        responses=fig.responsiveness(facts.targets),
        deadlines=dict(facts.deadlines),
        reach=tuple(fig.reach(work, weeks)),
        key=_key(facts, spans, work, end, met),
        names=facts.names,
    )


def _heat(
    spans: Checkins, period: Period, start: int, end: int
) -> tuple[dict[str, list[float]], tuple[str, ...]]:
    if period.hourly:
        edges = [e for e in hour_edges(period) if e <= end] or [start, start]
        slots = [hour_of_week(e, period.zone) for e in edges[:-1]]
        columns = tuple(f"{d}{h:02d}" for d in range(7) for h in range(24))
        width = 168
    else:
        edges = [e for e in days_of(period) if e <= end] or [start, start]
        slots = list(range(len(edges) - 1))
        columns = tuple(str(i) for i in range(period.days))
        width = period.days
    if len(edges) < 2:
        return {}, columns
    seconds = checkins.person_seconds(spans, edges)
    return fig.mean_present(seconds, edges, slots, width), columns


def _mean_target(groups: Sequence[GroupFacts], instant: int) -> float | None:
    found = [t for t in (g.target_at(instant) for g in groups) if t is not None]
    return sum(found) / len(found) if found else None


def _key(
    facts: ReportInput,
    spans: Checkins,
    work: list[fig.WorkFact],
    end: int,
    met: dict[str, float],
) -> KeyFigures:
    flags = {t.flag_id for t in facts.targets}
    acked = {t.flag_id for t in facts.targets if t.acknowledged_at is not None}
    resolved = {t.flag_id for t in facts.targets if t.resolved}
    delays = [
        (t.acknowledged_at - t.added_at) / 60
        for t in facts.targets
        if t.acknowledged_at is not None
    ]
    minutes: dict[str, int] = defaultdict(int)
    counts: dict[str, int] = defaultdict(int)
    by_type: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for w in work:
        minutes[w.kind] += w.minutes
        counts[w.kind] += 1
        by_type[(w.kind, w.type)][0] += 1
        by_type[(w.kind, w.type)][1] += w.minutes
    shares = fig.percent_shares([minutes["boundary"], minutes["relationship"]])
    groups = [g.id for g in facts.groups]
    return KeyFigures(
        hours_in_period=(end - facts.start) * len(groups) / 3600,
        staffed_hours=checkins.staffed_seconds(spans, groups, facts.start, end) / 3600,
        flags_raised=len(flags),
        flags_acknowledged=len(acked),
        flags_resolved=len(resolved),
        median_ack_minutes=fig.median(delays),
        minutes_by_kind={k: minutes[k] for k in ("boundary", "relationship")},
        count_by_kind={k: counts[k] for k in ("boundary", "relationship")},
        by_type={k: (v[0], v[1]) for k, v in sorted(by_type.items())},
        residents_at_least=sum(w.residents_at_least for w in work if w.kind == "relationship"),
        relationship_pct=shares[1] if sum(minutes.values()) else None,
        target_pct=_mean_target(facts.groups, end - 1),
        met_overall=sum(met.values()) / len(met) if met else 0.0,
        flag_targets=len(facts.targets),
        in_time_share=(
            sum(
                1
                for t in facts.targets
                if t.acknowledged_at is not None and t.acknowledged_at <= t.deadline
            )
            / len(facts.targets)
            if facts.targets
            else None
        ),
        joint_activities=sum(1 for w in work if any(p != w.agency for p in w.partners)),
    )


def hide(figures: ReportFigures, confidential: frozenset[str]) -> ReportFigures:
    """The same report with confidential agencies in no per-agency figure (totals keep them).

    Their rows and columns are left out, not merged into an "other" row, which would show
    one agency's numbers under another name whenever only one agency is confidential.
    """
    shown = tuple(a for a in figures.agencies if a not in confidential)
    keep = set(shown)

    def pairs(matrix: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
        return {k: v for k, v in matrix.items() if k[0] in keep and k[1] in keep}

    return replace(
        figures,
        agencies=shown,
        heat={a: v for a, v in figures.heat.items() if a in keep},
        met={a: v for a, v in figures.met.items() if a in keep},
        flags_matrix=pairs(figures.flags_matrix),
        joint_matrix=pairs(figures.joint_matrix),
        responses={a: v for a, v in figures.responses.items() if a in keep},
        hidden=frozenset(confidential & set(figures.agencies)),
    )
