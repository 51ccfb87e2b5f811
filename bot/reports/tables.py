"""The report's tables as rows of values: the workbook writes them, the PDF prints them.

Both read the same rows, rounded here once, so the PDF's key figures and the workbook's are
the same numbers by construction (and a test checks it).
"""

from __future__ import annotations

from bot.domain.report import ReportFigures
from bot.domain.worklog import WorkType
from bot.reports.text import plain, type_label

Value = str | int | float | None
Row = tuple[Value, ...]


def _r(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def key_rows(figures: ReportFigures, lang: str) -> list[tuple[str, Value]]:
    """(label, value) of every key figure, in the order the PDF's first page shows them."""
    key = figures.key
    period = f"{figures.period.first.isoformat()} – {figures.period.last.isoformat()}"
    return [
        (plain(lang, "key.groups"), ", ".join(figures.group_names)),
        (plain(lang, "key.period"), period),
        (plain(lang, "key.hours_in_period"), _r(key.hours_in_period)),
        (plain(lang, "key.staffed_hours"), _r(key.staffed_hours)),
        (plain(lang, "key.flags_raised"), key.flags_raised),
        (plain(lang, "key.flags_acknowledged"), key.flags_acknowledged),
        (plain(lang, "key.flags_resolved"), key.flags_resolved),
        (plain(lang, "key.median_ack"), _r(key.median_ack_minutes)),
        (
            plain(lang, "key.boundary"),
            f"{key.count_by_kind['boundary']}, {_r(key.minutes_by_kind['boundary'] / 60)}",
        ),
        (
            plain(lang, "key.relationship"),
            f"{key.count_by_kind['relationship']}, {_r(key.minutes_by_kind['relationship'] / 60)}",
        ),
        (plain(lang, "key.relationship_pct"), key.relationship_pct),
        (plain(lang, "key.target_pct"), _r(key.target_pct, 0)),
        (plain(lang, "key.residents"), key.residents_at_least),
    ]


def met_rows(figures: ReportFigures) -> list[Row]:
    """(agency, share of the time at or above the minimum, 0–1 to three decimals)."""
    return [(a, round(figures.met.get(a, 0.0), 3)) for a in figures.agencies]


def type_rows(figures: ReportFigures, lang: str, types: tuple[WorkType, ...]) -> list[Row]:
    """(kind, type, count, hours) of logged work."""
    return [
        (plain(lang, f"log.kind.{kind}"), type_label(lang, key, types), count, _r(minutes / 60))
        for (kind, key), (count, minutes) in figures.key.by_type.items()
    ]


def mix_rows(figures: ReportFigures) -> list[Row]:
    """(week, boundary hours, relationship hours, relationship share, target share)."""
    return [
        (
            label,
            _r(week.boundary / 60),
            _r(week.relationship / 60),
            _r(week.relationship_share, 3),
            _r(None if target is None else target / 100, 3),
        )
        for label, week, target in zip(
            figures.week_labels, figures.mix, figures.week_targets, strict=True
        )
    ]


def matrix_rows(figures: ReportFigures, matrix: dict[tuple[str, str], int]) -> list[Row]:
    """A square table: one row per agency, one column per agency."""
    return [(a, *(matrix.get((a, b), 0) for b in figures.agencies)) for a in figures.agencies]


def response_rows(figures: ReportFigures) -> list[Row]:
    """(agency, flags, acknowledged, in time, median min, 90th percentile min)."""
    rows: list[Row] = []
    for agency in figures.agencies:
        r = figures.responses.get(agency)
        if r is None:
            continue
        rows.append(
            (
                agency,
                r.flags,
                r.acknowledged,
                r.in_time,
                _r(None if r.median_s is None else r.median_s / 60),
                _r(None if r.p90_s is None else r.p90_s / 60),
            )
        )
    return rows


def reach_rows(figures: ReportFigures) -> list[Row]:
    """(week, residents reached at least, relationship-building activities)."""
    return [
        (label, people, count)
        for label, (people, count) in zip(figures.week_labels, figures.reach, strict=True)
    ]


def heat_rows(figures: ReportFigures) -> list[Row]:
    """(agency, mean checked in per column...) to two decimals."""
    return [(a, *(round(v, 2) for v in figures.heat[a])) for a in figures.agencies]
