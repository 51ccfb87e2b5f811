"""The week ahead as a chart for /coverage: per agency of the target, how many are planned
hour by hour against the minimum, with the gaps shaded. Counts and agencies' short forms only."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.domain.coverage import count_at
from bot.domain.staffing import Target
from bot.reports.charts import png

STEP = timedelta(minutes=30)
GAP_COLOUR = "#f3c4c4"
PLAN_COLOUR = "#3b6ea5"
MIN_COLOUR = "#b03030"


def week_png(
    targets: list[Target],
    planned: dict[str, list[tuple[datetime, datetime]]],
    start: datetime,
    end: datetime,
    zone: str,
    title: str,
    labels: Mapping[str, str],
) -> bytes:
    """One strip per agency of the target: planned count (line), minimum (dashed), gaps."""
    rows = max(1, len(targets))
    figure = Figure(figsize=(10.0, 1.1 + 1.0 * rows), dpi=100)
    FigureCanvasAgg(figure)
    figure.subplots_adjust(left=0.09, right=0.98, top=1 - 0.5 / (1.1 + rows), bottom=0.35 / rows)
    figure.suptitle(title, fontsize=12, x=0.01, ha="left")
    steps: list[datetime] = []
    moment = start
    while moment < end:
        steps.append(moment)
        moment += STEP  # instants, not wall-clock times: a DST night is drawn as it is lived
    tz = ZoneInfo(zone)
    axes_list = figure.subplots(rows, 1, sharex=True, squeeze=False)[:, 0]
    for axes, target in zip(axes_list, targets, strict=False):
        counts = [count_at(planned.get(target.agency, []), s) for s in steps]
        minimum = [target.minimum_at(s, zone) for s in steps]
        hours = [(s - start).total_seconds() / 3600 for s in steps]
        axes.step(hours, counts, where="post", color=PLAN_COLOUR, linewidth=1.5)
        axes.step(hours, minimum, where="post", color=MIN_COLOUR, linewidth=1, linestyle="--")
        axes.fill_between(
            hours,
            0,
            max(max(counts), max(minimum), 1),
            where=[c < m for c, m in zip(counts, minimum, strict=True)],
            step="post",
            color=GAP_COLOUR,
            linewidth=0,
        )
        axes.set_ylabel(
            labels.get(target.agency, target.agency), rotation=0, ha="right", va="center"
        )
        axes.set_ylim(0, max(max(counts), max(minimum), 1) + 0.5)
        axes.set_yticks(range(0, max(max(counts), max(minimum), 1) + 1))
        axes.tick_params(labelsize=8)
    ticks = [
        i
        for i, s in enumerate(steps)
        if s.astimezone(tz).hour == 0 and s.astimezone(tz).minute == 0
    ]
    last = axes_list[-1]
    last.set_xticks(
        [(steps[i] - start).total_seconds() / 3600 for i in ticks],
        [f"{steps[i].astimezone(tz):%d/%m}" for i in ticks],
    )
    if not targets:
        last.text(0.5, 0.5, "–", ha="center", va="center")
    return png(figure)
