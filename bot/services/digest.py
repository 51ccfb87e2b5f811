"""The coordinators' morning digest: the day since the last digest, and the gaps until the
next. "A day" runs from one 07:00 to the next on the group's clocks: 23 or 25 hours on the
nights the clocks change, so every moment is counted in exactly one digest."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from bot.domain import reminders as rules
from bot.i18n import Markup, span, t
from bot.services import boards
from bot.services.balance import balance_line
from bot.services.coverage import targets_of
from storage.store import Tx


async def digest_text(tx: Tx, group_id: int, lang: str, at: datetime) -> Markup:
    """The digest of one group at a moment (normally 07:00 group time)."""
    group = await tx.groups.get(group_id)
    assert group is not None
    since = rules.last_digest_time(at - timedelta(seconds=1), group.timezone)
    figures = await tx.reminders.day_figures(group_id, since, at)
    lines = [t(lang, "digest.title", group=group.name), t(lang, "digest.last_day", **figures)]
    open_flags = await tx.reminders.open_flags(group_id)
    if open_flags:
        ages = ", ".join(f"#{flag_id} ({_hours(at - raised)} h)" for flag_id, raised in open_flags)
        lines.append(t(lang, "digest.open_flags", count=len(open_flags), flags=ages))
    else:
        lines.append(t(lang, "digest.no_open_flags"))
    lines.append(await balance_line(tx, group_id, lang, at))
    ahead = rules.next_digest_time(at, group.timezone)
    planned: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for code, start, end in await tx.shifts.planned_by_agency(group_id, at, ahead):
        planned[code].append((start, end))
    lines.append(t(lang, "digest.gaps_title"))
    found = sorted(
        (
            (gap, target)
            for target in await targets_of(tx, group)  # the staffing target: agencies, hours
            for gap in target.gaps(planned.get(target.agency, []), at, ahead, group.timezone)
        ),
        key=lambda found: (found[0].start, found[1].agency),
    )
    agencies = await tx.groups.directory()
    for gap, target in found:  # earliest first, as in /coverage
        lines.append(
            t(
                lang,
                "coverage.gap",
                agency=agencies.entry(target.agency),
                count=gap.lowest,
                minimum=target.minimum,
                when=span(lang, gap.start, gap.end, group.timezone),
            )
        )
    if not found:
        lines.append(t(lang, "coverage.no_gaps"))
    lines += await boards.digest_lines(tx, group, lang)
    return Markup("\n".join(lines))


def _hours(delta: timedelta) -> int:
    return max(0, int(delta.total_seconds() // 3600))
