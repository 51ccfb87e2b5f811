"""Shifts as iCalendar: events with a place and a description, and a cancellation (same UID,
a higher SEQUENCE, STATUS:CANCELLED) that a phone's calendar applies to the event it has."""

from __future__ import annotations

from datetime import datetime

from icalendar import Calendar, Event

from bot.domain.models import Group, Member
from bot.domain.shifts import Shift
from bot.i18n import t

# A plan changes an event in one way only, cancelling it: 0 as planned, 1 once cancelled.
PLANNED, CANCELLED = 0, 1


def _calendar(method: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//Samverkan//shifts//SV")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Samverkan")
    if method:
        cal.add("method", method)
    return cal


def _event(member: Member, shift: Shift, group: Group, now: datetime, cancelled: bool) -> Event:
    event = Event()
    event.add("uid", f"shift-{shift.id}@samverkan")
    event.add("dtstamp", now)
    event.add("dtstart", shift.starts_at)
    event.add("dtend", shift.ends_at)
    event.add("summary", t(member.language, "shifts.ics_summary", group=group.name))
    event.add("location", group.name)
    event.add("geo", (group.lat, group.lon))
    event.add("description", str(t(member.language, "shifts.ics_description", group=group.name)))
    event.add("sequence", CANCELLED if cancelled else PLANNED)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if cancelled:
        # RFC 5546: a cancellation names its organiser; the bot is the one who planned it.
        event.add("organizer", "mailto:samverkan@invalid", parameters={"CN": "Samverkan"})
    return event


def calendar_file(
    member: Member,
    live: list[tuple[Shift, Group]],
    cancelled: list[tuple[Shift, Group]],
    now: datetime,
) -> bytes:
    """The member's shifts; cancelled ones stay in, marked so, for a calendar that has them."""
    cal = _calendar()
    for shift, group in live:
        cal.add_component(_event(member, shift, group, now, cancelled=False))
    for shift, group in cancelled:
        cal.add_component(_event(member, shift, group, now, cancelled=True))
    return bytes(cal.to_ical())


def cancellation_file(member: Member, shift: Shift, group: Group, now: datetime) -> bytes:
    """One shift's cancellation (METHOD:CANCEL), to open on the phone."""
    cal = _calendar("CANCEL")
    cal.add_component(_event(member, shift, group, now, cancelled=True))
    return bytes(cal.to_ical())
