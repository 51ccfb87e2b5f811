"""Reminder rules: when each reminder is due, whether it still makes sense, quiet hours.

Pure functions over plain values. The down-time policy lives here, once: a reminder that
came due while the bot was down is sent when it is back only if its cause still holds and
its moment has not passed; otherwise it is dropped.
"""

from __future__ import annotations

import math
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.localtime import last_at, next_at, on_day

MISSED_REMINDER = timedelta(minutes=10)
MISSED_ALERT = timedelta(minutes=20)
AUTO_CHECKOUT_AFTER = timedelta(hours=2)
# A check-in that covers no shift is closed this long after it began: left open, it makes
# the agency look covered and sends flags to someone at home.
UNPLANNED_CHECKOUT_AFTER = timedelta(hours=12)
HANDOVER_REMINDER = timedelta(minutes=30)
HANDOVER_ESCALATION = timedelta(minutes=60)
FLAG_MAX_REMINDERS = 5
UNRESOLVED_AFTER = timedelta(hours=24)
EVENING_BEFORE_AT = time(21, 0)
EARLY_SHIFT_BEFORE = time(8, 0)
DIGEST_AT = time(7, 0)
DIGEST_LATEST = time(12, 0)
# How far ahead the scan looks: covers the longest lead time and the evening before an
# early shift (21:00 to 08:00), and tells the scheduler when the next reminder falls due.
AHEAD = timedelta(hours=12)
MAX_LEAD_MINUTES = 180


class Kind(StrEnum):
    SHIFT_LEAD = "shift_lead"
    EVENING_BEFORE = "evening_before"
    MISSED_REMINDER = "missed_reminder"
    MISSED_ALERT = "missed_alert"
    CHECKOUT_REMINDER = "checkout_reminder"
    AUTO_CHECKOUT = "auto_checkout"
    HANDOVER_REMINDER = "handover_reminder"
    HANDOVER_ESCALATION = "handover_escalation"
    FLAG_REMINDER = "flag_reminder"
    FLAG_ESCALATION = "flag_escalation"
    FLAG_UNRESOLVED = "flag_unresolved"
    DIGEST = "digest"
    NEWS = "news"
    UNDO_OVER = "undo_over"  # a check-out's Undo taken off its message when the minute ends


# Always delivered, quiet hours or not (an edit that takes a button off wakes nobody).
ALWAYS = {Kind.MISSED_REMINDER, Kind.MISSED_ALERT, Kind.AUTO_CHECKOUT, Kind.UNDO_OVER}


def still_relevant(
    kind: Kind,
    due: datetime,
    now: datetime,
    *,
    cause_holds: bool,
    until: datetime | None = None,
) -> bool:
    """The down-time policy: send a due reminder only while its cause holds and its moment
    lasts (`until`: e.g. the shift's start for "starts in 60 minutes", its end for a missed
    check-in). A reminder not yet due is never relevant."""
    if due > now or not cause_holds:
        return False
    return until is None or now < until


def evening_before(start: datetime, zone: str) -> tuple[datetime, datetime] | None:
    """21:00 the evening before a shift starting between 00:00 and 08:00 local time, and the
    midnight after which "tomorrow" would be wrong; None for a later shift."""
    local = start.astimezone(ZoneInfo(zone))
    if local.time() >= EARLY_SHIFT_BEFORE:
        return None
    return on_day(local.date() - timedelta(days=1), EVENING_BEFORE_AT, zone), on_day(
        local.date(), time(0, 0), zone
    )


def minutes_left(start: datetime, now: datetime) -> int:
    """Whole minutes until a start, rounded up: what "starts in N min" says when it is sent,
    however late (quiet hours, a restart) that is."""
    return max(1, math.ceil((start - now).total_seconds() / 60))


def in_quiet_hours(
    moment: datetime, zone: str, quiet_from: str | None, quiet_to: str | None
) -> bool:
    """True when a moment falls in a member's quiet hours (which may cross midnight)."""
    if not quiet_from or not quiet_to:
        return False
    start, end = time.fromisoformat(quiet_from), time.fromisoformat(quiet_to)
    local = moment.astimezone(ZoneInfo(zone)).time()
    if start <= end:
        return start <= local < end
    return local >= start or local < end


def quiet_ends(moment: datetime, zone: str, quiet_to: str) -> datetime:
    """When quiet hours that hold at `moment` end (the next `quiet_to` on the zone's clocks)."""
    return next_at(moment, time.fromisoformat(quiet_to), zone)


def flag_schedule(added: datetime, deadline: datetime) -> list[tuple[int, datetime]]:
    """(step, due) of an unacknowledged target's reminders: at the deadline, then every
    deadline period after it, FLAG_MAX_REMINDERS in all; coordinators hear at step 2."""
    period = max(deadline - added, timedelta(minutes=1))
    return [(step, added + period * step) for step in range(1, FLAG_MAX_REMINDERS + 1)]


def last_digest_time(now: datetime, zone: str) -> datetime:
    """The latest 07:00 (group time) at or before now, in UTC."""
    return last_at(now, DIGEST_AT, zone)


def next_digest_time(at: datetime, zone: str) -> datetime:
    """The 07:00 (group time) after a digest's: 23, 24 or 25 hours later."""
    return next_at(at, DIGEST_AT, zone)


def digest_latest(at: datetime, zone: str) -> datetime:
    """Until when a digest that came due at `at` is still worth sending (12:00 that day)."""
    return on_day(at.astimezone(ZoneInfo(zone)).date(), DIGEST_LATEST, zone)
