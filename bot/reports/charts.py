"""The five report charts, drawn with matplotlib's object API on the Agg canvas.

No pyplot: a `Figure` with its own canvas keeps no global state, so drawing is safe in any
worker. Charts hold agencies' short forms, counts and durations only: no person's name, no
free text.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from bot.domain.report import ReportFigures
from bot.reports.text import minutes, percent, plain

WIDTH_IN, HEIGHT_IN, DPI = 12.0, 6.75, 100  # 1200 x 675 px
BOUNDARY_COLOUR = "#3b6ea5"
RELATIONSHIP_COLOUR = "#e0a030"
TARGET_COLOUR = "#b03030"
_HEAT = LinearSegmentedColormap.from_list("samverkan", ["#fbe5e5", "#f6f0c8", "#2f8f5b"])
_DAYS = {
    "sv": ("mån", "tis", "ons", "tor", "fre", "lör", "sön"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
_URGENCIES = {"urgent": "#b03030", "priority": "#e0a030", "routine": "#3b6ea5"}


def _figure(right: float = 0.96, left: float = 0.08, bottom: float = 0.17) -> Figure:
    # Fixed margins rather than a layout engine: the constrained layout doubled the time to
    # draw a chart, and every chart here has the same known furniture.
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    figure.subplots_adjust(left=left, right=right, top=0.9, bottom=bottom, wspace=0.3)
    FigureCanvasAgg(figure)
    return figure


def _footer(figure: Figure, figures: ReportFigures, lang: str) -> None:
    period = f"{figures.period.first.isoformat()} – {figures.period.last.isoformat()}"
    text = f"{', '.join(figures.group_names)} · {period}"
    if figures.hidden:
        text += " · " + plain(lang, "chart.hidden")
    # A supxlabel takes its own room in the constrained layout, so nothing overlaps it.
    figure.supxlabel(text, fontsize=8, color="#555555", x=0.01, ha="left")


def _empty(axes: object, lang: str) -> None:
    axes.text(  # type: ignore[attr-defined]
        0.5, 0.5, plain(lang, "chart.nothing"), ha="center", va="center", fontsize=14
    )
    axes.set_axis_off()  # type: ignore[attr-defined]


def coverage(figures: ReportFigures, lang: str) -> Figure:
    """Heat map agency x hour of the week (or x day) of the mean number checked in."""
    figure = _figure(right=0.95)
    axes = figure.add_subplot()
    axes.set_title(plain(lang, "chart.coverage.title"), fontsize=14, loc="left")
    agencies = list(figures.agencies)
    if not agencies:
        _empty(axes, lang)
        return figure
    rows = [figures.heat[a] for a in agencies]
    top = max(2.0, max((max(r) for r in rows if r), default=0.0))
    image = axes.imshow(rows, aspect="auto", cmap=_HEAT, vmin=0, vmax=top, interpolation="none")
    axes.set_yticks(range(len(agencies)), [figures.short(a, lang) for a in agencies])
    if figures.hourly:
        axes.set_xticks([d * 24 + 12 for d in range(7)], _DAYS.get(lang, _DAYS["en"]))
        for d in range(1, 7):
            axes.axvline(d * 24 - 0.5, color="white", linewidth=1.5)
        axes.set_xlabel(plain(lang, "chart.coverage.by_hour"))
    else:
        step = max(1, len(figures.heat_columns) // 12)
        first = figures.period.first
        ticks = list(range(0, len(figures.heat_columns), step))
        axes.set_xticks(
            ticks, [(first.fromordinal(first.toordinal() + i)).strftime("%d/%m") for i in ticks]
        )
        axes.set_xlabel(plain(lang, "chart.coverage.by_day"))
    right = axes.secondary_yaxis("right")
    right.set_yticks(
        range(len(agencies)), [percent(lang, figures.met.get(a, 0.0)) for a in agencies]
    )
    right.set_ylabel(plain(lang, "chart.coverage.met"))
    figure.colorbar(image, ax=axes, location="right", shrink=0.6, pad=0.1)
    _footer(figure, figures, lang)
    return figure


def mix(figures: ReportFigures, lang: str) -> Figure:
    """Boundary-setting vs relationship-building per week, stacked to 100%, with the target."""
    figure = _figure(right=0.78)
    axes = figure.add_subplot()
    axes.set_title(plain(lang, "chart.mix.title"), fontsize=14, loc="left")
    if not any(w.boundary + w.relationship for w in figures.mix):
        _empty(axes, lang)
        return figure
    x = list(range(len(figures.mix)))
    shares = [w.relationship_share for w in figures.mix]
    relationship = [100 * s if s is not None else 0 for s in shares]
    boundary = [100 - r if s is not None else 0 for r, s in zip(relationship, shares, strict=True)]
    axes.bar(x, boundary, color=BOUNDARY_COLOUR, label=plain(lang, "log.kind.boundary"))
    axes.bar(
        x,
        relationship,
        bottom=boundary,
        color=RELATIONSHIP_COLOUR,
        label=plain(lang, "log.kind.relationship"),
    )
    for i, week in enumerate(figures.mix):
        hours = (week.boundary + week.relationship) / 60
        if hours:
            axes.text(i, 101, f"{hours:.0f} h", ha="center", va="bottom", fontsize=8)
    targets = [100 - t if t is not None else None for t in figures.week_targets]
    if any(t is not None for t in targets):
        axes.step(
            x,
            [t if t is not None else float("nan") for t in targets],
            where="mid",
            color=TARGET_COLOUR,
            linewidth=2.5,
            label=plain(lang, "chart.mix.target"),
        )
    axes.set_ylim(0, 110)
    axes.set_ylabel(plain(lang, "chart.share"))
    step = max(1, len(x) // 13)
    axes.set_xticks(x[::step], list(figures.week_labels)[::step], rotation=30, ha="right")
    axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    _footer(figure, figures, lang)
    return figure


def together(figures: ReportFigures, lang: str) -> Figure:
    """Agency x agency: flags raised (from -> to) and joint work (logging agency -> partner)."""
    figure = _figure(left=0.06, bottom=0.15)
    figure.suptitle(plain(lang, "chart.together.title"), fontsize=14, x=0.01, ha="left")
    agencies = list(figures.agencies)
    for index, (matrix, key) in enumerate(
        (
            (figures.flags_matrix, "chart.together.flags"),
            (figures.joint_matrix, "chart.together.joint"),
        )
    ):
        axes = figure.add_subplot(1, 2, index + 1)
        axes.set_title(plain(lang, key), fontsize=11)
        if not agencies:
            _empty(axes, lang)
            continue
        grid = [[matrix.get((a, b), 0) for b in agencies] for a in agencies]
        top = max(1, max(max(row) for row in grid))
        axes.imshow(grid, cmap="Blues", vmin=0, vmax=top, interpolation="none")
        for i, row in enumerate(grid):
            for j, value in enumerate(row):
                if value:
                    colour = "white" if value > top / 2 else "black"
                    axes.text(j, i, str(value), ha="center", va="center", fontsize=7, color=colour)
        labels = [figures.short(a, lang) for a in agencies]
        axes.set_xticks(range(len(agencies)), labels, rotation=90, fontsize=8)
        axes.set_yticks(range(len(agencies)), labels, fontsize=8)
    _footer(figure, figures, lang)
    return figure


def responsiveness(figures: ReportFigures, lang: str) -> Figure:
    """Median and 90th percentile time to acknowledge per target agency, with the deadlines."""
    figure = _figure(right=0.78)
    axes = figure.add_subplot()
    axes.set_title(plain(lang, "chart.response.title"), fontsize=14, loc="left")
    shown = [
        r for a in figures.agencies if (r := figures.responses.get(a)) and r.median_s is not None
    ]
    if not shown:
        _empty(axes, lang)
        return figure
    y = list(range(len(shown)))
    p90 = [max((r.p90_s or 0) / 60, 0.1) for r in shown]
    median = [max((r.median_s or 0) / 60, 0.1) for r in shown]
    axes.barh(y, p90, color="#c9d6e8", label=plain(lang, "chart.response.p90"))
    axes.barh(
        y, median, height=0.4, color=BOUNDARY_COLOUR, label=plain(lang, "chart.response.median")
    )
    axes.set_xscale("log")
    for urgency, seconds in sorted(figures.deadlines.items(), key=lambda item: item[1]):
        axes.axvline(
            seconds / 60,
            color=_URGENCIES.get(urgency, "#555555"),
            linestyle="--",
            label=plain(
                lang, "chart.response.deadline", urgency=plain(lang, f"flag.urgency.{urgency}")
            ),
        )
    for i, r in enumerate(shown):
        axes.text(p90[i] * 1.1, i, percent(lang, r.in_time_share), va="center", fontsize=8)
    axes.set_yticks(y, [figures.short(r.agency, lang) for r in shown])
    axes.invert_yaxis()
    axes.set_xlabel(plain(lang, "chart.response.minutes"))
    axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    _footer(figure, figures, lang)
    return figure


def reach(figures: ReportFigures, lang: str) -> Figure:
    """Residents reached per week by relationship-building work (the bands' lower bounds)."""
    figure = _figure()
    axes = figure.add_subplot()
    axes.set_title(plain(lang, "chart.reach.title"), fontsize=14, loc="left")
    if not any(count for _, count in figures.reach):
        _empty(axes, lang)
        return figure
    x = list(range(len(figures.reach)))
    axes.bar(x, [people for people, _ in figures.reach], color=RELATIONSHIP_COLOUR)
    step = max(1, len(x) // 13)
    axes.set_xticks(x[::step], list(figures.week_labels)[::step], rotation=30, ha="right")
    _footer(figure, figures, lang)
    return figure


CHARTS: tuple[Callable[[ReportFigures, str], Figure], ...] = (
    coverage,
    mix,
    together,
    responsiveness,
    reach,
)


def png(figure: Figure) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def chart_png(figures: ReportFigures, index: int, lang: str) -> bytes:
    """Chart `index` (0–4) as PNG: the unit of work a worker process is given."""
    return png(CHARTS[index](figures, lang))


def response_minutes(lang: str, seconds: float | None) -> str:
    """A time to acknowledge as the captions show it."""
    return minutes(lang, None if seconds is None else seconds / 60)
