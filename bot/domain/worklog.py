"""Logged work ("insatser") and each group's phase: plain data and the rules of who sees what.

Need to know for the work log lives here, in one place: a note is read by its author and the
group's coordinators only; an agency may be confidential, in which case its work counts in
every total but is never shown apart from the others, except to admins.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from bot.domain.flags import runs_group
from bot.domain.models import Member, Role
from bot.domain.revisions import fingerprint

MAX_NOTE = 500
# An author may change or delete an entry this long after logging it; coordinators later too.
OWN_EDIT_WINDOW = timedelta(hours=24)
DURATIONS = (15, 30, 60, 120, 240)  # minutes; 240 is "half a day"
TYPE_KEY = re.compile(r"[a-z][a-z0-9_]{0,23}")


class Kind(StrEnum):
    """The two halves of the groups' mandate."""

    BOUNDARY = "boundary"
    RELATIONSHIP = "relationship"


class LogStep(StrEnum):
    """The steps of /log, in order."""

    GROUP = "group"
    KIND = "kind"
    TYPE = "type"
    PARTNERS = "partners"
    RESIDENTS = "residents"
    DURATION = "duration"
    NOTE = "note"
    LOCATION = "location"
    SUMMARY = "summary"


class Residents(StrEnum):
    """How many residents a piece of work reached, in bands (exact counts are not kept)."""

    NONE = "none"
    FEW = "1_5"
    SOME = "6_20"
    MANY = "21_100"
    CROWD = "100_plus"

    @property
    def at_least(self) -> int:
        """The band's lower bound: reports add these, so a total is never overstated."""
        return {"none": 0, "1_5": 1, "6_20": 6, "21_100": 21, "100_plus": 100}[self.value]


class Phase(StrEnum):
    """Where a group is in the motion's arc: first fight crime, then mainly prevent it."""

    FIGHT = "fight"
    PREVENT = "prevent"

    @property
    def default_target(self) -> int:
        """Default target share (percent) of relationship-building work."""
        return 30 if self is Phase.FIGHT else 60


DEFAULT_TYPES: dict[Kind, tuple[str, ...]] = {
    Kind.BOUNDARY: (
        "control",
        "joint_control",
        "intervention",
        "seizure",
        "sanction",
        "investigation",
    ),
    Kind.RELATIONSHIP: (
        "dialogue",
        "school_visit",
        "association",
        "outreach",
        "advice",
        "open_office",
    ),
}


class WorkType(BaseModel):
    """An activity type a deployment offers, with its labels (None: from the catalogue)."""

    model_config = ConfigDict(frozen=True)

    key: str
    kind: Kind
    sv: str | None = None
    en: str | None = None


def parse_work_types(kind: Kind, setting: str) -> tuple[WorkType, ...]:
    """`key` or `key=Svensk etikett/English label`, comma-separated; empty: the defaults."""
    items: list[WorkType] = []
    for raw in (part.strip() for part in setting.split(",")):
        if not raw:
            continue
        key, _, labels = raw.partition("=")
        key = key.strip()
        if not TYPE_KEY.fullmatch(key):
            raise ValueError(f"work type {key!r}: use a-z, 0-9 and _, at most 24 characters")
        sv, _, en = labels.partition("/")
        if labels and not (sv.strip() and en.strip()):
            raise ValueError(f"work type {key!r}: give both labels, 'Svensk/English'")
        if not labels and key not in DEFAULT_TYPES[kind]:
            raise ValueError(f"work type {key!r} is not a default: give its labels too")
        items.append(WorkType(key=key, kind=kind, sv=sv.strip() or None, en=en.strip() or None))
    if len({i.key for i in items}) != len(items):
        raise ValueError("a work type is listed twice")
    return tuple(items) or tuple(WorkType(key=k, kind=kind) for k in DEFAULT_TYPES[kind])


class WorkPolicy(BaseModel):
    """What a deployment configures about the work log."""

    model_config = ConfigDict(frozen=True)

    types: tuple[WorkType, ...] = tuple(
        WorkType(key=k, kind=kind) for kind in Kind for k in DEFAULT_TYPES[kind]
    )
    confidential: frozenset[str] = frozenset({"SAPO"})

    def of_kind(self, kind: Kind) -> tuple[WorkType, ...]:
        """The types offered for one kind, in configured order."""
        return tuple(w for w in self.types if w.kind is kind)

    def find(self, kind: Kind, key: str) -> WorkType | None:
        """The type with this key under this kind, if offered."""
        return next((w for w in self.types if w.kind is kind and w.key == key), None)


class Activity(BaseModel):
    """One logged piece of work."""

    model_config = ConfigDict(frozen=True)

    id: int
    group_id: int
    member_id: int
    agency_code: str | None
    kind: Kind
    type: str
    partners: tuple[str, ...]
    residents: Residents
    minutes: int
    note: str | None
    lat: float | None
    lon: float | None
    flag_id: int | None
    done_at: datetime
    created_at: datetime


class ActivityDraft(BaseModel):
    """An entry being composed with /log (or from a resolved flag)."""

    model_config = ConfigDict(frozen=True)

    member_id: int
    step: LogStep
    id: int = 0  # 0 until stored; a new draft gets a fresh id, so old buttons go stale
    group_id: int | None = None
    kind: Kind | None = None
    type: str | None = None
    partners: tuple[str, ...] = ()
    residents: Residents | None = None
    minutes: int | None = None
    note: str | None = None
    lat: float | None = None
    lon: float | None = None
    flag_id: int | None = None

    @property
    def revision(self) -> str:
        """A fingerprint of what a summary shows: its Save carries it, so an older summary
        (a step left by Back and come back to keeps the draft's id and step) cannot save a
        draft changed since."""
        return fingerprint(self.model_dump(mode="json", exclude={"member_id", "step", "id"}))


class GroupPhase(BaseModel):
    """A group's phase and target from a moment on."""

    model_config = ConfigDict(frozen=True)

    group_id: int
    phase: Phase
    target_pct: int
    since: datetime


def may_read_note(viewer: Member, entry: Activity) -> bool:
    """A note is for its author and the coordinators of the entry's group only."""
    if not viewer.active:
        return False
    return viewer.id == entry.member_id or runs_group(viewer, entry.group_id)


def may_change(viewer: Member, entry: Activity, now: datetime) -> bool:
    """The author within a day of logging; the group's coordinators at any time (audited)."""
    if not viewer.active:
        return False
    if viewer.id == entry.member_id and now - entry.created_at <= OWN_EDIT_WINDOW:
        return True
    return runs_group(viewer, entry.group_id)


def is_correction(viewer: Member, entry: Activity) -> bool:
    """A change made by someone other than the author: it goes to the audit log."""
    return viewer.id != entry.member_id


def sees_confidential(viewer: Member | None) -> bool:
    """Only admins (and the command line, None) see confidential agencies apart from others."""
    return viewer is None or viewer.role is Role.ADMIN


def may_report(viewer: Member, group_id: int) -> bool:
    """Coordinators report on the groups they run; admins on any group."""
    return (
        viewer.active and viewer.role.at_least(Role.COORDINATOR) and viewer.coordinates(group_id)
    )
