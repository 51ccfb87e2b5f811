"""How /plan names the hours of a day: "02:00", or "02:00 CEST" / "02:00 CET" for an hour
the clocks show twice, and a line for the hours they skip or repeat."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.i18n import t


def start_label(
    hours: list[tuple[int, int, datetime]], hour: int, fold: int, zone: str, minute: int = 0
) -> str:
    """ "02:00", or "02:00 CEST" / "02:00 CET" for an hour the clocks show twice that night."""
    named = zone_names(hours, hour, zone)
    shown = f"{hour:02d}:{minute:02d}"
    return shown if len(named) < 2 else f"{shown} {named[fold]}"


def zone_names(hours: list[tuple[int, int, datetime]], hour: int, zone: str) -> list[str]:
    return [m.astimezone(ZoneInfo(zone)).tzname() or "" for h, _, m in hours if h == hour]


def clock_change(lang: str, hours: list[tuple[int, int, datetime]], zone: str) -> list[str]:
    """A line saying which hours the clocks skip or repeat on this day, if they change."""
    shown = [hour for hour, _, _ in hours]
    skipped = [hour for hour in range(24) if hour not in shown]
    doubled = sorted({hour for hour in shown if shown.count(hour) > 1})
    lines: list[str] = []
    if skipped:
        start, end = f"{skipped[0]:02d}:00", f"{skipped[-1] + 1:02d}:00"
        lines.append(t(lang, "plan.clocks_forward", start=start, end=end))
    if doubled:
        start, end = f"{doubled[0]:02d}:00", f"{doubled[-1] + 1:02d}:00"
        first, second = zone_names(hours, doubled[0], zone)
        lines.append(t(lang, "plan.clocks_back", start=start, end=end, first=first, second=second))
    return lines


def day_label(day: date) -> str:
    """A day as /plan's texts name it: 01/12."""
    return f"{day:%d/%m}"
