"""Flags as plain data, and the rules of who may see them and what each target's part is."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from bot.domain.models import Member, Role

MAX_DESCRIPTION = 1000
DEFAULT_CATEGORIES = (
    "benefit_fraud",
    "undeclared_work",
    "economic_crime",
    "smuggling",
    "threats",
    "youth_at_risk",
    "housing",
    "other",
)


class Urgency(StrEnum):
    URGENT = "urgent"
    PRIORITY = "priority"
    ROUTINE = "routine"


DEFAULT_DEADLINES = {
    Urgency.URGENT: timedelta(minutes=5),
    Urgency.PRIORITY: timedelta(minutes=30),
    Urgency.ROUTINE: timedelta(hours=8),
}


class TargetState(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"
    DECLINED = "declined"

    @property
    def finished(self) -> bool:
        """Resolved or declined: nothing more is expected of this agency."""
        return self in (TargetState.RESOLVED, TargetState.DECLINED)


class Target(BaseModel):
    """One target agency's part of a flag."""

    model_config = ConfigDict(frozen=True)

    agency: str
    state: TargetState
    ack_deadline: datetime
    no_one_on_duty: bool
    acknowledged_by: int | None
    acknowledged_at: datetime | None
    closed_by: int | None
    closed_at: datetime | None
    decline_reason: str | None
    redirected_to: str | None


class Flag(BaseModel):
    """A raised situation with its targets."""

    model_config = ConfigDict(frozen=True)

    id: int
    group_id: int
    raised_by: int
    raiser_agency: str
    category: str
    urgency: Urgency
    description: str
    lat: float | None
    lon: float | None
    created_at: datetime
    withdrawn_at: datetime | None
    closed_at: datetime | None
    targets: tuple[Target, ...] = ()

    def target(self, agency: str | None) -> Target | None:
        """The part of the flag that falls to this agency, if any."""
        return next((t for t in self.targets if t.agency == agency), None)

    @property
    def is_open(self) -> bool:
        """Neither withdrawn nor closed."""
        return self.withdrawn_at is None and self.closed_at is None


class DraftStep(StrEnum):
    """The steps of composing a flag, in order."""

    TARGETS = "targets"
    CATEGORY = "category"
    URGENCY = "urgency"
    DESCRIPTION = "description"
    LOCATION = "location"
    GROUP = "group"
    SUMMARY = "summary"


class FlagDraft(BaseModel):
    """A flag being composed; `id` is never reused, so buttons of an earlier draft are stale."""

    model_config = ConfigDict(frozen=True)

    member_id: int
    step: DraftStep
    id: int = 0  # 0: not stored yet
    targets: tuple[str, ...] = ()
    category: str | None = None
    urgency: Urgency | None = None
    description: str | None = None
    lat: float | None = None
    lon: float | None = None
    group_id: int | None = None


def runs_group(member: Member, group_id: int) -> bool:
    """A coordinator (or admin) who is in this group."""
    return member.role in (Role.COORDINATOR, Role.ADMIN) and group_id in member.group_ids


def may_see(member: Member | None, flag: Flag) -> bool:
    """Need to know: the raiser's agency, the target agencies (in that group), its coordinators."""
    if member is None or not member.active:
        return False
    if runs_group(member, flag.group_id):
        return True
    if flag.group_id not in member.group_ids or member.agency_code is None:
        return False
    return member.agency_code == flag.raiser_agency or flag.target(member.agency_code) is not None


class FlagPolicy(BaseModel):
    """What a deployment configures about flags."""

    model_config = ConfigDict(frozen=True)

    categories: tuple[str, ...] = DEFAULT_CATEGORIES
    deadlines: dict[Urgency, timedelta] = Field(default_factory=lambda: dict(DEFAULT_DEADLINES))
