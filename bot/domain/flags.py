"""Flags as plain data, and the rules of who may see them and what each target's part is."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from bot.domain.ladders import Rung
from bot.domain.models import Member, Role
from bot.domain.revisions import fingerprint

MAX_DESCRIPTION = 1000
# The decline reason of a part a coordinator passed on (who and why are in the audit log).
PASSED_ON = "—"
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


class Outcome(StrEnum):
    """How a resolved part ended: one tap when resolving."""

    HANDLED = "handled"
    REFERRED = "referred"
    NO_ACTION = "no_action"
    NOT_FOUND = "not_found"


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
    rung: Rung = Rung.ON_DUTY  # how far up its group's ladder this target has gone
    rung_at: datetime | None = None
    on_behalf: bool = False  # acknowledged by a coordinator for the agency
    outcome: Outcome | None = None
    outcome_note: str | None = None


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
    place: str | None = None  # its name (OFFICE: the group's office), shown and sent as a venue
    place_address: str | None = None  # a place chosen in Telegram comes with its address
    # Members given the flag beyond its group (the agency next door, admins): see `allowed`.
    reached: frozenset[int] = frozenset()

    def target(self, agency: str | None) -> Target | None:
        """The part of the flag that falls to this agency, if any."""
        return next((t for t in self.targets if t.agency == agency), None)

    @property
    def is_open(self) -> bool:
        """Neither withdrawn nor closed."""
        return self.withdrawn_at is None and self.closed_at is None


OFFICE = "office"  # a flag's place that is its group's office, named in each reader's language
MAX_PLACE = 100  # a typed place name (Telegram's venue title is short too)


class DraftStep(StrEnum):
    """The steps of composing a flag, in order (QUICK is the urgent path's agency step)."""

    GROUP = "group"
    TARGETS = "targets"
    QUICK = "quick"
    CATEGORY = "category"
    URGENCY = "urgency"
    DESCRIPTION = "description"
    LOCATION = "location"
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
    place: str | None = None
    place_address: str | None = None
    group_id: int | None = None
    quick: bool = False  # the urgent path: no category or location steps

    @property
    def revision(self) -> str:
        """A fingerprint of what a summary shows: its Raise carries it, so an older summary
        (a step left by Back and come back to keeps the draft's id and step) cannot raise a
        draft changed since."""
        return fingerprint(self.model_dump(mode="json", exclude={"member_id", "step", "id"}))


def runs_group(member: Member, group_id: int) -> bool:
    """A coordinator (or admin) who is in this group."""
    return member.role in (Role.COORDINATOR, Role.ADMIN) and group_id in member.group_ids


class FlagAct(StrEnum):
    """What a member can do with a flag; SEE covers lists, cards and every edit of a card."""

    SEE = "see"
    ACKNOWLEDGE = "acknowledge"
    RESOLVE = "resolve"
    DECLINE = "decline"
    COMMENT = "comment"
    WITHDRAW = "withdraw"
    ACT_FOR = "act_for"  # a coordinator: acknowledge for an agency, pass on, add an agency
    MUTE = "mute"
    CATEGORISE = "categorise"  # the raiser sets the category later (the urgent path skips it)


def allowed(member: Member | None, flag: Flag) -> frozenset[FlagAct]:
    """The one rule of need to know and of who may do what with a flag, now.

    A flag is seen by active members of its group from the raiser's agency or a target
    agency, by the group's coordinators (and admins in it), and by those its ladder reached
    beyond the group (the agency in a neighbouring group as that agency, an admin as a
    coordinator); nobody else learns it exists. While it is open: a target agency
    acknowledges (until someone of it has), resolves or declines (until its part is
    finished); targets, the raiser's agency and the coordinators comment; the raiser
    withdraws and may set its category; coordinators act for an agency (acknowledge on
    its behalf, pass on, add one); whoever sees it may mute it. Reads, edits, buttons and
    actions all ask this.
    """
    if member is None or not member.active:
        return frozenset()
    reached = member.id in flag.reached
    runs = runs_group(member, flag.group_id) or (reached and member.role is Role.ADMIN)
    in_group = flag.group_id in member.group_ids and member.agency_code is not None
    target = flag.target(member.agency_code) if in_group or reached else None
    of_raiser = in_group and member.agency_code == flag.raiser_agency
    if not (runs or of_raiser or target is not None):
        return frozenset()
    acts = {FlagAct.SEE}
    if flag.is_open:
        acts.add(FlagAct.MUTE)
        if target is not None and target.state is TargetState.OPEN:
            acts.add(FlagAct.ACKNOWLEDGE)
        if target is not None and not target.state.finished:
            acts |= {FlagAct.RESOLVE, FlagAct.DECLINE}
        if target is not None or runs or of_raiser:
            acts.add(FlagAct.COMMENT)
        if member.id == flag.raised_by:
            acts |= {FlagAct.WITHDRAW, FlagAct.CATEGORISE}
        if runs:
            acts.add(FlagAct.ACT_FOR)
    return frozenset(acts)


def may_see(member: Member | None, flag: Flag) -> bool:
    """Need to know (see `allowed`)."""
    return FlagAct.SEE in allowed(member, flag)


class FlagPolicy(BaseModel):
    """What a deployment configures about flags."""

    model_config = ConfigDict(frozen=True)

    categories: tuple[str, ...] = DEFAULT_CATEGORIES
    deadlines: dict[Urgency, timedelta] = Field(default_factory=lambda: dict(DEFAULT_DEADLINES))
