"""How long each class of data is kept, and what is deleted when its time is up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

# A question left unanswered this long is forgotten (bot/services/prompts.py); the draft it
# belonged to goes with it.
DRAFT_TTL = timedelta(hours=1)


class DataClass(StrEnum):
    """A class of data with one retention period. The order is the purge's order: content
    inside a record goes before the record (a flag's comments before the flag's skeleton,
    handovers before the check-ins they name, swap offers before their shifts)."""

    DRAFTS = "drafts"
    LOCATIONS = "locations"
    FLAGS = "flags"
    HANDOVERS = "handovers"
    NOTICES = "notices"
    WORK_NOTES = "work_notes"
    OUTBOX = "outbox"
    REMINDERS = "reminders"
    INVITES = "invites"
    PRESENCES = "presences"
    AUDIT = "audit"


@dataclass(frozen=True)
class Rule:
    """One class: how long from which moment, and what goes."""

    period: timedelta
    counted_from: str
    deleted: str
    kept: str


@dataclass(frozen=True)
class Retention:
    """The deployment's retention policy (settings RETENTION_*)."""

    location: timedelta = timedelta(hours=24)
    flags: timedelta = timedelta(days=90)
    handovers: timedelta = timedelta(days=30)
    notices: timedelta = timedelta(days=180)
    work_notes: timedelta = timedelta(days=365)
    presences: timedelta = timedelta(days=730)
    audit: timedelta = timedelta(days=730)
    reminders: timedelta = timedelta(days=30)
    outbox: timedelta = timedelta(days=30)
    invites: timedelta = timedelta(days=30)

    def rules(self) -> dict[DataClass, Rule]:
        """Every class with its period, in the purge's order."""
        return {
            DataClass.DRAFTS: Rule(
                DRAFT_TTL, "the last change", "unfinished flags, notices, work-log entries and"
                " open questions", "nothing"),
            DataClass.LOCATIONS: Rule(
                self.location, "the check-in", "exact check-in coordinates and accuracy",
                "inside the area or not, and the distance"),
            DataClass.FLAGS: Rule(
                self.flags, "closing (or withdrawal)", "description, location, comments,"
                " decline reasons, who acknowledged and closed",
                "agencies, category, urgency and times, for the reports' counts"),
            DataClass.HANDOVERS: Rule(
                self.handovers, "the check-out", "handover notes and who got them", "nothing"),
            DataClass.NOTICES: Rule(
                self.notices, "sending", "notices, their recipients and confirmations",
                "nothing"),
            DataClass.WORK_NOTES: Rule(
                self.work_notes, "the work", "notes and locations of logged work",
                "the entry's kind, type, agencies, residents and duration (reports)"),
            DataClass.OUTBOX: Rule(
                self.outbox, "delivery", "delivery records (they never keep a text once"
                " settled)", "records of objects still open"),
            DataClass.REMINDERS: Rule(
                self.reminders, "the reminder", "which reminders were sent, news held for"
                " quiet hours", "records about flags and handovers, for two years"),
            DataClass.INVITES: Rule(
                self.invites, "expiry", "invites expired or used up", "nothing"),
            DataClass.PRESENCES: Rule(
                self.presences, "the end", "check-ins, shifts and swap offers", "nothing"),
            DataClass.AUDIT: Rule(
                self.audit, "the entry", "audit entries", "nothing"),
        }  # fmt: skip

    def cutoffs(self, now: datetime) -> dict[DataClass, datetime]:
        """For each class, the moment before which its data is past its time."""
        return {cls: now - rule.period for cls, rule in self.rules().items()}


def describe(period: timedelta) -> str:
    """A period as a person says it: 24 h, 30 days, 2 years."""
    if period < timedelta(days=2):
        return f"{int(period.total_seconds() // 3600)} h"
    days = period.days
    if days % 365 == 0:
        years = days // 365
        return f"{years} year" if years == 1 else f"{years} years"
    return f"{days} days"
